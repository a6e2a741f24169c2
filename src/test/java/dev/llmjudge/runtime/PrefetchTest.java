package dev.llmjudge.runtime;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.check.CallOutsideCheck;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.internal.openai.OpenAiJudge;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Judging ahead: the checks take the prefetched verdicts, the judge sees each request once, within the parallelism. */
class PrefetchTest {
    private static final int ROWS = 24;

    @TempDir
    Path cacheDir;

    private OpenAiCompatibleServer server;
    private final List<String> progressLines = new ArrayList<>();

    @BeforeEach
    void startServer() {
        server = OpenAiCompatibleServer.start();
        server.otherwise(r -> Reply.verdict(5, "Same meaning.").afterMillis(30));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private LlmJudgeRuntime runtime(Map<String, String> overrides) {
        return LlmJudgeRuntime.builder().config(TestRuntimes.config(server, cacheDir, overrides)).apiKey(TestRuntimes.API_KEY)
                .progressTo(progressLines::add).build();
    }

    private static String answer(int row) {
        return "Answer number " + row + " names Paris as the capital.";
    }

    private static String truth(int row) {
        return "Row " + row + ": Paris is the capital of France.";
    }

    private static List<JudgeRequest> similarityRequests() {
        return IntStream.range(0, ROWS).mapToObj(row -> new JudgeRequest(Metrics.answerSimilarity(),
                EvaluationCase.ofAnswer(answer(row)).withGroundTruth(truth(row)))).toList();
    }

    /** As a dataset's rows give them: with a question, which {@code answer_similarity} does not read and its checks leave out. */
    private static List<JudgeRequest> similarityRequestsOfRows() {
        return IntStream.range(0, ROWS).mapToObj(row -> new JudgeRequest(Metrics.answerSimilarity(),
                EvaluationCase.ofAnswer(answer(row)).withGroundTruth(truth(row)).withQuestion("Row " + row + ": what is the capital of France?")))
                .toList();
    }

    /**
     * Waits until the server has answered {@code requests}, then a little longer, so that the prefetch has recorded and handed
     * over what they brought before the checks ask: a check that did not take an outcome judged ahead would then find it
     * recorded, or, for an error, ask again.
     */
    private void awaitAnswered(int requests) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.requestCount() < requests && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(300);
    }

    private static void assertRow(int row) {
        assertThatAnswer(answer(row)).isSimilarTo(truth(row)).withScoreAtLeast(4);
    }

    @Test
    void should_judge_each_prefetched_row_once_when_the_checks_follow() {
        try (LlmJudgeRuntime runtime = runtime(Map.of()); var scope = LlmJudgeRuntime.use(runtime)) {
            int started = runtime.prefetch(similarityRequests());
            IntStream.range(0, ROWS).forEach(PrefetchTest::assertRow);

            assertThat(started).isEqualTo(ROWS);
        }
        assertThat(server.requestCount()).isEqualTo(ROWS);
        assertThat(verdictFiles()).hasSize(ROWS);
    }

    @Test
    void should_judge_no_more_than_the_prefetch_parallelism_at_once() {
        try (LlmJudgeRuntime runtime = runtime(Map.of()); var scope = LlmJudgeRuntime.use(runtime)) {
            runtime.prefetch(similarityRequests());
            IntStream.range(0, ROWS).forEach(PrefetchTest::assertRow);

            assertThat(runtime.prefetchParallelism()).isEqualTo(LlmJudgeRuntime.DEFAULT_PREFETCH_PARALLELISM);
        }
        assertThat(server.maxConcurrentRequests()).isBetween(2, LlmJudgeRuntime.DEFAULT_PREFETCH_PARALLELISM);
    }

    @Test
    void should_judge_ahead_as_many_at_once_as_the_concurrency_cap() {
        try (LlmJudgeRuntime runtime = runtime(Map.of(LlmJudgeConfig.JUDGE_MAX_CONCURRENCY, "2")); var scope = LlmJudgeRuntime.use(runtime)) {
            runtime.prefetch(similarityRequests());
            IntStream.range(0, ROWS).forEach(PrefetchTest::assertRow);

            assertThat(runtime.prefetchParallelism()).isEqualTo(2);
        }
        assertThat(server.requestCount()).isEqualTo(ROWS);
        assertThat(server.maxConcurrentRequests()).isEqualTo(2);
    }

    @Test
    void should_judge_each_row_once_when_checks_run_on_many_threads_during_the_prefetch() throws Exception {
        ExecutorService testThreads = Executors.newFixedThreadPool(6);
        try (LlmJudgeRuntime runtime = runtime(Map.of())) {
            runtime.prefetch(similarityRequests());
            List<Future<?>> checks = new ArrayList<>();
            // Every row checked twice, from the end backwards, so checks overtake the prefetch and collide with each other.
            for (int row = ROWS - 1; row >= 0; row--) {
                for (int copy = 0; copy < 2; copy++) {
                    int r = row;
                    checks.add(testThreads.submit(() -> {
                        try (var scope = LlmJudgeRuntime.use(runtime)) {
                            assertRow(r);
                        }
                    }));
                }
            }
            for (Future<?> check : checks) {
                check.get();
            }
        } finally {
            testThreads.shutdownNow();
        }
        assertThat(server.requestCount()).isEqualTo(ROWS);
        assertThat(verdictFiles()).hasSize(ROWS);
    }

