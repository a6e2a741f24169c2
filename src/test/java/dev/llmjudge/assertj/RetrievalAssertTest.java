package dev.llmjudge.assertj;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatRetrieval;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.openai.PromptRenderer;
import dev.llmjudge.internal.cache.BatchCollector;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.judge.ContextChunks;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.PublishedOutcomes;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Received;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Scored;
import dev.llmjudge.testsupport.TestRuntimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.opentest4j.TestAbortedException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Retrieval checks over a real socket to an OpenAI-compatible server on 127.0.0.1. */
class RetrievalAssertTest {
    private static final String QUESTION = "How long do refunds take?";
    /**
     * Five chunks, relevant at ranks 1, 3 and 4: the judge below calls a chunk relevant when it mentions refunds, and a
     * sentence of the ground truth supported unless it is about gift wrapping.
     */
    private static final List<String> CHUNKS = List.of(
            "Refunds are issued within 5 business days of receiving the return.",
            "Our office is open Monday to Friday.",
            "A refund goes back to the original payment method.",
            "Card refunds can take a further 3 days to show on a statement.",
            "Shipping is free on orders over 50 euros.");

    @TempDir
    Path cacheDir;

    private OpenAiCompatibleServer server;
    @RegisterExtension
    final PublishedOutcomes published = new PublishedOutcomes();

