package dev.llmjudge.runtime;

import dev.llmjudge.internal.cache.CachingJudge;
import dev.llmjudge.internal.check.CallOutsideCheck;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
    /** How long closing lets the calls already sent finish, so that what they are billed for is recorded. */
    private final Duration finishWait;
    /** The model a call that failed after it was billed is priced at, as a check's error is. */
    private final String judgeModel;
    private ThreadPoolExecutor pool;
    private volatile boolean closed;

    /** What a request sends, and so its verdict: its metric and what the judge would send for it. */
    private record Sent(Metric metric, JudgeFingerprint fingerprint) {
    }

    /**
     * {@code progress} is told what is queued and done, or {@code null}; {@code warmUp} is given the first request to be
     * judged ahead, as soon as it is known, before the others are looked up in the cache; {@code finishWait} is how long
     * closing lets the calls already sent finish (a request's timeout, say); {@code judgeModel} is the model asked, which
     * prices a call that failed after it was billed.
     */
    Prefetch(CachingJudge cache, int threads, JudgingProgress progress, Consumer<JudgeRequest> warmUp, Duration finishWait,
            String judgeModel) {
        this.cache = cache;
        this.threads = threads;
        this.progress = progress;
        this.warmUp = warmUp;
        this.finishWait = finishWait;
        this.judgeModel = judgeModel;
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
                if (closed) {
                    // Not sent yet, so not billed: dropped.
                    outcome.completeExceptionally(stopped());
                    return;
                }
                String metric = request.metric().name();
                try {
                    Verdict verdict = cache.judge(request, fingerprint);
                    if (!outcome.complete(verdict)) {
                        // Ended by closing before it came in: no check holds what it was billed, so the report is told here.
                        CallOutsideCheck.publishIfBilled(CallOutsideCheck.JUDGED_AHEAD_UNTAKEN, metric, verdict);
                    }
                } catch (JudgeException e) {
                    if (!outcome.completeExceptionally(e)) {
                        CallOutsideCheck.publishIfBilled(CallOutsideCheck.JUDGED_AHEAD_FAILED_UNTAKEN, metric, e, judgeModel);
                    }
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

    /**
     * Announces each verdict judged ahead in this run that no check took, and each such call that failed after it was billed
     * (e.g. two invalid replies), and forgets them: the report counts them though no row holds them. A verdict another
     * process recorded meanwhile was read, not billed here.
     */
    private void reportUntaken() {
        for (Map.Entry<Sent, CompletableFuture<Verdict>> untaken : ahead.entrySet()) {
            CompletableFuture<Verdict> outcome = untaken.getValue();
            if (!outcome.isDone()) {
                continue;
            }
            String metric = untaken.getKey().metric().name();
            Throwable failure = outcome.handle((verdict, error) -> error).join();
            if (failure == null) {
                CallOutsideCheck.publishIfBilled(CallOutsideCheck.JUDGED_AHEAD_UNTAKEN, metric, outcome.join());
            } else if (failure instanceof JudgeException e) {
                CallOutsideCheck.publishIfBilled(CallOutsideCheck.JUDGED_AHEAD_FAILED_UNTAKEN, metric, e, judgeModel);
            }
        }
        ahead.clear();
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

    /**
     * Stops judging ahead. The calls not sent yet are dropped; those under way were sent, and are billed, so they may finish
     * for up to {@code finishWait}, their verdicts recorded (the runtime has begun its closing before, so that none of them
     * sends a new attempt meanwhile, which the interrupt below could cut off while its billed reply is on its way); then the run's report is told of each verdict judged ahead that
     * no check took. An outcome still under way after that ends with an error, so that no check waits for it forever; its
     * call is interrupted, and a verdict that still comes in is recorded and counted as taken by no check.
     */
    @Override
    public void close() {
        ThreadPoolExecutor stopping;
        synchronized (this) {
            closed = true;
            stopping = pool;
        }
        if (stopping != null) {
            stopping.shutdown();
            try {
                if (!stopping.awaitTermination(finishWait.toMillis(), TimeUnit.MILLISECONDS)) {
                    // Ended before the threads are interrupted, so that a waiting check is told why, not what the interrupt broke.
                    endUnfinished();
                    stopping.shutdownNow();
                    // Interrupted, the calls still under way end; what they still record is written before close returns.
                    if (!stopping.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                        System.getLogger(Prefetch.class.getName()).log(System.Logger.Level.WARNING, "llm-judge: judging ahead did not"
                                + " stop within " + CLOSE_WAIT_SECONDS + " s of the run's judge being closed");
                    }
                }
            } catch (InterruptedException e) {
                stopping.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        endUnfinished();
        reportUntaken();
    }

    private void endUnfinished() {
        for (CompletableFuture<Verdict> outcome : List.copyOf(unfinished)) {
            outcome.completeExceptionally(stopped());
        }
    }

    private static JudgeException stopped() {
        return new JudgeException(JudgeException.Reason.NETWORK, "judging ahead was stopped before this verdict came in: the run's"
                + " judge was closed");
    }
}