    @Test
    void should_hand_a_prefetched_judge_error_to_the_check_without_asking_again() {
        server.otherwise(r -> Reply.error(400, "model 'judge-test-model' does not support this"));
        try (LlmJudgeRuntime runtime = runtime(Map.of()); var scope = LlmJudgeRuntime.use(runtime)) {
            runtime.prefetch(similarityRequests().subList(0, 1));

            assertThatThrownBy(() -> assertRow(0)).isInstanceOf(JudgeException.class)
                    .hasMessageContaining("rejected the request for model 'judge-test-model' (HTTP 400");
        }
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(verdictFiles()).isEmpty();
    }

    @Test
    void should_give_a_check_leaving_out_the_question_its_metric_does_not_read_the_verdict_judged_ahead_as_judged_in_this_run()
            throws Exception {
        List<Verdict> verdicts = new ArrayList<>();
        try (LlmJudgeRuntime runtime = runtime(Map.of())) {
            runtime.prefetch(similarityRequestsOfRows());
            awaitAnswered(ROWS);
            for (int row = 0; row < ROWS; row++) {
                verdicts.add(runtime.judge().judge(new JudgeRequest(Metrics.answerSimilarity(),
                        EvaluationCase.ofAnswer(answer(row)).withGroundTruth(truth(row)))));
            }
        }
        assertThat(verdicts).hasSize(ROWS).noneMatch(Verdict::cached);
        assertThat(server.requestCount()).isEqualTo(ROWS);
    }

