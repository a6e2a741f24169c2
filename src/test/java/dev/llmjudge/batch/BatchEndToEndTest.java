package dev.llmjudge.batch;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmjudge.junit.DatasetRow;
import dev.llmjudge.junit.JudgeDataset;
import dev.llmjudge.junit.LlmJudgeExtension;
import dev.llmjudge.junit.fixtures.OnlyThroughEngineTestKit;
import dev.llmjudge.testsupport.OpenAiBatchServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.TestRuntimes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The batch workflow as a team runs it: a run of the suite with {@code llmjudge.cache.mode=collect}
 * (its checks aborted, never passed), the batch command, then an ordinary run that replays every
 * verdict without a call to the judge.
 */
class BatchEndToEndTest {
    /** The 2,000-row dataset the fixture reads, written by {@link #writeDataset()} (a file path: a dataset may be one). */
    static final String DATASET = "target/llm-judge-batch-e2e/support-2000.jsonl";
    private static final int ROWS = 2_000;

    @TempDir
    Path temp;

    private Path cacheDir;
    private Path batchDir;
    private OpenAiCompatibleServer chat;
    private OpenAiBatchServer batch;

    @BeforeAll
    static void writeDataset() throws IOException {
        ObjectMapper json = new ObjectMapper();
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= ROWS; i++) {
            ObjectNode row = json.createObjectNode();
            row.put("id", "q" + i);
            row.put("question", "Which city is capital number " + i + "?");
            row.put("ground_truth", "Capital " + i + " is Paris.");
            row.put("prediction", "Paris is capital " + i + ".");
            rows.append(json.writeValueAsString(row)).append('\n');
        }
        Path file = Path.of(DATASET);
        Files.createDirectories(file.getParent());
        Files.writeString(file, rows, StandardCharsets.UTF_8);
    }

    @BeforeEach
    void start() {
        cacheDir = temp.resolve("verdicts");
        batchDir = temp.resolve("batch");
        chat = OpenAiCompatibleServer.start();
        batch = OpenAiBatchServer.start();
    }

    @AfterEach
    void stop() {
        chat.close();
        batch.close();
    }

    private EngineExecutionResults run(Class<?> fixture, String mode) {
        Map<String, String> params = new HashMap<>();
        params.put(OnlyThroughEngineTestKit.KEY, "true");
        params.put("llmjudge.judge.base-url", chat.baseUrl());
        params.put("llmjudge.judge.model", TestRuntimes.MODEL);
        params.put("llmjudge.cache.dir", cacheDir.toString());
        params.put("llmjudge.cache.mode", mode);
        params.put("llmjudge.batch.dir", batchDir.toString());
        params.put("llmjudge.progress.interval", "0s");
        params.put("llmjudge.report.dir", temp.resolve("report-" + mode).toString());
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).configurationParameters(params).execute();
    }

    private long verdictFiles() throws IOException {
        try (Stream<Path> files = Files.walk(cacheDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json") && !f.getFileName().toString().startsWith(".")).count();
        }
    }

    @Test
    void should_abort_a_collected_check_never_pass_it_and_replay_it_once_the_batch_recorded_it() throws IOException {
        EngineExecutionResults collected = run(TwoChecks.class, "collect");

        collected.testEvents().assertStatistics(s -> s.started(2).aborted(2).succeeded(0).failed(0));
        collected.testEvents().assertThatEvents().haveExactly(2, abortedWithReason(message(m -> m.startsWith(
                "collected for batch judging: metric 'answer_similarity', key "))));
        assertThat(chat.requestCount()).isZero();
        assertThat(Files.readAllLines(batchDir.resolve("requests.jsonl"))).hasSize(2);

        BatchRuns.Command submitted = new BatchRuns(cacheDir, batchDir).command(batch, "submit");
        assertThat(submitted.status()).as(submitted.err()).isZero();

        EngineExecutionResults replayed = run(TwoChecks.class, "replay");
        replayed.testEvents().assertStatistics(s -> s.started(2).succeeded(2));
        assertThat(chat.requestCount()).isZero();
    }

    @Test
    void should_judge_a_2000_case_dataset_collected_then_submitted_with_one_command_then_replayed_with_no_call() throws IOException {
        EngineExecutionResults collected = run(SupportDataset.class, "collect");

        collected.testEvents().assertStatistics(s -> s.started(ROWS).aborted(ROWS).succeeded(0));
        assertThat(chat.requestCount()).as("chat calls while collecting").isZero();
        assertThat(Files.readAllLines(batchDir.resolve("requests.jsonl"))).hasSize(ROWS);

        BatchRuns.Command submitted = new BatchRuns(cacheDir, batchDir).command(batch, "submit");

        assertThat(submitted.status()).as(submitted.err()).isZero();
        assertThat(submitted.out()).contains("2000 requests to judge in 1 batch", "llm-judge batch: batch_1 in_progress, 666/2000 completed, 0 failed, ",
                "batch_1 completed, 2000/2000 completed, 0 failed", "2000 verdicts recorded");
        assertThat(verdictFiles()).isEqualTo(ROWS);
        assertThat(batch.count("POST", "/v1/files")).isEqualTo(1);

        EngineExecutionResults replayed = run(SupportDataset.class, "replay");

        replayed.testEvents().assertStatistics(s -> s.started(ROWS).succeeded(ROWS));
        assertThat(chat.requestCount()).as("chat calls while replaying").isZero();
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class TwoChecks {
        @RegisterExtension
        static final LlmJudgeExtension JUDGE = LlmJudgeExtension.newInstance().apiKey(TestRuntimes.API_KEY).build();

        @Test
        void paris() {
            assertThatAnswer("Paris is the capital of France.").isSimilarTo("The capital of France is Paris.").withScoreAtLeast(4);
        }

        @Test
        void berlin() {
            assertThatAnswer("Berlin is the capital of Germany.").isSimilarTo("The capital of Germany is Berlin.").withScoreAtLeast(4);
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class SupportDataset {
        @RegisterExtension
        static final LlmJudgeExtension JUDGE = LlmJudgeExtension.newInstance().apiKey(TestRuntimes.API_KEY).build();

        @ParameterizedTest
        @JudgeDataset(value = DATASET, prefetch = "answer_similarity")
        void answersLikeTheReference(DatasetRow row) {
            assertThatAnswer(row.answer()).isSimilarTo(row.groundTruth()).withScoreAtLeast(4);
        }
    }
}
