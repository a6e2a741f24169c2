package dev.llmjudge.reliability;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.internal.report.RunReports;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Received;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * Several samples per verdict, over the loopback server: the median as the score, every sample in
 * the one verdict file, one request with {@code n} where the server honours it and separate
 * requests with distinct seeds where it does not, the early stop, the unstable mark and what
 * {@code llmjudge.judge.on-unstable} makes of it, a sample that cannot be had, and the cache keys.
 */
class SamplesTest extends LoopbackJudgeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The server honours {@code n}: each request gets as many choices as it asks for, the next scores of {@code scores}. */
    private void honoursN(int... scores) {
        AtomicInteger next = new AtomicInteger();
        server.otherwise(request -> {
            int n = Math.max(1, request.json().path("n").asInt(1));
            return Reply.verdicts(Arrays.copyOfRange(scores, next.getAndAdd(n), next.get()));
        });
    }

    /** The server ignores {@code n}: each request gets one choice, the next score of {@code scores}. */
    private void ignoresN(int... scores) {
        AtomicInteger next = new AtomicInteger();
        server.otherwise(request -> Reply.verdicts(scores[next.getAndIncrement()]));
    }

    private LlmJudgeRuntime sampling(int samples) {
        return sampling(samples, Map.of());
    }

    private LlmJudgeRuntime sampling(int samples, Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put(LlmJudgeConfig.JUDGE_SAMPLES, String.valueOf(samples));
        return harness.runtime(server.baseUrl(), all);
    }

    /** Runs {@code check} with {@code runtime}; returns what it threw, or {@code null}. */
    private static Throwable run(LlmJudgeRuntime runtime, Runnable check) {
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            return catchThrowable(check::run);
        }
    }

    private static final Runnable CHECK_AT_4 = JudgeHarness::similarityCheck;

    private JsonNode verdictFile() throws IOException {
        assertThat(harness.verdictFiles()).hasSize(1);
        return JSON.readTree(harness.verdictFiles().get(0).toFile());
    }

    private CheckOutcome onlyOutcome() {
        assertThat(harness.checks).hasSize(1);
        return harness.checks.get(0);
    }

    private static List<Long> seeds(List<Received> requests) {
        return requests.stream().map(r -> r.json().path("seed").asLong()).toList();
    }

    // --- the median, the samples in the verdict file, the unstable mark ----------------------

    @Test
    void five_two_five_scores_the_median_five_keeps_three_samples_in_the_verdict_file_and_is_unstable_at_four() throws IOException {
        honoursN(5, 2, 5);

        assertThat(run(sampling(3), CHECK_AT_4)).as("the median 5 decides: the check passes").isNull();

        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome).isInstanceOf(CheckOutcome.Passed.class);
        assertThat(outcome.verdict().score()).isEqualTo(5);
        assertThat(outcome.unstable()).isTrue();
        assertThat(outcome.sampleScores()).containsExactly(5, 2, 5);
        ReportRow row = ReportRow.of(outcome);
        assertThat(row.unstable()).isTrue();
        assertThat(row.samples()).containsExactly(5, 2, 5);
        JsonNode file = verdictFile();
        assertThat(file.path("score").asInt()).isEqualTo(5);
        assertThat(file.path("justification").asText()).isEqualTo("Sample 1 scores 5.");
        assertThat(file.path("samples")).hasSize(3);
        assertThat(file.path("samples")).extracting(s -> s.path("score").asInt()).containsExactly(5, 2, 5);
        assertThat(file.path("samples")).extracting(s -> s.path("justification").asText())
                .containsExactly("Sample 1 scores 5.", "Sample 2 scores 2.", "Sample 3 scores 5.");
        JsonNode sampling = file.path("sampling");
        assertThat(sampling.path("asked").asInt()).isEqualTo(3);
        assertThat(sampling.path("drawn").asText()).isEqualTo("n");
        assertThat(sampling.path("stopped_early").asBoolean(true)).isFalse();
        assertThat(sampling.path("min").asInt()).isEqualTo(2);
        assertThat(sampling.path("max").asInt()).isEqualTo(5);
    }

    @Test
    void two_five_two_fails_with_the_median_two_and_is_unstable_too() {
        honoursN(2, 5, 2);

        Throwable thrown = run(sampling(3), CHECK_AT_4);

        assertThat(thrown).isInstanceOf(AssertionError.class)
                .hasMessageContaining("to score at least 4 on answer_similarity (v1), but the judge scored it 2 (scale 1 to 5).")
                .hasMessageContaining("Samples:\n  samples 2, 5, 2 (median 2, 3 of 3 drawn in one request with n), on both sides of the"
                        + " threshold 4");
        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome).isInstanceOf(CheckOutcome.Failed.class);
        assertThat(outcome.verdict().score()).isEqualTo(2);
        assertThat(outcome.unstable()).isTrue();
    }

    @Test
    void samples_on_one_side_of_the_threshold_are_stable() {
        honoursN(5, 4, 5);

        assertThat(run(sampling(3), CHECK_AT_4)).isNull();

        assertThat(onlyOutcome().unstable()).isFalse();
        assertThat(ReportRow.of(onlyOutcome()).unstable()).isFalse();
    }

    @Test
    void an_even_number_of_samples_scores_the_lower_middle_one() {
        honoursN(5, 2, 4, 3);

        assertThat(run(sampling(4), CHECK_AT_4)).isInstanceOf(AssertionError.class);

        assertThat(onlyOutcome().verdict().score()).as("sorted 2, 3, 4, 5: the lower middle").isEqualTo(3);
    }

    // --- how the samples are drawn -----------------------------------------------------------

    @Test
    void a_server_that_honours_n_is_asked_once_for_all_samples() throws IOException {
        honoursN(4, 5, 4);

        run(sampling(3), CHECK_AT_4);

        assertThat(server.requestCount()).isEqualTo(1);
        JsonNode body = server.lastRequest().json();
        assertThat(body.path("n").asInt()).isEqualTo(3);
        assertThat(body.path("seed").asLong()).isEqualTo(42);
        assertThat(onlyOutcome().verdict().sampling().drawn()).isEqualTo(Sampling.Drawn.N);
        assertThat(verdictFile().path("judge").path("parameters").path("n").asInt()).as("what was sent").isEqualTo(3);
    }

    @Test
    void a_server_that_ignores_n_is_asked_for_the_other_samples_in_separate_requests_with_distinct_seeds() throws IOException {
        ignoresN(4, 5, 3);

        run(sampling(3), CHECK_AT_4);

        List<Received> requests = server.requests();
        assertThat(requests).hasSize(3);
        assertThat(seeds(requests)).containsExactly(42L, 43L, 44L);
        assertThat(requests.get(0).json().path("n").asInt()).isEqualTo(3);
        assertThat(requests.subList(1, 3)).allSatisfy(r -> assertThat(r.json().has("n")).as("one choice each").isFalse());
        Verdict verdict = onlyOutcome().verdict();
        assertThat(verdict.sampling().scores()).containsExactly(4, 5, 3);
        assertThat(verdict.score()).isEqualTo(4);
        assertThat(verdict.sampling().drawn()).isEqualTo(Sampling.Drawn.SEEDS);
        assertThat(verdictFile().path("sampling").path("drawn").asText()).isEqualTo("seeds");
    }

    @Test
    void drawing_stops_once_the_remaining_samples_can_change_neither_the_median_nor_the_instability_and_says_so() throws IOException {
        ignoresN(5, 1, 5, 5, 3);

        assertThat(run(sampling(5), CHECK_AT_4)).isNull();

        assertThat(server.requestCount()).as("5, 1, 5, 5 of 5: the median is 5, and the samples fall on both sides of every"
                + " threshold, whatever the last one scores").isEqualTo(4);
        Sampling sampling = onlyOutcome().verdict().sampling();
        assertThat(sampling.asked()).isEqualTo(5);
        assertThat(sampling.samples()).hasSize(4);
        assertThat(sampling.stoppedEarly()).isTrue();
        assertThat(onlyOutcome().unstable()).isTrue();
        JsonNode file = verdictFile();
        assertThat(file.path("samples")).hasSize(4);
        assertThat(file.path("sampling").path("asked").asInt()).isEqualTo(5);
        assertThat(file.path("sampling").path("stopped_early").asBoolean()).isTrue();
    }

    @Test
    void drawing_goes_on_while_the_remaining_samples_could_still_change_the_median() {
        ignoresN(1, 5, 5, 5, 2);

        run(sampling(5), CHECK_AT_4);

        assertThat(server.requestCount()).as("1, 5, 5 could still become 1: a fourth sample settles it").isEqualTo(4);
        assertThat(onlyOutcome().verdict().sampling().scores()).containsExactly(1, 5, 5, 5);
        assertThat(onlyOutcome().verdict().sampling().stoppedEarly()).isTrue();
    }

    @Test
    void drawing_goes_on_while_the_remaining_samples_could_still_make_the_check_unstable_and_then_marks_it_so() {
        ignoresN(4, 4, 4, 1, 1);

        assertThat(run(sampling(5), CHECK_AT_4)).as("the median 4 decides: the check passes").isNull();

        assertThat(server.requestCount()).as("4, 4, 4 fixes the median, but the last two could fall below the threshold 4")
                .isEqualTo(5);
        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome.verdict().sampling().scores()).containsExactly(4, 4, 4, 1, 1);
        assertThat(outcome.verdict().sampling().stoppedEarly()).isFalse();
        assertThat(outcome.unstable()).isTrue();
        assertThat(ReportRow.of(outcome).unstable()).isTrue();
    }

    @Test
    void a_choice_without_a_valid_verdict_is_drawn_again_with_a_seed() {
        server.enqueue(Reply.choices(List.of("{\"justification\": \"Same.\", \"score\": 5}", "Looks fine.",
                "{\"justification\": \"Close.\", \"score\": 4}")), Reply.verdicts(2));

        run(sampling(3), CHECK_AT_4);

        assertThat(seeds(server.requests())).containsExactly(42L, 43L);
        assertThat(onlyOutcome().verdict().sampling().scores()).containsExactly(5, 4, 2);
        assertThat(onlyOutcome().verdict().sampling().drawn()).isEqualTo(Sampling.Drawn.SEEDS);
    }

    @Test
    void a_check_asks_for_its_own_samples_before_its_threshold() {
        honoursN(5, 2, 5, 4, 4);

        Throwable thrown = run(sampling(3), () -> assertThatAnswer(JudgeHarness.ANSWER).isSimilarTo(JudgeHarness.GROUND_TRUTH).sampled(5)
                .withScoreAtLeast(4));

        assertThat(thrown).isNull();
        assertThat(server.lastRequest().json().path("n").asInt()).as("sampled(5) wins over llmjudge.judge.samples=3").isEqualTo(5);
        assertThat(onlyOutcome().verdict().sampling().scores()).containsExactly(5, 2, 5, 4, 4);
    }

    @Test
    void the_tokens_of_every_sample_are_booked() {
        ignoresN(4, 5, 4);
        LlmJudgeRuntime runtime = sampling(3);

        run(runtime, CHECK_AT_4);

        assertThat(runtime.spent().calls()).as("each request is a call of the budget").isEqualTo(3);
        assertThat(runtime.spent().totalTokens()).isEqualTo(3 * 150);
        ReportRow row = ReportRow.of(onlyOutcome());
        assertThat(row.promptTokens()).isEqualTo(3 * 120);
        assertThat(row.completionTokens()).isEqualTo(3 * 30);
    }

    @Test
    void a_model_that_rejects_n_is_asked_for_each_sample_with_its_own_seed() {
        String rejection = "{\"error\": {\"message\": \"Unsupported value: 'n' does not support 3 with this model.\","
                + " \"type\": \"invalid_request_error\", \"param\": \"n\", \"code\": \"unsupported_value\"}}";
        int[] scores = {5, 2, 4};
        AtomicInteger next = new AtomicInteger();
        server.otherwise(request -> request.json().has("n") ? Reply.raw(400, "application/json", rejection)
                : Reply.verdicts(scores[next.getAndIncrement()]));

        Throwable thrown = run(sampling(3), CHECK_AT_4);

        assertThat(thrown).as("a 400 naming n is not a verdict error: n is left out").isNull();
        assertThat(server.requests()).extracting(r -> r.json().has("n")).containsExactly(true, false, false, false);
        assertThat(seeds(server.requests().subList(1, 4))).containsExactly(42L, 43L, 44L);
        assertThat(onlyOutcome().verdict().sampling().scores()).containsExactly(5, 2, 4);
        assertThat(onlyOutcome().verdict().sampling().drawn()).isEqualTo(Sampling.Drawn.SEEDS);
    }

    @Test
    void a_check_that_asks_for_no_sample_or_too_many_is_rejected_before_any_request() {
        for (int samples : new int[] {0, -1, JudgeRequest.MAX_SAMPLES + 1}) {
            Throwable thrown = run(sampling(1), () -> assertThatAnswer(JudgeHarness.ANSWER).isSimilarTo(JudgeHarness.GROUND_TRUTH)
                    .sampled(samples).withScoreAtLeast(4));
            assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("sampled(" + samples + "): a verdict takes 1 to " + JudgeRequest.MAX_SAMPLES + " samples");
        }
        assertThat(server.requestCount()).isZero();
        assertThat(harness.checks).allSatisfy(c -> assertThat(c).isInstanceOf(CheckOutcome.Errored.class))
                .extracting(c -> ((CheckOutcome.Errored) c).reason()).containsOnly(Reason.INVALID_INPUT);
    }

    @Test
    void an_embedding_check_that_asks_for_samples_is_rejected_as_they_could_never_differ() {
        Throwable thrown = run(sampling(1), () -> assertThatAnswer(JudgeHarness.ANSWER).withGroundTruth(JudgeHarness.GROUND_TRUTH)
                .judgedBy(dev.llmjudge.embedding.EmbeddingMetrics.semanticSimilarity()).sampled(3).withScoreAtLeast(80));

        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).hasMessage("sampled(3): semantic_similarity is judged by an embedding"
                + " model, which gives the same score every time, so its samples could never differ: leave sampled(n) out");
    }

    // --- llmjudge.judge.on-unstable ----------------------------------------------------------

    @Test
    void on_unstable_abort_aborts_the_test_with_every_sample_score() {
        honoursN(5, 2, 5);

        Throwable thrown = run(sampling(3, Map.of(LlmJudgeConfig.JUDGE_ON_UNSTABLE, "abort")), CHECK_AT_4);

        assertThat(thrown).isInstanceOf(TestAbortedException.class).hasMessageStartingWith("aborted: the check of answer_similarity (v1) on"
                + " answer \"Paris is the capital of France.\" is unstable at threshold 4: samples 5, 2, 5 (median 5, 3 of 3 drawn in one"
                + " request with n), on both sides of the threshold 4, so its median can be trusted neither as a pass nor as a failure"
                + " (llmjudge.judge.on-unstable=abort).");
        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome).isInstanceOf(CheckOutcome.Skipped.class);
        assertThat(outcome.unstable()).isTrue();
        assertThat(outcome.sampleScores()).containsExactly(5, 2, 5);
        ReportRow row = ReportRow.of(outcome);
        assertThat(row.outcome()).isEqualTo(ReportRow.SKIPPED);
        assertThat(row.score()).as("neither a pass nor a regression").isNull();
        assertThat(row.errorMessage()).isEqualTo(thrown.getMessage());
        assertThat(harness.verdictFiles()).as("the verdict is recorded all the same: it is what the judge said").hasSize(1);
    }

    @Test
    void on_unstable_abort_leaves_a_stable_check_alone() {
        honoursN(5, 4, 5);

        assertThat(run(sampling(3, Map.of(LlmJudgeConfig.JUDGE_ON_UNSTABLE, "abort")), CHECK_AT_4)).isNull();

        assertThat(onlyOutcome()).isInstanceOf(CheckOutcome.Passed.class);
    }

    @Test
    void on_unstable_fail_fails_a_check_whose_median_passes() {
        honoursN(5, 2, 5);

        Throwable thrown = run(sampling(3, Map.of(LlmJudgeConfig.JUDGE_ON_UNSTABLE, "fail")), CHECK_AT_4);

        assertThat(thrown).isInstanceOf(AssertionError.class).hasMessageContaining("to score at least 4 on answer_similarity (v1), but the"
                + " check is unstable: its median 5 meets the threshold and some of its samples do not (scale 1 to 5), and"
                + " llmjudge.judge.on-unstable=fail fails an unstable check.\nSamples:\n  samples 5, 2, 5");
        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome).isInstanceOf(CheckOutcome.Failed.class);
        assertThat(((CheckOutcome.Failed) outcome).belowThreshold()).isFalse();
        assertThat(outcome.verdict().score()).isEqualTo(5);
    }

    // --- a sample that cannot be had ---------------------------------------------------------

    @Test
    void a_sample_that_fails_again_after_its_retries_errors_the_check_and_nothing_is_cached() {
        server.enqueue(Reply.verdicts(5));
        server.otherwise(request -> Reply.error(503, "overloaded"));

        JudgeException e = JudgeHarness.error(sampling(3), CHECK_AT_4);

        assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
        assertThat(e.getMessage()).startsWith("the judge gave 1 of the 3 samples asked for metric 'answer_similarity', and sample 2 failed:"
                + " the judge endpoint").contains("after 3 attempts", "A verdict with fewer samples than asked is never recorded nor"
                + " scored by the median of fewer");
        assertThat(server.requestCount()).as("one request with n, then the second sample's 3 attempts").isEqualTo(4);
        harness.assertRecordedAsError(e);
        harness.assertNothingCached();
    }

    @Test
    void an_invalid_reply_for_a_sample_errors_the_check_with_every_billed_reply_spent_and_nothing_is_cached() {
        server.enqueue(Reply.verdicts(5), Reply.verdicts(4));
        server.otherwise(request -> Reply.content("Looks fine."));

        JudgeException e = JudgeHarness.error(sampling(3), CHECK_AT_4);

        assertThat(e.reason()).isEqualTo(Reason.INVALID_REPLY);
        assertThat(e.getMessage()).startsWith("the judge gave 2 of the 3 samples asked for metric 'answer_similarity', and sample 3 failed:");
        assertThat(e.spent()).as("the two samples drawn and the two invalid replies were billed, 120 + 30 tokens each")
                .isEqualTo(new TokenUsage(4 * 120, 4 * 30));
        harness.assertRecordedAsError(e);
        harness.assertNothingCached();
    }

    // --- cache keys and replay ---------------------------------------------------------------

    private String keyWithoutSampling() {
        return harness.keyOfTheSimilarityCheck(server.baseUrl());
    }

    @Test
    void one_sample_keeps_the_key_a_verdict_has_without_sampling_and_three_samples_have_another() {
        honoursN(5, 5, 5, 5);

        run(sampling(1), CHECK_AT_4);
        assertThat(JudgeHarness.keyOf(harness.verdictFiles().get(0))).isEqualTo(keyWithoutSampling());
        assertThat(server.lastRequest().json().has("n")).isFalse();

        run(sampling(3), CHECK_AT_4);
        assertThat(harness.verdictFiles()).hasSize(2).extracting(JudgeHarness::keyOf).contains(keyWithoutSampling())
                .anySatisfy(key -> assertThat(key).isNotEqualTo(keyWithoutSampling()));
    }

    @Test
    void a_verdict_of_five_samples_does_not_answer_a_check_that_asks_for_three() {
        honoursN(5, 5, 5, 5, 5, 4, 4, 4);

        run(sampling(5), CHECK_AT_4);
        run(sampling(3), CHECK_AT_4);

        assertThat(server.requestCount()).as("the three samples are judged: five recorded ones are not reused").isEqualTo(2);
        assertThat(harness.verdictFiles()).hasSize(2);
        assertThat(harness.checks.get(1).verdict().sampling().scores()).containsExactly(4, 4, 4);
    }

    @Test
    void a_recorded_verdict_of_three_samples_replays_with_all_its_samples() {
        honoursN(5, 2, 5);
        run(sampling(3), CHECK_AT_4);
        Verdict recorded = onlyOutcome().verdict();

        harness.checks.clear();
        Throwable replayed = run(sampling(3, Map.of(LlmJudgeConfig.CACHE_MODE, "replay")), CHECK_AT_4);

        assertThat(replayed).isNull();
        assertThat(server.requestCount()).isEqualTo(1);
        Verdict verdict = onlyOutcome().verdict();
        assertThat(verdict.cached()).isTrue();
        assertThat(verdict.sampling()).isEqualTo(recorded.sampling());
        assertThat(verdict.sampling().samples()).extracting(Sampling.Sample::justification)
                .containsExactly("Sample 1 scores 5.", "Sample 2 scores 2.", "Sample 3 scores 5.");
        assertThat(onlyOutcome().unstable()).as("the replayed check is as unstable as the judged one").isTrue();
    }

    @Test
    void a_verdict_file_rewritten_by_hand_with_another_score_than_its_samples_median_is_judged_again() throws IOException {
        honoursN(5, 2, 5, 4, 4, 4);
        run(sampling(3), CHECK_AT_4);
        Path file = harness.verdictFiles().get(0);
        Files.writeString(file, Files.readString(file).replace("\"score\" : 5,\n  \"scale\"", "\"score\" : 2,\n  \"scale\""));

        harness.checks.clear();
        run(sampling(3), CHECK_AT_4);

        assertThat(server.requestCount()).as("a corrupt file is judged again in auto mode").isEqualTo(2);
        assertThat(onlyOutcome().verdict().sampling().scores()).containsExactly(4, 4, 4);
    }

    @Test
    void a_verdict_file_that_stopped_once_its_median_was_fixed_as_an_earlier_version_did_is_judged_again_in_full() throws IOException {
        ignoresN(4, 4, 4, 1, 1, 4, 4, 4, 1, 1);
        run(sampling(5), CHECK_AT_4);
        // As an earlier version recorded it: 4, 4, 4 of 5, stopped early, though two 1s to come would make a check at 4 unstable.
        Path file = harness.verdictFiles().get(0);
        ObjectNode earlier = (ObjectNode) JSON.readTree(file.toFile());
        ((ObjectNode) earlier.path("sampling")).put("stopped_early", true);
        ((ArrayNode) earlier.path("samples")).remove(4);
        ((ArrayNode) earlier.path("samples")).remove(3);
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(earlier));

        harness.checks.clear();
        run(sampling(5), CHECK_AT_4);

        assertThat(server.requestCount()).as("the file is judged again in auto mode, every sample drawn").isEqualTo(10);
        assertThat(onlyOutcome().verdict().sampling().scores()).containsExactly(4, 4, 4, 1, 1);
        assertThat(onlyOutcome().unstable()).isTrue();
    }

    @Test
    void should_not_count_a_check_failed_for_being_unstable_whose_median_meets_its_threshold_as_below_it() {
        server.otherwise(request -> Reply.verdicts(5, 2, 5));
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3",
                LlmJudgeConfig.JUDGE_ON_UNSTABLE, "fail"));
        Throwable thrown;
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            thrown = catchThrowable(JudgeHarness::similarityCheck);
        }

        assertThat(thrown).isInstanceOf(AssertionError.class);
        assertThat(harness.checks).singleElement().isInstanceOfSatisfying(CheckOutcome.Failed.class,
                f -> assertThat(f.belowThreshold()).isFalse());
        RunReport.Totals totals = RunReports.totals(harness.checks.stream().map(ReportRow::of).toList());
        assertThat(totals.belowThreshold()).as("median 5 meets threshold 4").isZero();
        assertThat(totals.unstable()).isEqualTo(1);
    }
}
