package dev.llmjudge.internal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The closing of a run's judge, which its calls consult before each attempt they send (the first request, a retry after a
 * passing fault, a second ask after an invalid reply, a further sample): once closing has begun, none is sent, since closing
 * would interrupt it while the reply it is billed for is on its way, and that reply would be paid for and lost. An attempt
 * sent before keeps the time closing gives it to finish. A retry's backoff and a call's wait for the throttle wait on it, so
 * that closing cuts the wait short.
 *
 * <pre>{@code
 * Closing closing = new Closing();
 * // on the calling thread, between attempts
 * if (closing.begun()) throw ...;   // nothing more is sent
 * // when the run's judge closes, before waiting for the calls under way
 * closing.begin();
 * }</pre>
 */
public final class Closing {
    private final CountDownLatch begun = new CountDownLatch(1);

    /** Begins closing: from now on no new attempt is sent, and a backoff under way ends. Once is enough; again does nothing. */
    public void begin() {
        begun.countDown();
    }

    /** Whether closing has begun. */
    public boolean begun() {
        return begun.getCount() == 0;
    }

    /**
     * Waits {@code delay}, or less when closing begins meanwhile; returns whether it has begun.
     *
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public boolean awaitBegun(Duration delay) throws InterruptedException {
        return begun.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
