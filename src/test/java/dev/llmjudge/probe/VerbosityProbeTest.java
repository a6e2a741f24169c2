package dev.llmjudge.probe;

import static dev.llmjudge.probe.BiasProbes.assertThatMetric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verbosity probe: the same answer padded with neutral filler must not score higher. */
class VerbosityProbeTest extends LoopbackProbeTest {

    private static List<String> answersAndPadded(List<EvaluationCase> cases, Rewrite padding) {
        List<String> answers = new ArrayList<>();
        cases.forEach(c -> answers.add(c.answer()));
        cases.forEach(c -> answers.add(padding.apply(c.answer())));
        return answers;
    }

    @Test
    void should_pass_on_a_stable_judge_that_judged_each_case_and_its_padded_answer_once_and_recorded_both() {
        server.otherwise(ProbeJudges.stable());

        assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES).isNotSwayedByVerbosity();

        assertThat(server.requests()).extracting(ProbeJudges::answerOf)
                .containsExactlyInAnyOrderElementsOf(answersAndPadded(ProbeJudges.CASES, Rewrite.neutralPadding()));
        assertThat(verdictFiles()).hasSize(6);
    }

    @Test
    void should_replay_the_recorded_verdicts_of_an_earlier_run_without_a_request() {
        server.otherwise(ProbeJudges.stable());
        assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES).isNotSwayedByVerbosity();
        int requests = server.requestCount();

        LlmJudgeRuntime replay = runtime(Map.of(LlmJudgeConfig.CACHE_MODE, "replay"));
        assertThatMetric(Metrics.answerSimilarity(), replay).onCases(ProbeJudges.CASES).isNotSwayedByVerbosity();

        assertThat(requests).isEqualTo(6);
        assertThat(server.requestCount()).isEqualTo(6);
    }

    @Test
    void should_probe_with_the_runtime_current_when_it_starts() {
        server.otherwise(ProbeJudges.rewardingLength());

        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime())) {
            assertThatThrownBy(() -> assertThatMetric(Metrics.answerSimilarity()).onCases(ProbeJudges.CASES).isNotSwayedByVerbosity())
                    .isInstanceOf(AssertionError.class);
        }
        assertThat(server.requestCount()).isEqualTo(6);
    }

    @Test
    void should_fail_on_a_judge_that_rewards_length_listing_every_pair_with_both_answers_scores_and_justifications() {
        server.otherwise(ProbeJudges.rewardingLength());

        assertThatThrownBy(() -> assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES).isNotSwayedByVerbosity())
                .isInstanceOf(AssertionError.class)
                .hasMessage(lines("\nExpecting the judge of answer_similarity (v1) not to score an answer higher when it is padded with filler,"
                        + "\nbut the score rose by one level or more in 3 of 3 pairs (100%); at most 0 may (allowingShare(0.0))."
                        + "\nRewrite: padded with filler (2 sentences before, 3 after)."
                        + "\nPairs that moved:"
                        + "\n  case 1 \"Can I get a refund after 30 days?\": 2 -> 5 (+3)"
                        + "\n    original answer:         \"Refunds are possible within 30 days of delivery only.\""
                        + "\n    rewritten answer:        \"Thank you for your question. Here is what I can tell you. Refunds are possible within 30"
                        + " days of delivery only. I hope this answers your question. If anything is unclear, feel free to ask again. Than…\""
                        + "\n    original justification:  \"length judge: 2 for 53 characters.\""
                        + "\n    rewritten justification: \"length judge: 5 for 223 characters.\""
                        + "\n  case 2 \"Do you ship to Canada?\": 2 -> 5 (+3)"
                        + "\n    original answer:         \"Yes, we ship to Canada. Delivery takes 5-8 business days.\""
                        + "\n    rewritten answer:        \"Thank you for your question. Here is what I can tell you. Yes, we ship to Canada."
                        + " Delivery takes 5-8 business days. I hope this answers your question. If anything is unclear, feel free to ask again. …\""
                        + "\n    original justification:  \"length judge: 2 for 57 characters.\""
                        + "\n    rewritten justification: \"length judge: 5 for 227 characters.\""
                        + "\n  case 3 \"When are you open?\": 2 -> 4 (+2)"
                        + "\n    original answer:         \"Monday to Friday, 9am to 5pm.\""
                        + "\n    rewritten answer:        \"Thank you for your question. Here is what I can tell you. Monday to Friday, 9am to 5pm."
                        + " I hope this answers your question. If anything is unclear, feel free to ask again. Thank you for your patience.\""
                        + "\n    original justification:  \"length judge: 2 for 29 characters.\""
                        + "\n    rewritten justification: \"length judge: 4 for 199 characters.\""
                        + "\nJudge: judge-test-model"));
    }

    @Test
    void should_pass_on_a_judge_that_scores_padded_answers_lower() {
        server.otherwise(ProbeJudges.penalisingLength());

        assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES).isNotSwayedByVerbosity();

        assertThat(server.requestCount()).isEqualTo(6);
    }

    @Test
    void should_allow_the_stated_share_of_pairs_to_move_rounded_down() {
        // Only the third case scores higher padded: one pair of three moves.
        server.otherwise(ProbeJudges.scoring("partial", a -> a.contains("Monday") && a.length() > 100 ? 5 : 4));
        LlmJudgeRuntime runtime = runtime();

        assertThatMetric(Metrics.answerSimilarity(), runtime).onCases(ProbeJudges.CASES).allowingShare(0.34).isNotSwayedByVerbosity();
        assertThatThrownBy(() -> assertThatMetric(Metrics.answerSimilarity(), runtime).onCases(ProbeJudges.CASES).allowingShare(0.3)
                .isNotSwayedByVerbosity())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but the score rose by one level or more in 1 of 3 pairs (33%); at most 0 may (allowingShare(0.3)).")
                .hasMessageContaining("\n  case 3 \"When are you open?\": 4 -> 5 (+1)\n")
                .hasMessageNotContaining("case 1").hasMessageNotContaining("case 2");
        assertThatThrownBy(() -> assertThatMetric(Metrics.answerSimilarity(), runtime).onCases(ProbeJudges.CASES).isNotSwayedByVerbosity())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("in 1 of 3 pairs (33%); at most 0 may (allowingShare(0.0)).");
        // The verdicts were judged once, then read back: six requests for three probes.
        assertThat(server.requestCount()).isEqualTo(6);
    }

    @Test
    void should_not_count_a_case_already_at_the_top_of_the_rubric_and_say_so() {
        // The refund answer scores 5 as it is: it cannot rise, so two pairs are counted.
        server.otherwise(ProbeJudges.scoring("length", a -> a.startsWith("Refunds") || a.length() >= 100 ? 5 : 2));

        assertThatThrownBy(() -> assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES).isNotSwayedByVerbosity())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(lines("\nbut the score rose by one level or more in 2 of 2 pairs (100%); at most 0 may"
                        + " (allowingShare(0.0)).\n1 more pair is not counted: the answer already scored the top of the rubric.\n"))
                .hasMessageNotContaining("case 1");
    }

    @Test
    void should_refuse_to_pass_when_every_answer_is_at_the_top_of_the_rubric_so_none_could_rise() {
        server.otherwise(ProbeJudges.scoring("generous", a -> 5));

        assertThatThrownBy(() -> assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES).isNotSwayedByVerbosity())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the verbosity probe of answer_similarity cannot fail on these cases: every answer scored 5, the top of the"
                        + " rubric, so none can score higher padded. Probe with answers that score below the top, such as partly right ones.");
    }

    @Test
    void should_pad_with_the_padding_given() {
        server.otherwise(ProbeJudges.stable());
        Rewrite padding = Rewrite.padding(List.of("Great question!"), List.of("Hope that helps!"));

        assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES.get(0)).isNotSwayedByVerbosity(padding);

        assertThat(server.requests()).extracting(ProbeJudges::answerOf).containsExactlyInAnyOrder(
                "Refunds are possible within 30 days of delivery only.",
                "Great question! Refunds are possible within 30 days of delivery only. Hope that helps!");
    }

    @Test
    void should_judge_within_the_concurrency_cap() {
        server.otherwise(request -> ProbeJudges.stable().apply(request).afterMillis(50));

        assertThatMetric(Metrics.answerSimilarity(), runtime(Map.of(LlmJudgeConfig.JUDGE_MAX_CONCURRENCY, "2")))
                .onCases(ProbeJudges.CASES).isNotSwayedByVerbosity();

        assertThat(server.requestCount()).isEqualTo(6);
        assertThat(server.maxConcurrentRequests()).isBetween(1, 2);
    }

    @Test
    void should_judge_ahead_in_parallel_without_a_cap() {
        server.otherwise(request -> ProbeJudges.stable().apply(request).afterMillis(200));

        assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES).isNotSwayedByVerbosity();

        assertThat(server.maxConcurrentRequests()).isGreaterThan(1);
    }

    /** Text written with {@code \n} as the platform writes its lines. */
    static String lines(String text) {
        return text.replace("\n", System.lineSeparator());
    }
}
