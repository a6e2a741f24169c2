package dev.llmjudge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.check.CallOutsideCheck;
import dev.llmjudge.internal.check.PairwiseJudgement;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Closing the runtime while a call judged ahead is between two attempts: no retry, second ask or further sample is sent
 * (closing would interrupt it while its billed reply is on its way); the call ends at once, saying why, with what its earlier
 * replies were billed. An attempt sent before closing began still has the judge timeout to finish.
 */
class ClosingTest {
    /** The shortest backoff of the retries below (jittered between half and all of 20 s): closing must not wait it out. */
    private static final Duration SHORTEST_BACKOFF = Duration.ofSeconds(10);
    /** The pacing of llmjudge.judge.requests-per-minute = 1: a second call waits a minute for its turn. */
    private static final Duration PACING = Duration.ofMinutes(1);
    /** A judge timeout under which closing, were it to wait for a paced call, would wait well over half of {@link #PACING}. */
    private static final String LONG_TIMEOUT = "45s";
    /** How long the server holds the reply to a first attempt sent before closing began: well within the judge timeout. */
    private static final long HELD_MILLIS = 1_500;

    @TempDir
    Path cacheDir;

    private OpenAiCompatibleServer server;
    private final ExecutorService checks = Executors.newCachedThreadPool();

    @BeforeEach
    void startServer() {
        server = OpenAiCompatibleServer.start();
        server.otherwise(r -> Reply.verdict(5, "Same meaning."));
    }

    @AfterEach
    void stopServer() {
        checks.shutdownNow();
        server.close();
    }

