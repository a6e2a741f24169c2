package dev.llmjudge.probe;

import static dev.llmjudge.probe.BiasProbes.assertThatMetric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** A judge error is an error of the probe, never a score; bad input is refused before any request, saying what to do. */
class ProbeErrorsTest extends LoopbackProbeTest {
    private static final Map<String, String> ONE_ATTEMPT = Map.of(LlmJudgeConfig.JUDGE_MAX_ATTEMPTS, "1");

    @Test
    void should_error_naming_the_case_when_the_judge_gives_no_verdict_for_a_rewritten_answer_and_record_nothing_for_it() {
        server.otherwise(request -> ProbeJudges.answerOf(request).startsWith("Thank you") ? Reply.error(500, "overloaded")
                : ProbeJudges.stable().apply(request));

        Throwable thrown = catchProbe(() -> assertThatMetric(Metrics.answerSimilarity(), runtime(ONE_ATTEMPT)).onCases(ProbeJudges.CASES)
                .isNotSwayedByVerbosity());

        assertThat(thrown).isInstanceOf(JudgeException.class).isNotInstanceOf(AssertionError.class);
        JudgeException error = (JudgeException) thrown;
        assertThat(error.reason()).isEqualTo(JudgeException.Reason.SERVER_ERROR);
        assertThat(error).hasMessageStartingWith("the verbosity probe of answer_similarity got no verdict for case 1 padded with filler"
                + " (2 sentences before, 3 after) (and 2 more of its 6 judgements): ").hasMessageContaining("HTTP 500");
        assertThat(server.requestCount()).isEqualTo(6);
        // The answers as they are were judged and recorded; the padded ones, in error, were not.
        assertThat(verdictFiles()).hasSize(3);
    }

    @Test
    void should_error_in_replay_without_recorded_verdicts_and_send_nothing() {
        Throwable thrown = catchProbe(() -> assertThatMetric(Metrics.answerSimilarity(), runtime(Map.of(LlmJudgeConfig.CACHE_MODE, "replay")))
                .onCases(ProbeJudges.CASES).isNotSwayedByFormat());

        assertThat(thrown).isInstanceOf(JudgeException.class);
        assertThat(((JudgeException) thrown).reason()).isEqualTo(JudgeException.Reason.NOT_RECORDED);
        assertThat(thrown).hasMessageStartingWith("the format probe of answer_similarity got no verdict for case 1 (and 8 more of its 9"
                + " judgements): no recorded verdict for metric 'answer_similarity'");
        assertThat(server.requestCount()).isZero();
        assertThat(cacheDir()).doesNotExist();
    }

    @Test
    void should_error_within_the_budget_once_it_is_spent() {
        server.otherwise(ProbeJudges.stable());

        Throwable thrown = catchProbe(() -> assertThatMetric(Metrics.answerSimilarity(), runtime(Map.of(LlmJudgeConfig.BUDGET_MAX_CALLS, "4")))
                .onCases(ProbeJudges.CASES).isNotSwayedByVerbosity());

        assertThat(thrown).isInstanceOf(JudgeException.class).hasMessageContaining("(and 1 more of its 6 judgements)")
                .hasMessageContaining("llmjudge.budget.max-calls");
        assertThat(((JudgeException) thrown).reason()).isEqualTo(JudgeException.Reason.BUDGET_EXHAUSTED);
        assertThat(server.requestCount()).isEqualTo(4);
    }

