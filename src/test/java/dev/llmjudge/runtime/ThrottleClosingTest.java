package dev.llmjudge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.internal.Closing;
import dev.llmjudge.judge.JudgeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A call waiting for its turn under the throttle's period cap ends, not sent, when its run's judge begins closing; the closing is the call's, so that a
 * call of another runtime sharing the throttle waits on.
 */
class ThrottleClosingTest {
    /** Long enough that a test would time out were the wait not cut short. */
    private static final Duration PERIOD = Duration.ofMinutes(1);

    private static CompletableFuture<Throttle.Permit> waiting(Throttle throttle, Closing closing) {
        return CompletableFuture.supplyAsync(() -> throttle.acquire(closing));
    }

    private static JudgeException failure(CompletableFuture<Throttle.Permit> call) throws InterruptedException, TimeoutException {
        try {
            call.get(5, TimeUnit.SECONDS);
            throw new AssertionError("the call got its permit");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(JudgeException.class);
            return (JudgeException) e.getCause();
        }
    }

    @Test
    void should_end_a_wait_for_the_turn_under_the_period_cap_when_the_callers_judge_begins_closing_but_not_another_runtimes()
            throws Exception {
        Throttle shared = new Throttle(0, 1, PERIOD);
        shared.acquire().close();
        Closing closing = new Closing();
        Closing others = new Closing();
        CompletableFuture<Throttle.Permit> closed = waiting(shared, closing);
        CompletableFuture<Throttle.Permit> other = waiting(shared, others);
        Thread.sleep(200);

        closing.begin();

        assertThat(failure(closed)).hasMessage("the run's judge was closed while this judge call waited for its turn under"
                + " llmjudge.judge.requests-per-minute: nothing was sent, so nothing was billed, and no verdict was recorded.");
        Thread.sleep(200);
        assertThat(other).as("the call of the runtime sharing the throttle waits for its turn").isNotDone();
        others.begin();
        assertThat(failure(other)).hasMessageStartingWith("the run's judge was closed while this judge call waited for its turn");
    }
}