    @BeforeEach
    void start() {
        server = OpenAiCompatibleServer.start();
        server.otherwise(request -> {
            String answer = answerOf(request);
            boolean helps = request.promptText().contains("Chunk relevance") ? answer.contains("efund") : !answer.contains("Gift wrapping");
            return helps ? Reply.verdict(1, "Helps.") : Reply.verdict(0, "Does not help.");
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The answer field of the request's data block: the chunk, or the ground truth's sentence. */
    private static String answerOf(Received request) {
        String user = request.json().path("messages").get(1).path("content").asText();
        String block = user.substring(user.indexOf(PromptRenderer.DATA_OPEN) + PromptRenderer.DATA_OPEN.length(),
                user.indexOf(PromptRenderer.DATA_CLOSE));
        try {
            return new ObjectMapper().readTree(block).path("answer").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void should_reject_a_null_runtime_saying_where_to_get_one() {
        assertThatThrownBy(() -> new RetrievalAssert(QUESTION, CHUNKS, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("new RetrievalAssert(question, chunks, null): the runtime is null: pass the runtime to judge with:"
                        + " a test of an @LlmJudgeTest class gets it as an LlmJudgeRuntime parameter, other code builds one"
                        + " with LlmJudgeRuntime.builder().config(LlmJudgeConfig.fromEnvironment()).build(); or leave it"
                        + " out, new RetrievalAssert(question, chunks), to judge with the current one");
    }

    private static void judged(LlmJudgeRuntime runtime, Runnable assertion) {
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            assertion.run();
        } finally {
            runtime.close();
        }
    }

    @Test
    void should_compute_context_precision_as_ragas_does_matching_the_hand_computation_on_five_chunks() {
        // Relevant at ranks 1, 3, 4: precision@1 = 1/1, precision@3 = 2/3, precision@4 = 3/4; mean over the 3 relevant ranks.
        double byHand = (1.0 / 1 + 2.0 / 3 + 3.0 / 4) / 3;
        assertThat(byHand).isCloseTo(0.8056, within(0.0001));
        assertThat(RetrievalScores.precision(List.of(true, false, true, true, false))).isEqualTo(byHand);

        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatRetrieval(QUESTION, CHUNKS).hasContextPrecisionAtLeast(0.80));

        assertThat(server.requestCount()).isEqualTo(5);
        assertThat(published.outcomes()).singleElement().satisfies(outcome -> {
            assertThat(outcome).isInstanceOf(CheckOutcome.Passed.class);
            assertThat(outcome.verdict().score()).isEqualTo(80);
            assertThat(outcome.check().metric().name()).isEqualTo("context_precision");
            assertThat(ReportRow.of(outcome).justification()).isEqualTo("context precision 0.8056 (mean precision@k over the relevant"
                    + " ranks 1, 3, 4)\n"
                    + "[1] chunk 1 relevant, chunk_relevance 1: Helps.\n"
                    + "[2] chunk 2 not relevant, chunk_relevance 0: Does not help.\n"
                    + "[3] chunk 3 relevant, chunk_relevance 1: Helps.\n"
                    + "[4] chunk 4 relevant, chunk_relevance 1: Helps.\n"
                    + "[5] chunk 5 not relevant, chunk_relevance 0: Does not help.");
        });
    }

    @Test
    void should_fail_below_the_bound_and_replay_every_chunk_verdict_without_a_request() {
        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatRetrieval(QUESTION, CHUNKS).hasContextPrecisionAtLeast(0.5));

        Throwable failure = catchThrowable(() -> judged(TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.CACHE_MODE, "replay")),
                () -> assertThatRetrieval(QUESTION, CHUNKS).hasContextPrecisionAtLeast(0.81)));

        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("context_precision")
                .hasMessageContaining("[2] chunk 2 not relevant");
        assertThat(server.requestCount()).isEqualTo(5);
        assertThat(published.outcomes()).hasSize(2);
        assertThat(published.outcomes().get(1)).isInstanceOf(CheckOutcome.Failed.class);
        assertThat(published.outcomes().get(1).verdict().cached()).isTrue();
        assertThat(published.outcomes().get(1).check().threshold()).isEqualTo(81);
    }

    @Test
    void should_carry_the_batch_its_chunk_verdicts_were_judged_in_so_that_the_retrieval_is_priced_at_the_batch_rate() {
        Metric chunk = Metrics.chunkRelevance();
        Verdict relevant = new Verdict(chunk.name(), chunk.version(), 1, 0, 1, "Helps.", TestRuntimes.MODEL, Map.of(), "k1", true, "f1",
                null, new TokenUsage(100, 10), null, "batch_3");
        Verdict notRelevant = new Verdict(chunk.name(), chunk.version(), 0, 0, 1, "Does not help.", TestRuntimes.MODEL, Map.of(), "k2",
                true, "f2", null, new TokenUsage(100, 10), null, "batch_3");

        Verdict batched = RetrievalScores.verdict(RetrievalScores.CONTEXT_PRECISION, chunk, List.of(relevant, notRelevant), "chunk",
                "relevant", flags -> "mean precision@k", RetrievalScores::precision);
        Verdict mixed = RetrievalScores.verdict(RetrievalScores.CONTEXT_PRECISION, chunk, List.of(relevant, notRelevant.withBatchId(null)),
                "chunk", "relevant", flags -> "mean precision@k", RetrievalScores::precision);

        assertThat(batched.batchId()).isEqualTo("batch_3");
        assertThat(mixed.batchJudged()).as("a chunk judged by a live call: priced at the live rate").isFalse();
    }

    @Test
    void should_rank_the_same_chunks_better_when_the_relevant_ones_come_first() {
        List<String> reordered = List.of(CHUNKS.get(0), CHUNKS.get(2), CHUNKS.get(3), CHUNKS.get(1), CHUNKS.get(4));

        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatRetrieval(QUESTION, reordered).hasContextPrecisionAtLeast(1.0));

        assertThat(published.outcomes()).singleElement().satisfies(outcome -> assertThat(outcome.verdict().score()).isEqualTo(100));
    }

    @Test
    void should_compute_context_recall_as_the_fraction_of_ground_truth_sentences_the_chunks_support() {
        String truth = "Refunds take up to 5 business days. They go back to the original payment method. Gift wrapping is refunded too.";

        judged(TestRuntimes.runtime(server, cacheDir),
                () -> assertThatRetrieval(QUESTION, CHUNKS).withGroundTruth(truth).hasContextRecallAtLeast(0.66));

        assertThat(server.requestCount()).isEqualTo(3);
        assertThat(server.requests().get(0).promptText()).contains("[1] Refunds are issued").contains("[5] Shipping is free");
        assertThat(published.outcomes()).singleElement().satisfies(outcome -> {
            assertThat(outcome).isInstanceOf(CheckOutcome.Passed.class);
            assertThat(outcome.verdict().score()).isEqualTo(66);
            assertThat(outcome.verdict().justification()).startsWith("context recall 0.6667 (sentences supported: 1, 2 of 3)\n")
                    .contains("[3] sentence 3 not supported, statement_support 0");
        });
    }

    @Test
    void should_error_without_a_score_when_the_judge_gives_no_verdict_for_one_chunk() {
        server.otherwise(request -> request.promptText().contains("Our office") ? Reply.error(404, "The model does not exist")
                : Reply.verdict(1, "Helps."));

        Throwable error = catchThrowable(() -> judged(TestRuntimes.runtime(server, cacheDir),
                () -> assertThatRetrieval(QUESTION, CHUNKS).hasContextPrecisionAtLeast(0.5)));

        assertThat(error).isInstanceOf(JudgeException.class);
        assertThat(published.outcomes()).singleElement().isInstanceOf(CheckOutcome.Errored.class);
        assertThat(published.outcomes().get(0).verdict()).isNull();
    }

    @Test
    void should_count_in_the_error_row_the_tokens_of_the_chunks_judged_before_the_failed_one_in_this_run_only() {
        // Chunk 4 fails; chunks 1 to 3 were judged and billed first, 120 prompt and 30 reply tokens each.
        server.otherwise(request -> request.promptText().contains("Card refunds") ? Reply.error(404, "The model does not exist")
                : Reply.verdict(1, "Helps."));

        for (int run = 0; run < 2; run++) {
            catchThrowable(() -> judged(TestRuntimes.runtime(server, cacheDir),
                    () -> assertThatRetrieval(QUESTION, CHUNKS).hasContextPrecisionAtLeast(0.5)));
        }

        assertThat(published.outcomes()).hasSize(2).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(CheckOutcome.Errored.class));
        ReportRow billed = ReportRow.of(published.outcomes().get(0));
        assertThat(billed.promptTokens()).isEqualTo(360);
        assertThat(billed.completionTokens()).isEqualTo(90);
        assertThat(billed.judgeModel()).isEqualTo(TestRuntimes.MODEL);
        // The second run replayed chunks 1 to 3: it was billed for nothing.
        ReportRow replayed = ReportRow.of(published.outcomes().get(1));
        assertThat(replayed.promptTokens()).isNull();
        assertThat(replayed.completionTokens()).isNull();
    }

