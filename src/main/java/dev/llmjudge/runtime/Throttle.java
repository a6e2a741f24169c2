package dev.llmjudge.runtime;

import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Caps on judge calls, shared by everything that judges through it: at most
 * {@code maxConcurrency} calls in progress at once, and at most {@code maxCallsPerPeriod} calls
 * started in any {@code period} (a sliding window). One throttle can serve several runtimes, so
 * that the caps hold for a whole test run.
 *
 * <pre>{@code
 * Throttle throttle = new Throttle(4, 60, Duration.ofMinutes(1));
 * LlmJudgeRuntime a = LlmJudgeRuntime.builder().config(configA).throttle(throttle).build();
 * LlmJudgeRuntime b = LlmJudgeRuntime.builder().config(configB).throttle(throttle).build();
 * }</pre>
 */
public final class Throttle {
    private final Semaphore inProgress;
    private final int maxCallsPerPeriod;
    private final long periodNanos;
    /** Start times (System.nanoTime) of the latest calls, at most maxCallsPerPeriod of them, oldest first. */
    private final ArrayDeque<Long> starts = new ArrayDeque<>();

    /**
     * @param maxConcurrency most calls in progress at once, or 0 for no cap
     * @param maxCallsPerPeriod most calls started in any {@code period}, or 0 for no cap
     * @param period the window of {@code maxCallsPerPeriod}, one minute for {@code llmjudge.judge.requests-per-minute}
     */
    public Throttle(int maxConcurrency, int maxCallsPerPeriod, Duration period) {
        if (maxConcurrency < 0 || maxCallsPerPeriod < 0 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("caps must be 0 (none) or more, and the period positive");
        }
        this.inProgress = maxConcurrency == 0 ? null : new Semaphore(maxConcurrency, true);
        this.maxCallsPerPeriod = maxCallsPerPeriod;
        this.periodNanos = period.toNanos();
    }

    /** Whether this throttle caps nothing. */
    public boolean isUnlimited() {
        return inProgress == null && maxCallsPerPeriod == 0;
    }

    /** A call's hold on the throttle; closing it frees the concurrency slot. */
    @FunctionalInterface
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /** Waits for a free slot and for the period's cap, then lets one call start; interrupted, throws a {@link JudgeException}. */
    public Permit acquire() {
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
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        return this::release;
    }

    private void release() {
        if (inProgress != null) {
            inProgress.release();
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
