package dev.llmjudge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmjudge.internal.cache.CachingJudge;
import dev.llmjudge.internal.cache.VerdictStore;
import dev.llmjudge.config.CacheMode;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Judging ahead in front of the verdict cache, with an in-process judge (the runtime's HTTP path is covered by PrefetchTest). */
class PrefetchJudgeTest {
    /** How long closing lets a call under way finish. */
    private static final Duration FINISH_WAIT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean holding;
    private final JudgeRequest request = new JudgeRequest(Metrics.answerSimilarity(),
            EvaluationCase.ofAnswer("Paris").withGroundTruth("Paris is the capital of France."));

    private final Judge counting = new Judge() {
        @Override
        public JudgeFingerprint fingerprint(JudgeRequest r) {
            return new JudgeFingerprint("counting-judge", Map.of(), List.of(r.evaluationCase().answer()));
        }

        @Override
        public Verdict judge(JudgeRequest r, JudgeFingerprint fingerprint) {
            calls.incrementAndGet();
            if (holding) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Verdict(r.metric().name(), r.metric().version(), 4, 1, 5, "Close.", "counting-judge", Map.of(), null, false, null,
                    Duration.ofMillis(1), null);
        }
    };

    private Prefetch prefetch(CacheMode mode) {
        return new Prefetch(new CachingJudge(counting, new VerdictStore(dir), mode), 2, null, request -> { }, FINISH_WAIT, "counting-judge");
    }

    @Test
    void should_hand_a_verdict_judged_ahead_to_one_check_only() {
        try (Prefetch off = prefetch(CacheMode.OFF)) {
            assertThat(off.start(List.of(request))).isEqualTo(1);
            assertThat(off.start(List.of(request))).as("already judged ahead, not yet taken").isZero();

            Verdict taken = off.judge(request);
            assertThat(calls).hasValue(1);
            off.judge(request);

            assertThat(taken.cached()).isFalse();
            assertThat(calls).as("the second check judged on its own").hasValue(2);
        }
    }

    @Test
    void should_judge_nothing_ahead_that_the_cache_answers() {
        try (Prefetch auto = prefetch(CacheMode.AUTO)) {
            auto.judge(request);
            assertThat(auto.start(List.of(request))).as("recorded").isZero();
        }
        try (Prefetch replay = prefetch(CacheMode.REPLAY)) {
            assertThat(replay.start(List.of(new JudgeRequest(Metrics.answerSimilarity(), EvaluationCase.ofAnswer("Lyon")
                    .withGroundTruth("Paris is the capital of France."))))).as("replay mode").isZero();
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void should_end_a_check_waiting_for_a_verdict_judged_ahead_with_an_error_when_its_call_does_not_finish_once_closed() throws Exception {
        holding = true;
        Prefetch auto = prefetch(CacheMode.AUTO);
        auto.start(List.of(request));
        CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> catchThrowable(() -> auto.judge(request)));
        Thread.sleep(200);

        auto.close();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(JudgeException.class)
                .hasMessage("judging ahead was stopped before this verdict came in: the run's judge was closed");
        release.countDown();
        assertThat(auto.start(List.of(request))).as("nothing is judged ahead once closed").isZero();
    }
}
