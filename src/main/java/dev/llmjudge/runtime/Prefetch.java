package dev.llmjudge.runtime;

import dev.llmjudge.internal.cache.CachingJudge;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Judging ahead ({@link LlmJudgeRuntime#prefetch}), in front of the verdict cache: a check whose request sends what one
 * judged ahead sends takes its outcome, once; any other goes to the cache. What is sent decides the verdict, as it does the
 * cache key: a dataset row's request carries its question, which a check of {@code answer_similarity} need not give.
 */
final class Prefetch implements Judge, AutoCloseable {
    private final CachingJudge cache;
    /** How long closing waits for the calls under way, once interrupted, to end. */
    private static final long CLOSE_WAIT_SECONDS = 5;
    private final int threads;
    private final JudgingProgress progress;
    /** Told of the first request the cache cannot answer, so that what its call needs starts loading. */
    private final Consumer<JudgeRequest> warmUp;
    /** Outcomes judged ahead that no check has taken yet, by what their requests send. */
    private final ConcurrentMap<Sent, CompletableFuture<Verdict>> ahead = new ConcurrentHashMap<>();
    /** Outcomes judged ahead that are not in yet, taken or not. */
    private final Set<CompletableFuture<Verdict>> unfinished = ConcurrentHashMap.newKeySet();
    private ThreadPoolExecutor pool;
    private boolean closed;

    /** What a request sends, and so its verdict: its metric and what the judge would send for it. */
    private record Sent(Metric metric, JudgeFingerprint fingerprint) {
    }

    /**
     * {@code progress} is told what is queued and done, or {@code null}; {@code warmUp} is given the first request to be
     * judged ahead, as soon as it is known, before the others are looked up in the cache.
     */
    Prefetch(CachingJudge cache, int threads, JudgingProgress progress, Consumer<JudgeRequest> warmUp) {
        this.cache = cache;
        this.threads = threads;
        this.progress = progress;
        this.warmUp = warmUp;
    }

    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        return cache.fingerprint(request);
    }

    @Override
    public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
        // A run that judges nothing ahead (every verdict recorded) goes straight to the cache.
        CompletableFuture<Verdict> outcome = ahead.isEmpty() ? null : ahead.remove(new Sent(request.metric(), fingerprint));
        return outcome == null ? cache.judge(request, fingerprint) : CachingJudge.await(outcome, "a verdict judged ahead");
    }

    /** Starts judging the requests the cache cannot answer, in order; returns how many were started. */
    int start(Collection<JudgeRequest> requests) {
        ThreadPoolExecutor threadPool = pool();
        if (threadPool == null) {
            return 0;
        }
        int started = 0;
        for (JudgeRequest request : requests) {
            Optional<JudgeFingerprint> toJudge = toJudge(request);
            if (toJudge.isEmpty()) {
                continue;
            }
            JudgeFingerprint fingerprint = toJudge.get();
            CompletableFuture<Verdict> outcome = new CompletableFuture<>();
            if (ahead.putIfAbsent(new Sent(request.metric(), fingerprint), outcome) != null) {
                continue;
            }
            if (started == 0) {
                warmUp.accept(request);
            }
            unfinished.add(outcome);
            outcome.whenComplete((verdict, error) -> unfinished.remove(outcome));
            if (progress != null) {
                progress.prefetchQueued(1);
                outcome.whenComplete((verdict, error) -> progress.prefetchDone());
            }
            threadPool.execute(() -> {
                try {
                    outcome.complete(cache.judge(request, fingerprint));
                } catch (RuntimeException | Error e) {
                    outcome.completeExceptionally(e);
                }
            });
            started++;
        }
        return started;
    }

    /**
     * What {@code request} sends, when the cache cannot answer it; none when it can, or when the request cannot even be
     * described, as its check then errors with why.
     */
    private Optional<JudgeFingerprint> toJudge(JudgeRequest request) {
        try {
            JudgeFingerprint fingerprint = cache.fingerprint(request);
            return cache.wouldJudge(request, fingerprint) ? Optional.of(fingerprint) : Optional.empty();
        } catch (JudgeException e) {
            return Optional.empty();
        }
    }

    private synchronized ThreadPoolExecutor pool() {
        if (closed) {
            return null;
        }
        if (pool == null) {
            AtomicInteger n = new AtomicInteger();
            pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "llm-judge-prefetch-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            // Idle threads go away, so a runtime that is never closed holds none between datasets.
            pool.allowCoreThreadTimeOut(true);
        }
        return pool;
    }

    /** Stops judging ahead; an outcome still under way ends with an error, so that no check waits for it forever. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        // Ended before the threads are stopped, so that a waiting check is told why, not what the interrupt broke.
        for (CompletableFuture<Verdict> outcome : List.copyOf(unfinished)) {
            outcome.completeExceptionally(new JudgeException(JudgeException.Reason.NETWORK, "judging ahead was stopped before this verdict"
                    + " came in: the run's judge was closed"));
        }
        ahead.clear();
        ThreadPoolExecutor stopping;
        synchronized (this) {
            stopping = pool;
        }
        if (stopping != null) {
            stopping.shutdownNow();
            // The calls under way are interrupted; what they still record is written before close returns, not after.
            try {
                if (!stopping.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    System.getLogger(Prefetch.class.getName()).log(System.Logger.Level.WARNING, "llm-judge: judging ahead did not stop within "
                            + CLOSE_WAIT_SECONDS + " s of the run's judge being closed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
