package dev.llmjudge.reliability;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.report.MetricStats;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RunReports;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Scored;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * Scores weighted by the probabilities of the levels ({@code llmjudge.judge.score-by=probabilities}),
 * over the loopback server: what the request asks for, the weighted score of a distribution, the
 * threshold compared with it, the verdict file and its replay, several samples, the cache key, and
 * every reply that gives no distribution: an error, never the integer instead.
 */
class ProbabilityScoresTest extends LoopbackJudgeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 0.1 * 3 + 0.6 * 4 + 0.3 * 5 = 4.2. */
    private static final Map<Integer, Double> FOUR_POINT_TWO = Map.of(4, 0.6, 5, 0.3, 3, 0.1);

    private LlmJudgeRuntime byProbabilities() {
        return byProbabilities(Map.of());
    }

    private LlmJudgeRuntime byProbabilities(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put(LlmJudgeConfig.JUDGE_SCORE_BY, "probabilities");
        return harness.runtime(server.baseUrl(), all);
    }

    private static Throwable run(LlmJudgeRuntime runtime, Runnable check) {
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            return catchThrowable(check::run);
        }
    }

    private static Runnable checkAt(int threshold) {
        return () -> assertThatAnswer(JudgeHarness.ANSWER).isSimilarTo(JudgeHarness.GROUND_TRUTH).withScoreAtLeast(threshold);
    }

    private CheckOutcome onlyOutcome() {
        assertThat(harness.checks).hasSize(1);
        return harness.checks.get(0);
    }

    private JsonNode verdictFile() throws IOException {
        assertThat(harness.verdictFiles()).hasSize(1);
        return JSON.readTree(harness.verdictFiles().get(0).toFile());
    }

    /** The server honours {@code n}: each request gets as many choices as it asks for, the next of {@code samples}. */
    private void honoursN(Scored... samples) {
        AtomicInteger next = new AtomicInteger();
        server.otherwise(request -> {
            int n = Math.max(1, request.json().path("n").asInt(1));
            return Reply.withLogprobs(Arrays.copyOfRange(samples, next.getAndAdd(n), next.get()));
        });
    }

    // --- the weighted score ------------------------------------------------------------------

    @Test
    void a_distribution_of_four_at_0_6_five_at_0_3_and_three_at_0_1_scores_4_2_and_the_request_asks_for_logprobs() throws IOException {
        server.enqueue(Reply.withLogprobs(new Scored(4, "Close.", FOUR_POINT_TWO)));

        assertThat(run(byProbabilities(), checkAt(4))).as("4.2 reaches 4").isNull();

        JsonNode request = server.lastRequest().json();
        assertThat(request.path("logprobs").asBoolean()).isTrue();
        assertThat(request.path("top_logprobs").asInt()).isEqualTo(20);
        Verdict verdict = onlyOutcome().verdict();
        assertThat(verdict.score()).as("the integer the judge wrote").isEqualTo(4);
        assertThat(verdict.weightedScore()).hasValue(4.2);
        assertThat(verdict.effectiveScore()).isEqualTo(4.2);
        assertThat(verdict.sampling().samples().get(0).distribution().probabilities()).containsExactly(Map.entry(3, 0.1), Map.entry(4, 0.6),
                Map.entry(5, 0.3));
        JsonNode file = verdictFile();
        assertThat(file.path("score").asInt()).isEqualTo(4);
        assertThat(file.path("weighted_score").asDouble()).isEqualTo(4.2);
        assertThat(file.path("probabilities").path("3").asDouble()).isEqualTo(0.1);
        assertThat(file.path("probabilities").path("4").asDouble()).isEqualTo(0.6);
        assertThat(file.path("probabilities").path("5").asDouble()).isEqualTo(0.3);
        assertThat(file.path("judge").path("parameters").path("logprobs").asBoolean()).isTrue();
        assertThat(file.path("judge").path("parameters").path("top_logprobs").asInt()).isEqualTo(20);
    }

    @Test
    void threshold_four_passes_at_4_2_and_threshold_five_fails_with_the_weighted_score_and_the_distribution() {
        server.otherwise(request -> Reply.withLogprobs(new Scored(4, "Close.", FOUR_POINT_TWO)));
        LlmJudgeRuntime runtime = byProbabilities(Map.of(LlmJudgeConfig.CACHE_MODE, "off"));

        assertThat(run(runtime, checkAt(4))).isNull();
        Throwable thrown = run(runtime, checkAt(5));

        assertThat(thrown).isInstanceOf(AssertionError.class)
                .hasMessageContaining("to score at least 5 on answer_similarity (v1), but the judge scored it 4.20 (scale 1 to 5).\n"
                        + "Scored by probabilities: the mean of the levels weighted by their probabilities at the score's token (the judge"
                        + " wrote 4):\n  3: 0.10, 4: 0.60, 5: 0.30\nJustification:\n  Close.");
        assertThat(harness.checks).extracting(c -> c.getClass().getSimpleName()).containsExactly("Passed", "Failed");
    }

    @Test
    void the_weighted_score_is_compared_with_the_threshold_not_the_integer_written_so_3_97_fails_at_four() {
        server.enqueue(Reply.withLogprobs(new Scored(4, "Nearly the same.", Map.of(4, 0.97, 3, 0.03))));

        Throwable thrown = run(byProbabilities(), checkAt(4));

        assertThat(thrown).isInstanceOf(AssertionError.class).hasMessageContaining("but the judge scored it 3.97 (scale 1 to 5).");
        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome).isInstanceOf(CheckOutcome.Failed.class);
        assertThat(outcome.verdict().score()).as("what the judge wrote meets 4, the score does not").isEqualTo(4);
        assertThat(((CheckOutcome.Failed) outcome).belowThreshold()).isTrue();
        ReportRow row = ReportRow.of(outcome);
        assertThat(row.weightedScore()).isEqualTo(3.97);
        assertThat(MetricStats.of(JudgeHarness.METRIC, List.of(row)).mean()).as("the aggregates read the weighted score").isEqualTo(3.97);
    }

    @Test
    void alternatives_written_with_a_leading_space_count_as_their_level() {
        server.enqueue(Reply.withLogprobs(level -> " " + level, new Scored(4, "Close.", FOUR_POINT_TWO)));

        assertThat(run(byProbabilities(), checkAt(4))).isNull();

        assertThat(onlyOutcome().verdict().weightedScore()).hasValue(4.2);
    }

    // --- several samples ---------------------------------------------------------------------

    @Test
    void three_samples_score_the_median_of_their_weighted_scores_each_with_its_distribution_in_the_verdict_file() throws IOException {
        honoursN(new Scored(4, "Sample 1.", FOUR_POINT_TWO), new Scored(5, "Sample 2.", Map.of(5, 0.5, 4, 0.5)),
                new Scored(4, "Sample 3.", Map.of(4, 0.8, 3, 0.2)));

        Throwable thrown = run(byProbabilities(Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3")), checkAt(4));

        assertThat(thrown).as("the median 4.2 reaches 4").isNull();
        Verdict verdict = onlyOutcome().verdict();
        assertThat(verdict.sampling().effectiveScores()).containsExactly(4.2, 4.5, 3.8);
        assertThat(verdict.weightedScore()).as("sorted 3.8, 4.2, 4.5").hasValue(4.2);
        assertThat(verdict.score()).as("the median of 4, 5, 4 written").isEqualTo(4);
        assertThat(verdict.justification()).as("that of the sample of the weighted median").isEqualTo("Sample 1.");
        assertThat(onlyOutcome().unstable()).as("3.8 is below 4, 4.2 and 4.5 are not").isTrue();
        ReportRow row = ReportRow.of(onlyOutcome());
        assertThat(row.samplesText()).isEqualTo("4.20, 4.50, 3.80");
        assertThat(row.probabilities()).extracting(ReportRow.Probabilities::weightedScore).containsExactly(4.2, 4.5, 3.8);
        JsonNode file = verdictFile();
        assertThat(file.path("weighted_score").asDouble()).isEqualTo(4.2);
        assertThat(file.has("probabilities")).as("each sample has its own").isFalse();
        assertThat(file.path("samples")).extracting(s -> s.path("weighted_score").asDouble()).containsExactly(4.2, 4.5, 3.8);
        assertThat(file.path("samples").get(1).path("probabilities").path("5").asDouble()).isEqualTo(0.5);
    }

    @Test
    void an_unstable_check_aborted_names_its_weighted_samples_and_its_row_keeps_their_distributions() {
        honoursN(new Scored(4, "Sample 1.", FOUR_POINT_TWO), new Scored(5, "Sample 2.", Map.of(5, 0.5, 4, 0.5)),
                new Scored(4, "Sample 3.", Map.of(4, 0.8, 3, 0.2)));

        Throwable thrown = run(byProbabilities(Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3", LlmJudgeConfig.JUDGE_ON_UNSTABLE, "abort")),
                checkAt(4));

        assertThat(thrown).isInstanceOf(TestAbortedException.class).hasMessageContaining("is unstable at threshold 4: samples 4.20, 4.50,"
                + " 3.80 (median 4.20, 3 of 3 drawn in one request with n), on both sides of the threshold 4");
        ReportRow row = ReportRow.of(onlyOutcome());
        assertThat(row.outcome()).isEqualTo(ReportRow.SKIPPED);
        assertThat(row.weightedScore()).as("no score").isNull();
        assertThat(row.samplesText()).isEqualTo("4.20, 4.50, 3.80");
        assertThat(row.probabilities()).hasSize(3);
    }

    @Test
    void drawing_stops_early_only_once_the_median_of_the_weighted_scores_is_fixed_too() {
        Map<Integer, Double> five = Map.of(5, 1.0);
        Map<Integer, Double> fourPointSix = Map.of(5, 0.6, 4, 0.4);
        List<Scored> replies = List.of(new Scored(5, "A.", five), new Scored(1, "B.", Map.of(1, 1.0)),
                new Scored(5, "C.", Map.of(5, 0.5, 4, 0.3, 3, 0.2)), new Scored(5, "D.", fourPointSix), new Scored(5, "E.", five),
                new Scored(5, "F.", fourPointSix), new Scored(5, "G.", five));
        AtomicInteger next = new AtomicInteger();
        server.otherwise(request -> Reply.withLogprobs(replies.get(next.getAndIncrement())));

        run(byProbabilities(Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "7")), checkAt(4));

        assertThat(server.requestCount()).as("5, 1, 5, 5, 5 written fixes their median of 7, but 5.0, 1.0, 4.3, 4.6, 5.0 do not fix"
                + " theirs; a sixth 4.6 does, and 1.0 and 5.0 already fall on both sides of every threshold").isEqualTo(6);
        Sampling sampling = onlyOutcome().verdict().sampling();
        assertThat(sampling.effectiveScores()).containsExactly(5.0, 1.0, 4.3, 4.6, 5.0, 4.6);
        assertThat(sampling.stoppedEarly()).isTrue();
        assertThat(onlyOutcome().verdict().weightedScore()).hasValue(4.6);
    }

    @Test
    void drawing_goes_on_while_the_weighted_scores_left_could_still_fall_on_the_other_side_of_a_threshold() {
        List<Scored> replies = List.of(new Scored(4, "A.", FOUR_POINT_TWO), new Scored(4, "B.", Map.of(4, 0.8, 3, 0.2)),
                new Scored(4, "C.", Map.of(4, 0.6, 5, 0.4)), new Scored(4, "D.", FOUR_POINT_TWO), new Scored(4, "E.", FOUR_POINT_TWO));
        AtomicInteger next = new AtomicInteger();
        server.otherwise(request -> Reply.withLogprobs(replies.get(next.getAndIncrement())));

        run(byProbabilities(Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "5")), checkAt(4));

        assertThat(server.requestCount()).as("4.2, 3.8, 4.4, 4.2 fix their median, but a fifth could reach 5 or fall below 2").isEqualTo(5);
        Sampling sampling = onlyOutcome().verdict().sampling();
        assertThat(sampling.effectiveScores()).containsExactly(4.2, 3.8, 4.4, 4.2, 4.2);
        assertThat(sampling.stoppedEarly()).isFalse();
        assertThat(onlyOutcome().unstable()).as("3.8 is below the threshold 4, the rest above").isTrue();
    }

    // --- a pass/fail criterion: met at the midpoint ---------------------------------------------

    private static Runnable politeness() {
        return () -> assertThatAnswer(JudgeHarness.ANSWER).meets("answers in a polite tone").passes();
    }

    @Test
    void a_pass_fail_criterion_the_judge_finds_97_percent_likely_to_pass_passes_and_its_row_keeps_0_97() {
        server.enqueue(Reply.withLogprobs(new Scored(1, "Polite.", Map.of(1, 0.97, 0, 0.03))));

        assertThat(run(byProbabilities(), politeness())).as("1 is more probable than 0").isNull();

        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome).isInstanceOf(CheckOutcome.Passed.class);
        assertThat(outcome.verdict().effectiveScore()).as("not certain, and not shown as certain").isEqualTo(0.97);
        ReportRow row = ReportRow.of(outcome);
        assertThat(row.scoreText()).isEqualTo("0.97");
        assertThat(row.thresholdText()).as("what the score was compared with").isEqualTo("0.50");
        assertThat(MetricStats.of(row.metric(), List.of(row)).passRate()).isEqualTo(1.0);
        assertThat(MetricStats.of(row.metric(), List.of(row)).mean()).as("the mean stays the weighted score").isEqualTo(0.97);
    }

    @Test
    void a_pass_fail_criterion_at_0_42_fails_with_the_probability_of_1_and_the_midpoint_it_needed() {
        server.enqueue(Reply.withLogprobs(new Scored(0, "Curt.", Map.of(0, 0.58, 1, 0.42))));

        Throwable thrown = run(byProbabilities(), politeness());

        assertThat(thrown).isInstanceOf(AssertionError.class).hasMessageContaining("to score at least 1 on pass_fail_criterion (v1), but"
                + " the judge scored it 0.42 (the probability of 1; a pass needs at least 0.50, 1 at least as probable as 0).\n"
                + "Scored by probabilities: the mean of the levels weighted by their probabilities at the score's token (the judge"
                + " wrote 0):\n  0: 0.58, 1: 0.42");
        CheckOutcome outcome = onlyOutcome();
        assertThat(((CheckOutcome.Failed) outcome).belowThreshold()).isTrue();
    }

    @Test
    void a_pass_fail_criterion_at_exactly_0_5_passes_as_1_is_as_probable_as_0() {
        server.enqueue(Reply.withLogprobs(new Scored(1, "Either.", Map.of(1, 0.5, 0, 0.5))));

        assertThat(run(byProbabilities(), politeness())).isNull();
    }

    @Test
    void pass_fail_samples_that_all_find_1_more_probable_are_a_stable_pass() {
        honoursN(new Scored(1, "A.", Map.of(1, 1.0)), new Scored(1, "B.", Map.of(1, 0.7, 0, 0.3)), new Scored(1, "C.", Map.of(1, 0.6, 0, 0.4)));

        Throwable thrown = run(byProbabilities(Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3", LlmJudgeConfig.JUDGE_ON_UNSTABLE, "abort")),
                politeness());

        assertThat(thrown).as("1.00, 0.70, 0.60 all reach 0.50: passed by the median 0.70, not unstable").isNull();
        assertThat(onlyOutcome()).isInstanceOf(CheckOutcome.Passed.class);
        assertThat(onlyOutcome().unstable()).isFalse();
    }

    @Test
    void pass_fail_samples_on_both_sides_of_the_midpoint_are_unstable_and_abort_naming_it() {
        honoursN(new Scored(1, "A.", Map.of(1, 0.9, 0, 0.1)), new Scored(0, "B.", Map.of(0, 0.7, 1, 0.3)), new Scored(1, "C.", Map.of(1, 0.8, 0, 0.2)));

        Throwable thrown = run(byProbabilities(Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3", LlmJudgeConfig.JUDGE_ON_UNSTABLE, "abort")),
                politeness());

        assertThat(thrown).isInstanceOf(TestAbortedException.class).hasMessageContaining("is unstable at threshold 1: samples 0.90, 0.30,"
                + " 0.80 (median 0.80, 3 of 3 drawn in one request with n), on both sides of 0.50, where the threshold 1 is met");
    }

    @Test
    void a_pass_fail_check_failed_only_for_being_unstable_is_not_below_its_threshold_in_the_message_nor_the_summary() {
        honoursN(new Scored(1, "A.", Map.of(1, 0.9, 0, 0.1)), new Scored(0, "B.", Map.of(0, 0.7, 1, 0.3)), new Scored(1, "C.", Map.of(1, 0.8, 0, 0.2)));

        Throwable thrown = run(byProbabilities(Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3", LlmJudgeConfig.JUDGE_ON_UNSTABLE, "fail")),
                politeness());

        assertThat(thrown).isInstanceOf(AssertionError.class).hasMessageContaining("the check is unstable: its median 0.80 meets the"
                + " threshold and some of its samples do not (the probability of 1; a pass needs at least 0.50, 1 at least as probable"
                + " as 0)");
        CheckOutcome.Failed failed = (CheckOutcome.Failed) onlyOutcome();
        assertThat(failed.belowThreshold()).as("0.80 reaches 0.50").isFalse();
        assertThat(RunReports.belowThreshold(ReportRow.of(failed))).isFalse();
    }

    @Test
    void pass_fail_drawing_goes_on_while_a_sample_left_could_fall_below_the_midpoint() {
        List<Scored> replies = List.of(new Scored(1, "A.", Map.of(1, 1.0)), new Scored(1, "B.", Map.of(1, 1.0)),
                new Scored(1, "C.", Map.of(1, 1.0)), new Scored(1, "D.", Map.of(1, 0.7, 0, 0.3)), new Scored(0, "E.", Map.of(0, 0.8, 1, 0.2)));
        AtomicInteger next = new AtomicInteger();
        server.otherwise(request -> Reply.withLogprobs(replies.get(next.getAndIncrement())));

        run(byProbabilities(Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "5")), politeness());

        assertThat(server.requestCount()).as("1.0, 1.0, 1.0, 0.7 fix the median, but all reach 0.50: a fifth could fall below it")
                .isEqualTo(5);
        assertThat(onlyOutcome().verdict().sampling().effectiveScores()).containsExactly(1.0, 1.0, 1.0, 0.7, 0.2);
        assertThat(onlyOutcome().unstable()).as("0.2 is below 0.50").isTrue();
        assertThat(onlyOutcome()).as("passed by the median 1.0").isInstanceOf(CheckOutcome.Passed.class);
    }

    @Test
    void a_pass_fail_criterion_scored_by_the_reply_still_needs_the_judge_to_write_1() {
        server.enqueue(Reply.verdict(0, "Curt."), Reply.verdict(1, "Polite."));
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.CACHE_MODE, "off"));

        assertThat(run(runtime, politeness())).isInstanceOf(AssertionError.class).hasMessageContaining("but the judge scored it 0 (scale"
                + " 0 to 1).");
        assertThat(run(runtime, politeness())).isNull();
        assertThat(ReportRow.of(harness.checks.get(0)).thresholdText()).isEqualTo("1");
    }

    // --- replay and the cache key ------------------------------------------------------------

    @Test
    void a_recorded_verdict_replays_with_its_distributions_and_weighted_score() {
        honoursN(new Scored(4, "Sample 1.", FOUR_POINT_TWO), new Scored(5, "Sample 2.", Map.of(5, 0.5, 4, 0.5)),
                new Scored(4, "Sample 3.", Map.of(4, 0.8, 3, 0.2)));
        run(byProbabilities(Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3")), checkAt(4));
        Verdict recorded = onlyOutcome().verdict();

        harness.checks.clear();
        Throwable replayed = run(byProbabilities(Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3", LlmJudgeConfig.CACHE_MODE, "replay")), checkAt(4));

        assertThat(replayed).isNull();
        assertThat(server.requestCount()).isEqualTo(1);
        Verdict verdict = onlyOutcome().verdict();
        assertThat(verdict.cached()).isTrue();
        assertThat(verdict.sampling()).isEqualTo(recorded.sampling());
        assertThat(verdict.sampling().samples().get(1).distribution().probabilities()).containsExactly(Map.entry(4, 0.5), Map.entry(5, 0.5));
        assertThat(verdict.weightedScore()).hasValue(4.2);
        assertThat(onlyOutcome().unstable()).isTrue();
    }

    private String replyKey() {
        return harness.keyOfTheSimilarityCheck(server.baseUrl());
    }

    @Test
    void score_by_reply_keeps_its_key_and_asks_for_no_logprobs_while_probabilities_have_another_key() {
        server.enqueue(Reply.verdict(5, "Same."), Reply.withLogprobs(new Scored(4, "Close.", FOUR_POINT_TWO)));

        run(harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_SCORE_BY, "reply")), checkAt(4));
        assertThat(harness.verdictFiles()).extracting(JudgeHarness::keyOf).containsExactly(replyKey());
        assertThat(server.lastRequest().json().has("logprobs")).isFalse();
        assertThat(server.lastRequest().json().has("top_logprobs")).isFalse();

        run(byProbabilities(), checkAt(4));
        assertThat(server.requestCount()).as("the verdict scored by the reply does not answer a check scored by probabilities").isEqualTo(2);
        assertThat(harness.verdictFiles()).hasSize(2).extracting(JudgeHarness::keyOf).contains(replyKey())
                .anySatisfy(key -> assertThat(key).isNotEqualTo(replyKey()));
    }

    // --- no distribution: an error, never the integer ----------------------------------------

    @Test
    void a_reply_without_logprobs_errors_with_no_probabilities_and_nothing_is_cached() {
        server.otherwise(request -> Reply.verdict(5, "Same meaning."));

        JudgeException e = JudgeHarness.error(byProbabilities(), checkAt(4));

        assertThat(e.reason()).isEqualTo(Reason.NO_PROBABILITIES);
        assertThat(e.getMessage()).isEqualTo("the judge model 'judge-test-model' replied without logprobs (the log probabilities of its"
                + " tokens), which llmjudge.judge.score-by=probabilities reads the score from: the endpoint or the model does not"
                + " return them. Nothing was cached. Use a judge model and endpoint that return logprobs, or score by the integer the"
                + " judge writes with llmjudge.judge.score-by=reply.");
        assertThat(server.requestCount()).as("asking again would not bring logprobs").isEqualTo(1);
        harness.assertRecordedAsError(e);
        harness.assertNothingCached();
    }

    @Test
    void logprobs_with_no_level_at_the_score_token_error_saying_so_and_nothing_is_cached() {
        server.otherwise(request -> Reply.withLogprobs(new Scored(4, "Close.", Map.of())));

        JudgeException e = JudgeHarness.error(byProbabilities(), checkAt(4));

        assertThat(e.reason()).isEqualTo(Reason.NO_PROBABILITIES);
        assertThat(e.getMessage()).startsWith("the judge model 'judge-test-model' gave no level of the rubric (1 to 5) a probability among"
                + " the 2 alternatives at the token that holds its score \"4\": \"four\", \"4\". Nothing was cached.");
        harness.assertRecordedAsError(e);
        harness.assertNothingCached();
    }

    @Test
    void logprobs_whose_weights_overflow_error_with_no_probabilities_and_keep_the_tokens_the_reply_was_billed() {
        // Logprobs far above 0, which no probability has: each level's weight is near Double.MAX_VALUE, and their sum infinite.
        server.otherwise(request -> Reply.withLogprobs(new Scored(4, "Close.", Map.of(4, Double.MAX_VALUE, 5, Double.MAX_VALUE))));
        LlmJudgeRuntime runtime = byProbabilities();

        JudgeException e = JudgeHarness.error(runtime, checkAt(4));

        assertThat(e.reason()).isEqualTo(Reason.NO_PROBABILITIES);
        assertThat(e.getMessage()).startsWith("the judge model 'judge-test-model' replied with logprobs that give no distribution of the"
                + " levels (");
        assertThat(e.spent()).as("the reply was billed 120 + 30 tokens at the test server").isEqualTo(new TokenUsage(120, 30));
        assertThat(runtime.spent().totalTokens()).as("booked in the run's budget").isEqualTo(150);
        harness.assertRecordedAsError(e);
        harness.assertNothingCached();
    }

    @Test
    void a_score_written_in_a_token_with_other_characters_errors_as_its_alternatives_are_no_scores() {
        server.otherwise(request -> Reply.withLogprobs(level -> level + "}", new Scored(4, "Close.", FOUR_POINT_TWO)));

        JudgeException e = JudgeHarness.error(byProbabilities(), checkAt(4));

        assertThat(e.reason()).isEqualTo(Reason.NO_PROBABILITIES);
        assertThat(e.getMessage()).startsWith("the judge model 'judge-test-model' wrote its score 4 in the token \"4}\" together with other"
                + " characters, so the alternatives at that token are not scores alone and give no distribution of the levels.");
        harness.assertRecordedAsError(e);
        harness.assertNothingCached();
    }

    @Test
    void a_sample_without_logprobs_errors_the_verdict_of_several_and_nothing_is_cached() {
        server.enqueue(Reply.withLogprobs(new Scored(4, "Close.", FOUR_POINT_TWO)));
        server.otherwise(request -> Reply.verdicts(4));

        JudgeException e = JudgeHarness.error(byProbabilities(Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3")), checkAt(4));

        assertThat(e.reason()).isEqualTo(Reason.NO_PROBABILITIES);
        assertThat(e.getMessage()).startsWith("the judge gave 1 of the 3 samples asked for metric 'answer_similarity', and sample 2 failed:"
                + " the judge model 'judge-test-model' replied without logprobs");
        harness.assertRecordedAsError(e);
        harness.assertNothingCached();
    }

    @Test
    void a_model_that_rejects_logprobs_errors_with_no_probabilities_and_is_not_asked_without_them() {
        server.otherwise(request -> Reply.raw(400, "application/json", "{\"error\": {\"message\": \"logprobs are not supported with this"
                + " model\", \"type\": \"invalid_request_error\", \"param\": \"logprobs\", \"code\": \"unsupported_parameter\"}}"));

        JudgeException e = JudgeHarness.error(byProbabilities(), checkAt(4));

        assertThat(e.reason()).isEqualTo(Reason.NO_PROBABILITIES);
        assertThat(e.getMessage()).startsWith("the judge endpoint " + server.baseUrl() + " rejected logprobs for model 'judge-test-model'"
                + " (HTTP 400: ").contains("logprobs are not supported with this model", "llmjudge.judge.score-by=reply");
        assertThat(server.requests()).as("never retried without logprobs").hasSize(1)
                .allSatisfy(r -> assertThat(r.json().path("logprobs").asBoolean()).isTrue());
        harness.assertRecordedAsError(e);
        harness.assertNothingCached();
    }

    @Test
    void a_judge_given_in_code_that_returns_no_distribution_errors_and_its_fingerprint_asked_for_one() {
        List<Map<String, Object>> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        Judge alwaysFour = new Judge() {
            @Override
            public JudgeFingerprint fingerprint(JudgeRequest request) {
                return new JudgeFingerprint("always-four", Map.of(), List.of(request.evaluationCase().answer()));
            }

            @Override
            public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
                asked.add(fingerprint.parameters());
                Metric m = request.metric();
                return new Verdict(m.name(), m.version(), 4, m.minScore(), m.maxScore(), "Always four.", fingerprint.model(),
                        fingerprint.parameters(), null, false, null, Duration.ZERO, TokenUsage.NONE);
            }
        };
        LlmJudgeRuntime runtime = LlmJudgeRuntime.builder().judge(alwaysFour).config(JudgeHarness.config(server.baseUrl(), harness.cacheDir,
                Map.of(LlmJudgeConfig.JUDGE_SCORE_BY, "probabilities"))).build();

        JudgeException e = JudgeHarness.error(runtime, checkAt(4));
        runtime.close();

        assertThat(e.reason()).isEqualTo(Reason.NO_PROBABILITIES);
        assertThat(e.getMessage()).startsWith("the judge 'always-four' gave a verdict on metric 'answer_similarity' without the"
                + " probabilities of the levels at its score, which llmjudge.judge.score-by=probabilities scores it by. Nothing was cached.");
        assertThat(asked).singleElement().satisfies(parameters -> assertThat(parameters).containsEntry("logprobs", true)
                .containsEntry("top_logprobs", 20));
        harness.assertRecordedAsError(e);
        harness.assertNothingCached();
    }

    @Test
    void a_metric_whose_levels_are_not_single_digits_is_refused_before_any_request() {
        Metric percent = Metric.builder("percent_similar").definition("How similar, in tenths.").requires(Field.GROUND_TRUTH)
                .level(0, "Nothing alike.").level(1, "1").level(2, "2").level(3, "3").level(4, "4").level(5, "5").level(6, "6")
                .level(7, "7").level(8, "8").level(9, "9").level(10, "The same.").build();

        JudgeException e = JudgeHarness.error(byProbabilities(), () -> assertThatAnswer(JudgeHarness.ANSWER)
                .withGroundTruth(JudgeHarness.GROUND_TRUTH).judgedBy(percent).withScoreAtLeast(7));

        assertThat(e.reason()).isEqualTo(Reason.NO_PROBABILITIES);
        assertThat(e.getMessage()).isEqualTo("metric 'percent_similar' has levels 0 to 10, but llmjudge.judge.score-by=probabilities reads"
                + " a score from the probabilities of the levels at the one token that holds it, so every level must be a single digit"
                + " (0 to 9): a tokenizer may write a level such as 10 as two tokens, and the alternative 1 would then also be the start"
                + " of 10. Nothing was sent. Score this metric by the integer the judge writes (llmjudge.judge.score-by=reply), or give it"
                + " a rubric of single-digit levels.");
        assertThat(server.requestCount()).isZero();
        harness.assertRecordedAsError(e);
        harness.assertNothingCached();
    }
}
