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
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.PublishedOutcomes;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Received;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void should_say_what_is_wrong_with_a_retrieval_that_cannot_be_judged() {
        LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir);
        try {
            assertThatThrownBy(() -> new RetrievalAssert(QUESTION, List.of("a", " "), runtime).hasContextPrecisionAtLeast(0.5))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("chunk 2 of 2 is blank: pass the text of every chunk the retriever returned");
            assertThatThrownBy(() -> new RetrievalAssert(QUESTION, List.of(), runtime).hasContextPrecisionAtLeast(0.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the context has no chunks");
            assertThatThrownBy(() -> new RetrievalAssert(QUESTION, CHUNKS, runtime).hasContextPrecisionAtLeast(1.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a fraction from 0 to 1");
            assertThatThrownBy(() -> new RetrievalAssert(QUESTION, CHUNKS, runtime).hasContextPrecisionAtLeast(0.805))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most two decimals");
            assertThatThrownBy(() -> new RetrievalAssert(QUESTION, CHUNKS, runtime).hasContextRecallAtLeast(0.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("call withGroundTruth(truth) first");
            assertThatThrownBy(() -> new RetrievalAssert(null, CHUNKS, runtime).hasContextPrecisionAtLeast(0.5))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the question");
        } finally {
            runtime.close();
        }
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_split_the_ground_truth_into_sentences() {
        assertThat(RetrievalAssert.statements("Refunds take 5 days. Card refunds take longer!  Ask us?\n"))
                .containsExactly("Refunds take 5 days.", "Card refunds take longer!", "Ask us?");
    }
}