    @Test
    void should_hand_a_prefetched_judge_error_to_a_check_leaving_out_the_question_without_asking_again() throws Exception {
        server.otherwise(r -> Reply.error(400, "model 'judge-test-model' does not support this"));
        try (LlmJudgeRuntime runtime = runtime(Map.of()); var scope = LlmJudgeRuntime.use(runtime)) {
            runtime.prefetch(similarityRequestsOfRows().subList(0, 1));
            awaitAnswered(1);

            assertThatThrownBy(() -> assertRow(0)).isInstanceOf(JudgeException.class).hasMessageContaining("HTTP 400");
        }
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void should_judge_each_dataset_row_again_once_in_refresh_mode_when_the_checks_leave_out_the_question() throws Exception {
        try (LlmJudgeRuntime recording = runtime(Map.of()); var scope = LlmJudgeRuntime.use(recording)) {
            IntStream.range(0, ROWS).forEach(PrefetchTest::assertRow);
        }
        try (LlmJudgeRuntime refreshing = runtime(Map.of(LlmJudgeConfig.CACHE_MODE, "refresh"));
                var scope = LlmJudgeRuntime.use(refreshing)) {
            assertThat(refreshing.prefetch(similarityRequestsOfRows())).isEqualTo(ROWS);
            awaitAnswered(2 * ROWS);
            IntStream.range(0, ROWS).forEach(PrefetchTest::assertRow);
        }
        assertThat(server.requestCount()).isEqualTo(2 * ROWS);
    }

    @Test
    void should_start_nothing_and_create_no_client_when_every_verdict_is_recorded() {
        try (LlmJudgeRuntime recording = runtime(Map.of()); var scope = LlmJudgeRuntime.use(recording)) {
            IntStream.range(0, ROWS).forEach(PrefetchTest::assertRow);
        }
        int recorded = server.requestCount();

        try (LlmJudgeRuntime warm = runtime(Map.of()); var scope = LlmJudgeRuntime.use(warm)) {
            int started = warm.prefetch(similarityRequests());
            IntStream.range(0, ROWS).forEach(PrefetchTest::assertRow);

            assertThat(started).isZero();
            assertThat(warm.clientCreated()).isFalse();
            assertThat(warm.judgeWarmUpStarted()).isFalse();
        }
        assertThat(recorded).isEqualTo(ROWS);
        assertThat(server.requestCount()).isEqualTo(ROWS);
    }

    @Test
    void should_start_warming_up_the_judge_as_soon_as_a_prefetched_row_needs_judging() {
        // The replies wait, so that the prefetch returns before any of them came in.
        server.otherwise(r -> Reply.verdict(5, "Same meaning.").afterMillis(500));
        try (LlmJudgeRuntime runtime = runtime(Map.of()); var scope = LlmJudgeRuntime.use(runtime)) {
            assertThat(runtime.judgeWarmUpStarted()).isFalse();

            int started = runtime.prefetch(similarityRequests().subList(0, 2));

            assertThat(started).isEqualTo(2);
            assertThat(runtime.judgeWarmUpStarted()).isTrue();
            assertRow(0);
            assertRow(1);
        }
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void should_start_nothing_in_replay_mode() {
        try (LlmJudgeRuntime runtime = runtime(Map.of(LlmJudgeConfig.CACHE_MODE, "replay"))) {
            assertThat(runtime.prefetch(similarityRequests())).isZero();
            assertThat(runtime.clientCreated()).isFalse();
            assertThat(runtime.judgeWarmUpStarted()).isFalse();
        }
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_judge_each_row_again_once_in_refresh_mode() {
        try (LlmJudgeRuntime recording = runtime(Map.of()); var scope = LlmJudgeRuntime.use(recording)) {
            IntStream.range(0, ROWS).forEach(PrefetchTest::assertRow);
        }
        try (LlmJudgeRuntime refreshing = runtime(Map.of(LlmJudgeConfig.CACHE_MODE, "refresh"));
                var scope = LlmJudgeRuntime.use(refreshing)) {
            assertThat(refreshing.prefetch(similarityRequests())).isEqualTo(ROWS);
            IntStream.range(0, ROWS).forEach(PrefetchTest::assertRow);
        }
        assertThat(server.requestCount()).isEqualTo(2 * ROWS);
    }

    @Test
    void should_not_prefetch_after_the_runtime_is_closed() {
        LlmJudgeRuntime runtime = runtime(Map.of());
        runtime.close();
        assertThat(runtime.prefetch(similarityRequests())).isZero();
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_record_a_verdict_whose_reply_came_in_when_closing_interrupts_the_call_judging_it_ahead() throws Exception {
        LlmJudgeConfig config = closeOnceTheReplyCameIn();

        assertThat(verdictFiles()).as("the verdict paid for is recorded").hasSize(1);
        try (LlmJudgeRuntime next = LlmJudgeRuntime.builder().config(config).apiKey(TestRuntimes.API_KEY).build();
                var scope = LlmJudgeRuntime.use(next)) {
            assertRow(0);
        }
        assertThat(server.requestCount()).as("the next run reads the verdict instead of paying for it again").isEqualTo(1);
    }

    @Test
    void should_count_a_verdict_whose_reply_came_in_when_closing_interrupts_the_call_judging_it_ahead() throws Exception {
        List<CallOutsideCheck> calls = new CopyOnWriteArrayList<>();
        Consumer<CallOutsideCheck> listener = calls::add;
        CheckRecorder.addCallListener(listener);
        try {
            closeOnceTheReplyCameIn();
        } finally {
            CheckRecorder.removeCallListener(listener);
        }

        assertThat(calls).as("billed, and taken by no check").containsExactly(new CallOutsideCheck(CallOutsideCheck.JUDGED_AHEAD_UNTAKEN,
                "answer_similarity", TestRuntimes.MODEL, 120, 0, 30, null));
    }

    /**
     * Judges a row ahead over HTTP and closes the runtime once the reply came in, while the verdict is still to be recorded:
     * closing waits the judge timeout for the calls under way, then interrupts them. Returns the runtime's configuration.
     */
    private LlmJudgeConfig closeOnceTheReplyCameIn() throws InterruptedException {
        LlmJudgeConfig config = TestRuntimes.config(server, cacheDir, Map.of(LlmJudgeConfig.JUDGE_TIMEOUT, "4s"));
        try (OpenAiJudge openAi = new OpenAiJudge(config.judge(), TestRuntimes.API_KEY)) {
            HeldAfterReply held = new HeldAfterReply(openAi);
            LlmJudgeRuntime runtime = LlmJudgeRuntime.builder().config(config).judge(held).progressTo(progressLines::add).build();
            runtime.prefetch(similarityRequests().subList(0, 1));
            assertThat(held.replied.await(10, TimeUnit.SECONDS)).as("the reply came in").isTrue();

            runtime.close();

            assertThat(held.interrupted).as("closing interrupted the call after its reply came in").isTrue();
        }
        return config;
    }

    /** The judge over HTTP, holding each verdict once its reply came in until the thread is interrupted (at most 10 s). */
    private static final class HeldAfterReply implements Judge {
        private final Judge delegate;
        final CountDownLatch replied = new CountDownLatch(1);
        volatile boolean interrupted;

        HeldAfterReply(Judge delegate) {
            this.delegate = delegate;
        }

        @Override
        public JudgeFingerprint fingerprint(JudgeRequest request) {
            return delegate.fingerprint(request);
        }

        @Override
        public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
            Verdict verdict = delegate.judge(request, fingerprint);
            replied.countDown();
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                interrupted = true;
                Thread.currentThread().interrupt();
            }
            return verdict;
        }
    }

    private List<Path> verdictFiles() {
        try (Stream<Path> s = Files.walk(cacheDir)) {
            return s.filter(p -> p.toString().endsWith(".json")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