    @Test
    void should_error_without_an_api_key_and_skip_with_missing_key_skip() {
        LlmJudgeRuntime keyless = LlmJudgeRuntime.builder().config(TestRuntimes.config(server, cacheDir(), Map.of())).build();
        LlmJudgeRuntime skipping = LlmJudgeRuntime.builder().config(TestRuntimes.config(server, cacheDir(),
                Map.of(LlmJudgeConfig.JUDGE_MISSING_KEY, "skip"))).build();
        try (keyless; skipping) {
            Throwable error = catchProbe(() -> assertThatMetric(Metrics.answerSimilarity(), keyless).onCases(ProbeJudges.CASES)
                    .isNotSwayedByVerbosity());
            assertThat(error).isInstanceOf(JudgeException.class).hasMessageContaining("no API key for the judge");
            assertThat(((JudgeException) error).reason()).isEqualTo(JudgeException.Reason.MISSING_KEY);

            assertThatThrownBy(() -> assertThatMetric(Metrics.answerSimilarity(), skipping).onCases(ProbeJudges.CASES).isNotSwayedByVerbosity())
                    .isInstanceOf(TestAbortedException.class)
                    .hasMessageStartingWith("skipped: the verbosity probe of answer_similarity got no verdict for case 1 (and 5 more of its 6"
                            + " judgements): no API key for the judge")
                    .hasMessageEndingWith(" (llmjudge.judge.missing-key=skip)");
        }
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_refuse_a_share_outside_zero_to_below_one() {
        BiasProbe probe = assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES);
        for (double share : new double[] {-0.1, 1.0, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> probe.allowingShare(share)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("allowingShare(" + share + "): the share of pairs that may move must be at least 0 and below 1, e.g. 0.1 for"
                            + " one pair in ten; at 1 or more every pair could move and the probe could never fail");
        }
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_refuse_bad_cases_before_any_request() {
        assertRefused(() -> assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(List.of()),
                "no cases to probe answer_similarity with: pass the team's own cases, e.g."
                        + " onCases(EvaluationCase.ofAnswer(answer).withGroundTruth(truth))");
        assertRefused(() -> assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(),
                "no cases to probe answer_similarity with: pass the team's own cases, e.g."
                        + " onCases(EvaluationCase.ofAnswer(answer).withGroundTruth(truth))");
        assertRefused(() -> assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(Arrays.asList(ProbeJudges.CASES.get(0), null)),
                "case 2 of 2 is null: pass only cases to probe with");
        assertRefused(() -> assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES.get(0),
                EvaluationCase.ofAnswer("Yes.")), "case 2 cannot be judged on answer_similarity: metric 'answer_similarity' needs the"
                        + " ground truth, but it is null: pass the ground truth of this case");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_refuse_a_rewrite_that_changes_nothing_or_is_missing_before_any_request() {
        BiasProbe probe = assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES);

        assertRefused(() -> probe.isNotSwayedByFormat(Rewrite.of("as it is", a -> a)), "the rewrite 'as it is' left the answer of case 1"
                + " unchanged, so the pair would test nothing: probe with another case or rewrite");
        assertRefused(() -> probe.isNotSwayedByFormat(Rewrite.of("to nothing", a -> null)), "the rewrite 'to nothing' turned the answer of"
                + " case 1 into null, so the pair would test nothing: probe with another case or rewrite");
        assertRefused(() -> probe.isNotSwayedByFormat(Rewrite.of("to spaces", a -> "   ")), "case 1 cannot be judged on answer_similarity"
                + " to spaces: metric 'answer_similarity' needs the answer, but it is blank: a blank answer cannot be judged");
        assertRefused(() -> probe.isNotSwayedByFormat(new Rewrite[0]), "isNotSwayedByFormat() needs at least one reformatting, e.g. Rewrite.bullets()");
        assertRefused(() -> probe.isNotSwayedByFormat(Rewrite.bullets(), null), "rewrite 2 is null: pass one such as"
                + " Rewrite.neutralPadding() or Rewrite.bullets()");
        assertRefused(() -> probe.isNotSwayedByVerbosity(null), "rewrite 1 is null: pass one such as Rewrite.neutralPadding() or"
                + " Rewrite.bullets()");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_keep_a_key_in_an_answer_or_a_justification_out_of_the_failure() {
        String leaking = "Our API key is " + TestRuntimes.API_KEY + ", keep it safe.";
        server.otherwise(request -> {
            String answer = ProbeJudges.answerOf(request);
            return Reply.verdict(answer.length() < 100 ? 2 : 5, "I read: " + answer);
        });

        assertThatThrownBy(() -> assertThatMetric(Metrics.answerSimilarity(), runtime())
                .onCases(new EvaluationCase(null, leaking, "The key is " + TestRuntimes.API_KEY, null)).isNotSwayedByVerbosity())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("\"Our API key is [REDACTED], keep it safe.\"")
                .hasMessageContaining("\"I read: Our API key is [REDACTED], keep it safe.\"")
                .hasMessageNotContaining(TestRuntimes.API_KEY);
    }

    @Test
    void should_refuse_a_null_metric_or_runtime_naming_the_argument_and_what_to_pass() {
        assertRefused(() -> assertThatMetric(null, runtime()), "assertThatMetric(null): the metric is null: pass the metric to judge by,"
                + " e.g. Metrics.answerSimilarity() or one built with Metric.builder");
        assertRefused(() -> assertThatMetric(Metrics.answerSimilarity(), null), "assertThatMetric(metric, null): the runtime is null: pass"
                + " the runtime to judge with: a test of an @LlmJudgeTest class gets it as an LlmJudgeRuntime parameter, other code builds"
                + " one with LlmJudgeRuntime.builder().config(LlmJudgeConfig.fromEnvironment()).build(); or leave it out,"
                + " assertThatMetric(metric), to judge with the current one");
        assertThat(server.requestCount()).isZero();
    }

    private static Throwable catchProbe(ThrowingCallable probe) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(probe);
        assertThat(thrown).as("the probe must error, not pass").isNotNull();
        return thrown;
    }

    private static void assertRefused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