    private LlmJudgeRuntime runtime(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(LlmJudgeConfig.JUDGE_TIMEOUT, "30s", LlmJudgeConfig.JUDGE_MAX_ATTEMPTS, "3",
                LlmJudgeConfig.JUDGE_INITIAL_BACKOFF, "20s", LlmJudgeConfig.JUDGE_MAX_BACKOFF, "20s"));
        values.putAll(overrides);
        return LlmJudgeRuntime.builder().config(TestRuntimes.config(server, cacheDir, values)).apiKey(TestRuntimes.API_KEY)
                .progressTo(line -> { }).build();
    }

    private static JudgeRequest request() {
        return new JudgeRequest(Metrics.answerSimilarity(), EvaluationCase.ofAnswer("Paris is the capital.")
                .withGroundTruth("The capital of France is Paris."));
    }

    /** Judges the request ahead and has a check wait for its outcome on another thread, once the first request arrived. */
    private Future<Verdict> judgeAheadWithACheckWaiting(LlmJudgeRuntime runtime) throws InterruptedException {
        runtime.prefetch(List.of(request()));
        Future<Verdict> check = checks.submit(() -> runtime.judge().judge(request()));
        awaitRequests(1);
        // The check takes the outcome judged ahead at once; a first reply not held is back by now.
        Thread.sleep(300);
        return check;
    }

    private void awaitRequests(int requests) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.requestCount() < requests && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.requestCount()).as("requests that reached the server").isEqualTo(requests);
    }

    private static Duration closeTimed(LlmJudgeRuntime runtime) {
        long start = System.nanoTime();
        runtime.close();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static JudgeException failure(Future<?> check) throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            Object verdict = check.get(10, TimeUnit.SECONDS);
            throw new AssertionError("the check got a verdict: " + verdict);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(JudgeException.class);
            return (JudgeException) e.getCause();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500})
    void should_send_no_retry_and_not_wait_out_the_backoff_when_the_runtime_closes_during_it(int status) throws Exception {
        server.enqueue(Reply.error(status, "Try again later."));
        LlmJudgeRuntime runtime = runtime(Map.of());
        Future<Verdict> check = judgeAheadWithACheckWaiting(runtime);

        Duration closing = closeTimed(runtime);

        assertThat(closing).as("closing cuts the backoff short").isLessThan(SHORTEST_BACKOFF.dividedBy(2));
        JudgeException error = failure(check);
        assertThat(error.reason()).isEqualTo(JudgeException.Reason.NETWORK);
        assertThat(error.getMessage()).contains("the run's judge was closed before attempt 2 of this judge call (the retry after HTTP "
                + status).contains("it was not sent, so not billed");
        Thread.sleep(300);
        assertThat(server.requestCount()).as("no retry reached the server").isEqualTo(1);
    }

    @Test
    void should_not_ask_again_after_an_invalid_reply_once_the_runtime_is_closing_and_keep_what_that_reply_cost() throws Exception {
        server.enqueue(Reply.content("I would rather not say.").afterMillis(HELD_MILLIS));
        LlmJudgeRuntime runtime = runtime(Map.of());
        Future<Verdict> check = judgeAheadWithACheckWaiting(runtime);

        Duration closing = closeTimed(runtime);

        JudgeException error = failure(check);
        assertThat(error.getMessage()).contains("the run's judge was closed before attempt 2 of this judge call (the second ask after a"
                + " reply without a valid verdict) was sent");
        assertThat(error.spent()).as("the invalid reply, sent before closing, came in and was billed")
                .isEqualTo(new TokenUsage(120, 30, 0));
        assertThat(closing).as("the attempt sent before closing had its time to finish").isGreaterThan(Duration.ofMillis(HELD_MILLIS / 2));
        Thread.sleep(300);
        assertThat(server.requestCount()).as("no second ask reached the server").isEqualTo(1);
    }

    @Test
    void should_count_in_the_report_the_invalid_reply_of_a_call_judged_ahead_that_closing_kept_from_asking_again() throws Exception {
        server.enqueue(Reply.content("I would rather not say.").afterMillis(HELD_MILLIS));
        List<CallOutsideCheck> calls = new CopyOnWriteArrayList<>();
        Consumer<CallOutsideCheck> listener = calls::add;
        CheckRecorder.addCallListener(listener);
        try {
            LlmJudgeRuntime runtime = runtime(Map.of());
            runtime.prefetch(List.of(request()));
            awaitRequests(1);
            runtime.close();
        } finally {
            CheckRecorder.removeCallListener(listener);
        }

        assertThat(calls).as("billed, and taken by no check").containsExactly(new CallOutsideCheck(
                CallOutsideCheck.JUDGED_AHEAD_FAILED_UNTAKEN, "answer_similarity", TestRuntimes.MODEL, 120, 0, 30, null));
        Thread.sleep(300);
        assertThat(server.requestCount()).as("no second ask reached the server").isEqualTo(1);
    }

    @Test
    void should_draw_no_further_sample_once_the_runtime_is_closing_and_keep_what_the_drawn_one_cost() throws Exception {
        // One choice though three were asked for: the other samples would be drawn by a request each.
        server.enqueue(Reply.verdict(4, "Close enough.").afterMillis(HELD_MILLIS));
        LlmJudgeRuntime runtime = runtime(Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3"));
        Future<Verdict> check = judgeAheadWithACheckWaiting(runtime);

        runtime.close();

        JudgeException error = failure(check);
        assertThat(error.getMessage()).contains("the run's judge was closed before sample 2 of the 3 asked for metric 'answer_similarity'"
                + " was drawn: its request was not sent, so not billed");
        assertThat(error.spent()).as("the sample drawn before closing").isEqualTo(new TokenUsage(120, 30, 0));
        Thread.sleep(300);
        assertThat(server.requestCount()).as("no further sample was asked for").isEqualTo(1);
    }

    @Test
    void should_send_nothing_for_a_judgement_asked_after_the_runtime_is_closed() {
        LlmJudgeRuntime runtime = runtime(Map.of());
        runtime.close();

        assertThatThrownBy(() -> runtime.judge().judge(request())).isInstanceOf(JudgeException.class)
                .hasMessageContaining("the run's judge was closed before this judge call was sent: nothing was sent");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_end_a_call_judged_ahead_waiting_for_its_turn_under_requests_per_minute_when_the_runtime_closes() throws Exception {
        LlmJudgeRuntime runtime = runtime(Map.of(LlmJudgeConfig.JUDGE_REQUESTS_PER_MINUTE, "1", LlmJudgeConfig.JUDGE_TIMEOUT, LONG_TIMEOUT));
        JudgeRequest second = new JudgeRequest(Metrics.answerSimilarity(), EvaluationCase.ofAnswer("Paris, in France.")
                .withGroundTruth("The capital of France is Paris."));
        runtime.prefetch(List.of(request()));
        awaitRequests(1);
        runtime.prefetch(List.of(second));
        Future<Verdict> check = checks.submit(() -> runtime.judge().judge(second));
        // The first reply is back by now; the second call waits a minute for its turn.
        Thread.sleep(300);

        Duration closing = closeTimed(runtime);

        assertThat(closing).as("closing ends the wait for the call's turn").isLessThan(PACING.dividedBy(2));
        JudgeException error = failure(check);
        assertThat(error.reason()).isEqualTo(JudgeException.Reason.NETWORK);
        assertThat(error.getMessage()).isEqualTo("the run's judge was closed while this judge call waited for its turn under"
                + " llmjudge.judge.requests-per-minute: nothing was sent, so nothing was billed, and no verdict was recorded.");
        assertThat(error.spent()).isEqualTo(TokenUsage.NONE);
        Thread.sleep(300);
        assertThat(server.requestCount()).as("the waiting call was not sent").isEqualTo(1);
    }

    @Test
    void should_end_a_comparisons_second_order_waiting_for_its_turn_when_the_runtime_closes_and_keep_what_the_first_cost()
            throws Exception {
        server.otherwise(r -> Reply.verdict(3, "The first answer names Paris."));
        LlmJudgeRuntime runtime = runtime(Map.of(LlmJudgeConfig.JUDGE_REQUESTS_PER_MINUTE, "1", LlmJudgeConfig.JUDGE_TIMEOUT, LONG_TIMEOUT));
        // Both orders judged one after the other on the check's thread: the candidate-first one is sent, the other waits its turn.
        Future<PairwiseJudgement> check = checks.submit(() -> PairwiseJudgement.judge(runtime.judge(), Metrics.pairwisePreference(),
                "What is the capital of France?", "The capital of France is Paris.", "France is in Europe.", 0));
        awaitRequests(1);
        Thread.sleep(300);

        Duration closing = closeTimed(runtime);

        assertThat(closing).isLessThan(PACING.dividedBy(2));
        JudgeException error = failure(check);
        assertThat(error.getMessage()).contains("the run's judge was closed while this judge call waited for its turn under"
                + " llmjudge.judge.requests-per-minute: nothing was sent");
        assertThat(error.spent()).as("the candidate-first order, judged before closing").isEqualTo(new TokenUsage(120, 30, 0));
        Thread.sleep(300);
        assertThat(server.requestCount()).as("the second order was not sent").isEqualTo(1);
        assertThat(server.lastRequest().caseData().path("answer_a").asText()).isEqualTo("The capital of France is Paris.");
    }
}
