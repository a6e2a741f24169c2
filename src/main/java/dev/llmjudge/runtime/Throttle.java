package dev.llmjudge.runtime;

import dev.llmjudge.internal.Closing;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;

/**
 * Caps on judge calls, shared by everything that judges through it: at most
 * {@code maxConcurrency} calls in progress at once, and at most {@code maxCallsPerPeriod} calls
 * started in any {@code period} (a sliding window). One throttle can serve several runtimes, so
 * that the caps hold for a whole test run. A runtime's call waiting for its turn under the period's
 * cap ends, not sent, when that runtime closes; the calls of the others wait on.
 *
 * <pre>{@code
 * Throttle throttle = new Throttle(4, 60, Duration.ofMinutes(1));
 * LlmJudgeRuntime a = LlmJudgeRuntime.builder().config(configA).throttle(throttle).build();
 * LlmJudgeRuntime b = LlmJudgeRuntime.builder().config(configB).throttle(throttle).build();
 * }</pre>
 */
public final class Throttle {
    /** Never begun: the closing of a call made through {@link #acquire()}, which only an interrupt ends. */
    private static final Closing NEVER = new Closing();

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
        return acquire(NEVER);
    }

    /**
     * As {@link #acquire()}, for a call of the run's judge whose closing is {@code closing}: once it has begun, the call waits
     * no longer for its turn under the period's cap and throws a {@link JudgeException} saying it was not sent. The closing is
     * the call's, not the throttle's, so that runtimes sharing the throttle close on their own.
     */
    Permit acquire(Closing closing) {
        awaitSlot();
        try {
            // Taken after the concurrency slot, right before the call, so that the recorded start is the real one.
            awaitStartSlot(closing);
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        return this::release;
    }

    /**
     * Waits for a free slot. Not cut short by closing: the slots are held by calls under way, which closing lets finish, and a
     * call given a slot once closing has begun is not sent ({@link Closing}).
     */
    private void awaitSlot() {
        if (inProgress == null) {
            return;
        }
        try {
            inProgress.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JudgeException(Reason.NETWORK, "interrupted while waiting for a free judge slot (llmjudge.judge.max-concurrency)", e);
        }
    }

    private void release() {
        if (inProgress != null) {
            inProgress.release();
        }
    }

    private void awaitStartSlot(Closing closing) {
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
            boolean closed;
            try {
                closed = closing.awaitBegun(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JudgeException(Reason.NETWORK, "interrupted while waiting for the judge's rate limit"
                        + " (llmjudge.judge.requests-per-minute)", e);
            }
            if (closed) {
                // Its start stays booked: the runtimes sharing this throttle may start a call later than they could, never sooner.
                throw closedWhileWaiting("its turn under llmjudge.judge.requests-per-minute");
            }
        }
    }

    /** The error of a call whose run's judge closed while it waited for {@code what}: it was not sent. */
    private static JudgeException closedWhileWaiting(String what) {
        return new JudgeException(Reason.NETWORK, "the run's judge was closed while this judge call waited for " + what
                + ": nothing was sent, so nothing was billed, and no verdict was recorded.");
    }
}
