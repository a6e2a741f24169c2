package dev.llmjudge.reliability;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static dev.llmjudge.reliability.EndpointFaultsTest.millisSince;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.runtime.Throttle;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The caps on judge calls in progress and per period hold across every thread that shares a runtime, as parallel tests do. */
@Timeout(120)
class ThrottleTest extends LoopbackJudgeTest {
    private static final int THREADS = 12;

    private void checksInParallel(LlmJudgeRuntime runtime, int count) throws Exception {
        checksInParallel(List.of(runtime), count);
    }

    /**
     * Runs one distinct similarity check per thread, all released at once, each in its own scope
     * as a parallel test would; thread {@code i} uses runtime {@code i % runtimes.size()}.
     */
    private void checksInParallel(List<LlmJudgeRuntime> runtimes, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> checks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String answer = "Paris, answer number " + i + ".";
                LlmJudgeRuntime runtime = runtimes.get(i % runtimes.size());
                checks.add(pool.submit(() -> {
                    go.await();
                    try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
                        assertThatAnswer(answer).isSimilarTo(JudgeHarness.GROUND_TRUTH).withScoreAtLeast(4);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : checks) {
                f.get(100, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void parallel_checks_never_exceed_max_concurrency() throws Exception {
        server.otherwise(r -> Reply.verdict(5, "Same meaning.").afterMillis(150));

        checksInParallel(harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_MAX_CONCURRENCY, "3")), THREADS);

        assertThat(server.requestCount()).isEqualTo(THREADS);
        assertThat(server.maxConcurrentRequests()).isEqualTo(3);
    }

    @Test
    void a_throttle_shared_by_runtimes_caps_them_together() throws Exception {
        server.otherwise(r -> Reply.verdict(5, "Same meaning.").afterMillis(150));
        Throttle shared = new Throttle(2, 0, Duration.ofMinutes(1));
        List<LlmJudgeRuntime> runtimes = new ArrayList<>();
        for (String model : List.of("judge-a", "judge-b", "judge-c")) {
            runtimes.add(LlmJudgeRuntime.builder()
                    .config(JudgeHarness.config(server.baseUrl(), harness.cacheDir, Map.of(LlmJudgeConfig.JUDGE_MODEL, model)))
                    .apiKey("test-key").throttle(shared).build());
        }

        checksInParallel(runtimes, THREADS);

        assertThat(server.requestCount()).isEqualTo(THREADS);
        assertThat(server.maxConcurrentRequests()).isEqualTo(2);
        runtimes.forEach(LlmJudgeRuntime::close);
    }

    @Test
    void without_a_cap_the_same_checks_overlap_more() throws Exception {
        server.otherwise(r -> Reply.verdict(5, "Same meaning.").afterMillis(300));

        checksInParallel(harness.runtime(server.baseUrl()), THREADS);

        assertThat(server.maxConcurrentRequests()).as("the cap above is what holds the concurrency down").isGreaterThan(3);
    }

    @Test
    void no_more_calls_start_in_any_period_than_the_cap() throws Exception {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        server.otherwise(r -> {
            arrivals.add(System.nanoTime());
            return Reply.verdict(5, "Same meaning.");
        });
        LlmJudgeRuntime runtime = LlmJudgeRuntime.builder()
                .config(JudgeHarness.config(server.baseUrl(), harness.cacheDir, Map.of()))
                .apiKey("test-key")
                .throttle(new Throttle(0, 4, Duration.ofSeconds(1)))
                .build();

        long started = System.nanoTime();
        checksInParallel(runtime, 10);

        assertThat(millisSince(started)).as("10 calls at 4 a second need two more windows").isGreaterThanOrEqualTo(1_900);
        List<Long> sorted = arrivals.stream().sorted().toList();
        assertThat(sorted).hasSize(10);
        // The throttle spaces the starts a full period apart; arrivals at the server add the transport's jitter, which on a
        // loaded machine reaches tens of milliseconds. Without the cap the five calls would arrive within a few milliseconds.
        for (int i = 0; i + 4 < sorted.size(); i++) {
            assertThat((sorted.get(i + 4) - sorted.get(i)) / 1_000_000).as("calls %d and %d are about a period apart", i, i + 4)
                    .isGreaterThanOrEqualTo(800);
        }
        runtime.close();
    }

    @Test
    void requests_per_minute_holds_a_call_over_the_cap_until_the_minute_is_up() throws Exception {
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_REQUESTS_PER_MINUTE, "3"));
        checksInParallel(runtime, 3);
        AtomicReference<Throwable> fourth = new AtomicReference<>();
        Thread waiting = new Thread(() -> {
            try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
                assertThatAnswer("A fourth answer.").isSimilarTo(JudgeHarness.GROUND_TRUTH).withScoreAtLeast(4);
            } catch (Throwable t) {
                fourth.set(t);
            }
        });
        waiting.start();

        waiting.join(1_000);
        assertThat(waiting.isAlive()).as("the fourth call waits for the minute to pass").isTrue();
        assertThat(server.requestCount()).isEqualTo(3);

        waiting.interrupt();
        waiting.join(10_000);
        assertThat(fourth.get()).isInstanceOf(JudgeException.class).hasMessageContaining("llmjudge.judge.requests-per-minute");
        assertThat(server.requestCount()).isEqualTo(3);
    }

    @Test
    void recorded_verdicts_never_wait_for_the_cap() throws Exception {
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_REQUESTS_PER_MINUTE, "2",
                LlmJudgeConfig.JUDGE_MAX_CONCURRENCY, "1"));
        checksInParallel(runtime, 2);

        long started = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            checksInParallel(runtime, 2);
        }

        assertThat(millisSince(started)).as("ten recorded verdicts, no minute-long wait").isLessThan(20_000);
        assertThat(server.requestCount()).isEqualTo(2);
    }
}
