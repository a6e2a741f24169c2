package dev.llmjudge.judge;

import dev.llmjudge.judge.JudgeException.Reason;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A judge that caps the calls in progress at once and the calls started per period, for every
 * thread that shares it: one runtime serves every test of a run, so parallel tests queue here
 * instead of tripping the endpoint's rate limit. Put it behind the verdict cache, so that
 * recorded verdicts never wait.
 *
 * <p>A call holds its slot through its own retries; the retries are paced by backoff and the
 * server's {@code Retry-After}. The period is a sliding window: no more than
 * {@code maxCalls} calls start in any {@code period}.
 *
 * <pre>{@code
 * Judge judge = new ThrottledJudge(new OpenAiJudge(settings), 4, 60, Duration.ofMinutes(1));
 * }</pre>
 */
public final class ThrottledJudge implements Judge {
    private final Judge delegate;
    private final Semaphore inProgress;
    private final int maxCallsPerPeriod;
    private final long periodNanos;
    /** Start times (System.nanoTime) of the latest calls, at most maxCallsPerPeriod of them, oldest first. */
    private final ArrayDeque<Long> starts = new ArrayDeque<>();

    /**
     * @param delegate the judge to call
     * @param maxConcurrency most calls in progress at once, or 0 for no cap
     * @param maxCallsPerPeriod most calls started in any {@code period}, or 0 for no cap
     * @param period the window of {@code maxCallsPerPeriod}, one minute for {@code llmjudge.judge.requests-per-minute}
     */
    public ThrottledJudge(Judge delegate, int maxConcurrency, int maxCallsPerPeriod, Duration period) {
        if (maxConcurrency < 0 || maxCallsPerPeriod < 0 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("caps must be 0 (none) or more, and the period positive");
        }
        this.delegate = delegate;
        this.inProgress = maxConcurrency == 0 ? null : new Semaphore(maxConcurrency, true);
        this.maxCallsPerPeriod = maxCallsPerPeriod;
        this.periodNanos = period.toNanos();
    }

    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        return delegate.fingerprint(request);
    }

    @Override
    public Verdict judge(JudgeRequest request) {
        try {
            if (inProgress != null) {
                inProgress.acquire();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JudgeException(Reason.NETWORK, "interrupted while waiting for a free judge slot (llmjudge.judge.max-concurrency)", e);
        }
        try {
            // Taken after the concurrency slot, right before the call, so that the recorded start is the real one.
            awaitStartSlot();
            return delegate.judge(request);
        } finally {
            if (inProgress != null) {
                inProgress.release();
            }
        }
    }

    private void awaitStartSlot() {
        if (maxCallsPerPeriod == 0) {
            return;
        }
        long start;
        synchronized (starts) {
            long now = System.nanoTime();
            start = now;
            if (starts.size() >= maxCallsPerPeriod) {
                start = Math.max(now, starts.pollFirst() + periodNanos);
            }
            starts.addLast(start);
        }
        long wait = start - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JudgeException(Reason.NETWORK, "interrupted while waiting for the judge's rate limit"
                        + " (llmjudge.judge.requests-per-minute)", e);
            }
        }
    }
}
