package dev.llmjudge.internal.openai;

import dev.llmjudge.judge.JudgeException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmjudge.judge.JudgeException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final Duration INITIAL = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(10);
    private static final Duration LONG_BUDGET = Duration.ofMinutes(1);
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private static RetryPolicy policy(Duration initial, Duration max) {
        return new RetryPolicy(4, LONG_BUDGET, initial, max);
    }

    /** Records the attempts and time it was given up with, and throws a marker error. */
    private static final class Recorder implements RetryPolicy.GiveUp {
        final List<Integer> attempts = new ArrayList<>();
        Duration elapsed;

        @Override
        public JudgeException after(int attempts, Duration elapsed) {
            this.attempts.add(attempts);
            this.elapsed = elapsed;
            return new JudgeException(Reason.SERVER_ERROR, "gave up after " + attempts + " attempts");
        }
    }

    // --- the delay --------------------------------------------------------------------------

    @Test
    void delay_doubles_per_failure_with_jitter_between_half_and_all_of_it() {
        for (int failures = 1; failures <= 5; failures++) {
            long full = 100L << (failures - 1);
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                long delay = policy(INITIAL, MAX).delay(failures, Optional.empty()).toMillis();
                assertThat(delay).isBetween(full / 2, full);
                seen.add(delay);
            }
            assertThat(seen).as("jitter spreads parallel retries").hasSizeGreaterThan(10);
        }
    }

    @Test
    void delay_is_capped_by_max_backoff() {
        for (int i = 0; i < 100; i++) {
            assertThat(policy(INITIAL, Duration.ofMillis(800)).delay(30, Optional.empty()).toMillis()).isBetween(400L, 800L);
        }
    }

    @Test
    void retry_after_is_taken_as_is_up_to_max_backoff() {
        assertThat(policy(INITIAL, MAX).delay(1, Optional.of(Duration.ofSeconds(3)))).isEqualTo(Duration.ofSeconds(3));
        assertThat(policy(INITIAL, MAX).delay(1, Optional.of(Duration.ofHours(1)))).isEqualTo(MAX);
    }

    // --- what the server asked for ----------------------------------------------------------

    @Test
    void retry_after_is_read_as_seconds_milliseconds_or_an_http_date() {
        String inTwoSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(2).atZone(ZoneOffset.UTC));

        assertThat(RetryPolicy.retryAfter(Optional.empty(), Optional.of("1"), NOW)).contains(Duration.ofSeconds(1));
        assertThat(RetryPolicy.retryAfter(Optional.empty(), Optional.of(" 0.5 "), NOW)).contains(Duration.ofMillis(500));
        assertThat(RetryPolicy.retryAfter(Optional.of("400"), Optional.empty(), NOW)).contains(Duration.ofMillis(400));
        assertThat(RetryPolicy.retryAfter(Optional.empty(), Optional.of(inTwoSeconds), NOW)).contains(Duration.ofSeconds(2));
    }

    @Test
    void retry_after_ms_wins_over_retry_after_unless_it_is_not_a_number() {
        assertThat(RetryPolicy.retryAfter(Optional.of("250"), Optional.of("3"), NOW)).contains(Duration.ofMillis(250));
        assertThat(RetryPolicy.retryAfter(Optional.of("soon"), Optional.of("3"), NOW)).contains(Duration.ofSeconds(3));
    }

    @Test
    void retry_after_in_the_past_is_no_wait_and_an_illegible_one_is_none() {
        String aMinuteAgo = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(60).atZone(ZoneOffset.UTC));

        assertThat(RetryPolicy.retryAfter(Optional.empty(), Optional.of(aMinuteAgo), NOW)).contains(Duration.ZERO);
        assertThat(RetryPolicy.retryAfter(Optional.empty(), Optional.of("tomorrow"), NOW)).isEmpty();
        assertThat(RetryPolicy.retryAfter(Optional.empty(), Optional.empty(), NOW)).isEmpty();
    }

    // --- attempts and the retry budget ------------------------------------------------------

    @Test
    void gives_up_on_the_last_of_max_attempts_with_their_count() {
        RetryPolicy.Retries retries = new RetryPolicy(3, LONG_BUDGET, Duration.ofMillis(1), Duration.ofMillis(2)).start();
        Recorder giveUp = new Recorder();

        retries.waitToRetry(Optional.empty(), giveUp);
        retries.waitToRetry(Optional.empty(), giveUp);
        JudgeException e = catchThrowableOfType(JudgeException.class, () -> retries.waitToRetry(Optional.empty(), giveUp));

        assertThat(e).hasMessage("gave up after 3 attempts");
        assertThat(giveUp.attempts).containsExactly(3);
        assertThat(giveUp.elapsed).isBetween(Duration.ZERO, LONG_BUDGET);
    }

    @Test
    void one_attempt_is_never_retried() {
        RetryPolicy.Retries retries = new RetryPolicy(1, LONG_BUDGET, INITIAL, MAX).start();
        Recorder giveUp = new Recorder();

        catchThrowableOfType(JudgeException.class, () -> retries.waitToRetry(Optional.empty(), giveUp));

        assertThat(giveUp.attempts).containsExactly(1);
    }

    @Test
    void a_delay_that_would_end_after_the_retry_budget_gives_up_at_once() {
        RetryPolicy.Retries retries = new RetryPolicy(50, Duration.ofSeconds(5), INITIAL, Duration.ofHours(2)).start();
        Recorder giveUp = new Recorder();

        long started = System.nanoTime();
        catchThrowableOfType(JudgeException.class, () -> retries.waitToRetry(Optional.of(Duration.ofHours(1)), giveUp));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no sleep at all").isLessThan(Duration.ofSeconds(4));
        assertThat(giveUp.attempts).containsExactly(1);
    }

    @Test
    void a_delay_within_the_budget_is_slept() {
        RetryPolicy.Retries retries = new RetryPolicy(4, LONG_BUDGET, INITIAL, MAX).start();
        Recorder giveUp = new Recorder();

        long started = System.nanoTime();
        retries.waitToRetry(Optional.of(Duration.ofMillis(200)), giveUp);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        assertThat(giveUp.attempts).isEmpty();
    }

    @Test
    void interrupted_while_waiting_errors_and_keeps_the_interrupt() {
        RetryPolicy.Retries retries = new RetryPolicy(4, LONG_BUDGET, INITIAL, MAX).start();

        Thread.currentThread().interrupt();
        JudgeException e = catchThrowableOfType(JudgeException.class, () -> retries.waitToRetry(Optional.empty(), new Recorder()));

        assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        assertThat(e.reason()).isEqualTo(Reason.NETWORK);
        assertThat(e).hasMessage("interrupted while waiting to retry the judge call");
    }
}