    @Test
    void should_count_only_the_chunk_judged_in_this_run_when_the_others_are_replayed() {
        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatRetrieval(QUESTION, CHUNKS).hasContextPrecisionAtLeast(0.5));
        List<String> oneMore = Stream.concat(CHUNKS.stream(), Stream.of("Gift cards cannot be refunded.")).toList();

        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatRetrieval(QUESTION, oneMore).hasContextPrecisionAtLeast(0.5));

        assertThat(server.requestCount()).isEqualTo(6);
        ReportRow first = ReportRow.of(published.outcomes().get(0));
        ReportRow second = ReportRow.of(published.outcomes().get(1));
        assertThat(first.promptTokens()).isEqualTo(600);
        assertThat(second.cached()).isFalse();
        assertThat(second.promptTokens()).isEqualTo(120);
        assertThat(second.completionTokens()).isEqualTo(30);
    }

    @Test
    void should_collect_every_chunk_for_a_batch_in_one_run_before_aborting_the_test(@TempDir Path batchDir) throws IOException {
        LlmJudgeRuntime collecting = TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.CACHE_MODE, "collect",
                LlmJudgeConfig.BATCH_DIR, batchDir.toString()));

        Throwable aborted = catchThrowable(() -> judged(collecting, () -> assertThatRetrieval(QUESTION, CHUNKS).hasContextPrecisionAtLeast(0.5)));

        assertThat(aborted).isInstanceOf(TestAbortedException.class).hasMessageContaining("collected for batch judging");
        assertThat(server.requestCount()).isZero();
        try (Stream<Path> files = Files.walk(batchDir)) {
            List<Path> requests = files.filter(f -> f.getFileName().toString().equals(BatchCollector.REQUESTS)).toList();
            assertThat(requests).singleElement().satisfies(file ->
                    assertThat(Files.readAllLines(file)).filteredOn(line -> !line.isBlank()).hasSize(5));
        }
        assertThat(published.outcomes()).singleElement().isInstanceOf(CheckOutcome.Skipped.class);
    }

    @Test
    void should_say_what_is_wrong_with_a_retrieval_that_cannot_be_judged_and_report_it_as_an_invalid_input_error_row() {
        LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir);
        try {
            assertThatThrownBy(() -> new RetrievalAssert(QUESTION, List.of("a", " "), runtime).hasContextPrecisionAtLeast(0.5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("chunk 2 of 2 is blank: pass the text of every chunk the retriever returned");
            assertThatThrownBy(() -> new RetrievalAssert(QUESTION, List.of(), runtime).hasContextPrecisionAtLeast(0.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the context has no chunks");
            assertThatThrownBy(() -> new RetrievalAssert(QUESTION, Arrays.asList("a", null), runtime).hasContextPrecisionAtLeast(0.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunk 2 of 2 is null");
            assertThatThrownBy(() -> new RetrievalAssert(QUESTION, CHUNKS, runtime).hasContextPrecisionAtLeast(1.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a fraction from 0 to 1");
            assertThatThrownBy(() -> new RetrievalAssert(QUESTION, CHUNKS, runtime).hasContextPrecisionAtLeast(0.805))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most two decimals");
            assertThatThrownBy(() -> new RetrievalAssert(QUESTION, CHUNKS, runtime).hasContextRecallAtLeast(0.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("call withGroundTruth(truth) first");
            assertThatThrownBy(() -> new RetrievalAssert(QUESTION, CHUNKS, runtime).withGroundTruth("\u200B").hasContextRecallAtLeast(0.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the ground truth is blank");
            assertThatThrownBy(() -> new RetrievalAssert(null, CHUNKS, runtime).hasContextPrecisionAtLeast(0.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the question");
            assertThatThrownBy(() -> new RetrievalAssert("\u00A0", CHUNKS, runtime).hasContextPrecisionAtLeast(0.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the question").hasMessageContaining("blank");
        } finally {
            runtime.close();
        }
        assertThat(server.requestCount()).isZero();
        // Each is one INVALID_INPUT error row, as bad input to an answer check is: none vanishes from the report.
        assertThat(published.outcomes()).hasSize(9).allSatisfy(outcome -> assertThat(outcome)
                .isInstanceOfSatisfying(CheckOutcome.Errored.class, error -> assertThat(error.reason()).isEqualTo(JudgeException.Reason.INVALID_INPUT)));
        assertThat(published.outcomes()).extracting(outcome -> outcome.check().metric().name()).containsExactly("context_precision",
                "context_precision", "context_precision", "context_precision", "context_precision", "context_recall", "context_recall",
                "context_precision", "context_precision");
        assertThat(published.outcomes()).extracting(outcome -> outcome.check().threshold()).containsExactly(50, 50, 50, null, null, 50, 50,
                50, 50);
        CheckOutcome.Errored blankChunk = (CheckOutcome.Errored) published.outcomes().get(0);
        assertThat(blankChunk.message()).isEqualTo("chunk 2 of 2 is blank: pass the text of every chunk the retriever returned");
        assertThat(blankChunk.check().evaluationCase().question()).isEqualTo(QUESTION);
        assertThat(ReportRow.of(blankChunk).errorReason()).isEqualTo("INVALID_INPUT");
    }

    @Test
    void should_reject_a_chunk_of_only_no_break_or_zero_width_spaces_naming_its_rank() {
        for (String blank : List.of("\u00A0", "\u200B", " \u00A0\u200B\uFEFF ")) {
            assertThatThrownBy(() -> ContextChunks.render(List.of("Refunds take 5 days.", blank)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("chunk 2 of 2 is blank: pass the text of every chunk the"
                            + " retriever returned");
        }
        LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir);
        try {
            // Not "metric 'chunk_relevance' needs the answer": the error names the chunk.
            assertThatThrownBy(() -> new RetrievalAssert(QUESTION, List.of("Refunds take 5 days.", "\u00A0"), runtime)
                    .hasContextPrecisionAtLeast(0.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunk 2 of 2 is blank");
            assertThatThrownBy(() -> new RetrievalAssert(QUESTION, List.of("\u200B", "Refunds take 5 days."), runtime)
                    .withGroundTruth("Refunds take 5 days.").hasContextRecallAtLeast(0.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunk 1 of 2 is blank");
        } finally {
            runtime.close();
        }
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_count_a_chunk_judged_relevant_at_0_9_probability_as_relevant_and_show_the_weighted_score_that_decided() {
        // Scored by probabilities, a 0/1 verdict's weighted score is the probability of 1: chunk 1 is relevant at 0.9 (above
        // the rubric's midpoint 0.5), chunk 2 at 0.4, chunk 3 at exactly 0.5 (as probable as not: relevant).
        server.otherwise(request -> {
            String answer = answerOf(request);
            return answer.startsWith("Refunds are issued") ? Reply.withLogprobs(new Scored(1, "Helps.", Map.of(1, 0.9, 0, 0.1)))
                    : answer.startsWith("Our office") ? Reply.withLogprobs(new Scored(1, "Barely.", Map.of(1, 0.4, 0, 0.6)))
                    : Reply.withLogprobs(new Scored(0, "Hard to say.", Map.of(1, 0.5, 0, 0.5)));
        });

        judged(TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.JUDGE_SCORE_BY, "probabilities")),
                () -> assertThatRetrieval(QUESTION, CHUNKS.subList(0, 3)).hasContextPrecisionAtLeast(0.83));

        // Relevant at ranks 1 and 3: (1/1 + 2/3) / 2 = 0.8333.
        assertThat(published.outcomes()).singleElement().satisfies(outcome -> {
            assertThat(outcome).isInstanceOf(CheckOutcome.Passed.class);
            assertThat(outcome.verdict().score()).isEqualTo(83);
            assertThat(outcome.verdict().justification()).isEqualTo("context precision 0.8333 (mean precision@k over the relevant"
                    + " ranks 1, 3)\n"
                    + "[1] chunk 1 relevant, chunk_relevance 1 (weighted 0.90): Helps.\n"
                    + "[2] chunk 2 not relevant, chunk_relevance 1 (weighted 0.40): Barely.\n"
                    + "[3] chunk 3 relevant, chunk_relevance 0 (weighted 0.50): Hard to say.");
        });
    }

    @Test
    void should_mark_a_precision_unstable_when_a_chunk_verdicts_samples_straddle_its_decision_and_say_how_it_was_drawn() {
        // Three samples per verdict: chunk 1 is relevant by its median but its samples are 1, 1, 0; chunk 2 is 0, 0, 0.
        server.otherwise(request -> answerOf(request).startsWith("Refunds") ? Reply.verdicts(1, 1, 0) : Reply.verdicts(0, 0, 0));

        judged(TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3")),
                () -> assertThatRetrieval(QUESTION, CHUNKS.subList(0, 2)).hasContextPrecisionAtLeast(1.0));

        CheckOutcome outcome = published.outcomes().get(0);
        assertThat(outcome).isInstanceOf(CheckOutcome.Passed.class);
        assertThat(outcome.unstable()).isTrue();
        Verdict verdict = outcome.verdict();
        assertThat(verdict.score()).isEqualTo(100);
        // Drawn as the chunks' verdicts were: 3 asked, in one request with n, as its parameters say.
        assertThat(verdict.parameters()).containsEntry("n", 3);
        assertThat(verdict.sampling().asked()).isEqualTo(3);
        assertThat(verdict.sampling().drawn()).isEqualTo(Sampling.Drawn.N);
        assertThat(verdict.sampling().stoppedEarly()).isFalse();
        // The decided score, then the lowest and highest that deciding chunk 1 either way gives.
        assertThat(outcome.sampleScores()).containsExactly(100, 0, 100);
        assertThat(verdict.justification()).isEqualTo("context precision 1.0000 (mean precision@k over the relevant ranks 1);"
                + " chunk 1 unstable (its samples fall on both sides of its decision): decided either way, the score ranges from"
                + " 0.0000 to 1.0000\n"
                + "[1] chunk 1 relevant, chunk_relevance 1 (samples 1, 1, 0; unstable): Sample 1 scores 1.\n"
                + "[2] chunk 2 not relevant, chunk_relevance 0 (samples 0, 0, 0): Sample 1 scores 0.");
        ReportRow row = ReportRow.of(outcome);
        assertThat(row.unstable()).isTrue();
        assertThat(row.samples()).containsExactly(100, 0, 100);
    }

    @Test
    void should_mark_a_retrieval_check_unstable_only_when_its_unstable_chunks_could_put_it_on_the_other_side_of_its_threshold() {
        // Relevant chunks 1 and 3 give (1/1 + 2/3) / 2 = 0.8333; chunk 3 (samples 1, 1, 0) decided not relevant gives 1.0.
        server.otherwise(request -> {
            String answer = answerOf(request);
            return answer.startsWith("Refunds are issued") ? Reply.verdicts(1, 1, 1) : answer.startsWith("A refund") ? Reply.verdicts(1, 0, 1)
                    : Reply.verdicts(0, 0, 0);
        });
        List<String> chunks = CHUNKS.subList(0, 3);

        Throwable failure = catchThrowable(() -> judged(TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3")), () -> {
            assertThatRetrieval(QUESTION, chunks).hasContextPrecisionAtLeast(0.8);
            assertThatRetrieval(QUESTION, chunks).hasContextPrecisionAtLeast(0.83);
            assertThatRetrieval(QUESTION, chunks).hasContextPrecisionAtLeast(0.9);
        }));

        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(server.requestCount()).isEqualTo(3);

        assertThat(published.outcomes()).extracting(CheckOutcome::unstable).containsExactly(false, false, true);
        assertThat(published.outcomes()).extracting(outcome -> outcome.getClass().getSimpleName()).containsExactly("Passed", "Passed",
                "Failed");
        assertThat(published.outcomes().get(0).sampleScores()).containsExactly(83, 83, 100);
    }

    @Test
    void should_fail_or_abort_an_unstable_retrieval_check_as_on_unstable_says() {
        server.otherwise(request -> answerOf(request).startsWith("Refunds") ? Reply.verdicts(1, 1, 0) : Reply.verdicts(0, 0, 0));
        List<String> chunks = CHUNKS.subList(0, 2);

        Throwable failed = catchThrowable(() -> judged(TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3",
                LlmJudgeConfig.JUDGE_ON_UNSTABLE, "fail")), () -> assertThatRetrieval(QUESTION, chunks).hasContextPrecisionAtLeast(1.0)));
        Throwable aborted = catchThrowable(() -> judged(TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3",
                LlmJudgeConfig.JUDGE_ON_UNSTABLE, "abort")), () -> assertThatRetrieval(QUESTION, chunks).hasContextPrecisionAtLeast(1.0)));

        assertThat(failed).isInstanceOf(AssertionError.class).hasMessageContaining("100, 0, 100");
        assertThat(aborted).isInstanceOf(TestAbortedException.class).hasMessageContaining("unstable at threshold 100")
                .hasMessageContaining("samples 100, 0, 100");
        assertThat(published.outcomes()).hasSize(2);
        assertThat(published.outcomes().get(0)).isInstanceOf(CheckOutcome.Failed.class);
        assertThat(published.outcomes().get(1)).isInstanceOf(CheckOutcome.Skipped.class);
        assertThat(published.outcomes()).allSatisfy(outcome -> assertThat(outcome.unstable()).isTrue());
    }

    @Test
    void should_mark_a_recall_unstable_when_a_sentence_verdicts_samples_straddle_its_decision() {
        server.otherwise(request -> answerOf(request).startsWith("Refunds") ? Reply.verdicts(1, 1, 1) : Reply.verdicts(0, 1, 0));

        judged(TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3")), () -> assertThatRetrieval(QUESTION, CHUNKS)
                .withGroundTruth("Refunds take up to 5 business days. Gift wrapping is refunded too.").hasContextRecallAtLeast(0.5));

        CheckOutcome outcome = published.outcomes().get(0);
        assertThat(outcome).isInstanceOf(CheckOutcome.Passed.class);
        assertThat(outcome.verdict().score()).isEqualTo(50);
        assertThat(outcome.sampleScores()).containsExactly(50, 50, 100);
        assertThat(outcome.unstable()).isFalse();
        assertThat(outcome.verdict().justification()).contains("sentence 2 unstable").contains("[2] sentence 2 not supported,"
                + " statement_support 0 (samples 0, 1, 0; unstable)");
    }

    @Test
    void should_keep_a_retrieval_verdict_of_one_sample_per_chunk_a_verdict_of_one_sample() {
        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatRetrieval(QUESTION, CHUNKS).hasContextPrecisionAtLeast(0.5));

        Sampling sampling = published.outcomes().get(0).verdict().sampling();
        assertThat(sampling.asked()).isEqualTo(1);
        assertThat(sampling.drawn()).isEqualTo(Sampling.Drawn.SINGLE);
        assertThat(published.outcomes().get(0).verdict().parameters()).doesNotContainKey("n");
    }

    @Test
    void should_range_over_every_combination_of_the_unstable_items_decisions() {
        // Precision is not monotone: with chunk 4 unstable and chunk 1 relevant, adding chunk 4 lowers the score.
        double[] range = RetrievalScores.range(List.of(true, false, false, false), List.of(3), RetrievalScores::precision);
        assertThat(range).containsExactly(0.75, 1.0);
        double[] two = RetrievalScores.range(List.of(false, true, false), List.of(0, 2), RetrievalScores::precision);
        assertThat(two[0]).isCloseTo(0.5, within(1e-9));
        assertThat(two[1]).isEqualTo(1.0);
    }

    @Test
    void should_split_the_ground_truth_into_sentences() {
        assertThat(RetrievalAssert.statements("Refunds take 5 days. Card refunds take longer!  Ask us?\n"))
                .containsExactly("Refunds take 5 days.", "Card refunds take longer!", "Ask us?");
    }
}
