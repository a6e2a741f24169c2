package dev.llmjudge.internal.openai;

import dev.llmjudge.internal.Closing;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a judge call that failed for a passing reason (HTTP 408, 409, 429, 5xx, network) is tried
 * again: up to {@code max-attempts}, after a delay that doubles per failure with jitter or that
 * the server asked for ({@code Retry-After}), capped by {@code max-backoff}; a retry whose delay
 * would end after the {@code retry-budget} gives up at once instead of sleeping. The closing of the
 * run's judge ({@link Closing}) cuts a delay short.
 */
final class RetryPolicy {
    private final int maxAttempts;
    private final Duration retryBudget;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    RetryPolicy(int maxAttempts, Duration retryBudget, Duration initialBackoff, Duration maxBackoff) {
        this.maxAttempts = maxAttempts;
        this.retryBudget = retryBudget;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** The error to throw when no retry is left, made from the attempts so far and the time they took. */
    @FunctionalInterface
    interface GiveUp {
        JudgeException after(int attempts, Duration elapsed);
    }

    /** The retries of one call that nothing closes (a Batch API call); its budget starts now. */
    Retries start() {
        return start(new Closing());
    }

    /** The retries of one call, whose delays {@code closing} cuts short; its budget starts now. */
    Retries start(Closing closing) {
        return new Retries(Instant.now(), closing);
    }

    /** The delay before retry number {@code failures}: the server's wish if it stated one, else exponential with jitter; capped. */
    Duration delay(int failures, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            Duration wanted = retryAfter.get();
            return wanted.compareTo(maxBackoff) > 0 ? maxBackoff : wanted;
        }
        long base = initialBackoff.toMillis() << Math.min(failures - 1, 20);
        long capped = Math.min(base, maxBackoff.toMillis());
        // Jitter: between half and all of the exponential delay, so parallel tests spread out.
        long jittered = capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(jittered);
    }

    /** The delay a server asked for in {@code retry-after-ms} (milliseconds), else {@code Retry-After} (seconds or an HTTP date). */
    static Optional<Duration> retryAfter(Optional<String> retryAfterMs, Optional<String> retryAfter, Instant now) {
        if (retryAfterMs.isPresent()) {
            try {
                return Optional.of(Duration.ofMillis((long) Double.parseDouble(retryAfterMs.get().strip())));
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        if (retryAfter.isEmpty()) {
            return Optional.empty();
        }
        String value = retryAfter.get().strip();
        try {
            return Optional.of(Duration.ofMillis((long) (Double.parseDouble(value) * 1000)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (RuntimeException notADate) {
                return Optional.empty();
            }
        }
    }

    /** The retries of one call: how many attempts failed so far, and since when. */
    final class Retries {
        private final Instant start;
        private final Instant deadline;
        private final Closing closing;
        private int failures;

        private Retries(Instant start, Closing closing) {
            this.start = start;
            this.deadline = start.plus(retryBudget);
            this.closing = closing;
        }

        /**
         * Counts a failed attempt and sleeps until the next may start, or throws from {@code giveUp} when none may. Returns as
         * soon as closing begins: the caller, consulting it before it sends, then sends nothing more.
         */
        void waitToRetry(Optional<Duration> retryAfter, GiveUp giveUp) {
            failures++;
            Duration delay = delay(failures, retryAfter);
            if (failures >= maxAttempts || Instant.now().plus(delay).isAfter(deadline)) {
                throw giveUp.after(failures, Duration.between(start, Instant.now()));
            }
            try {
                closing.awaitBegun(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JudgeException(Reason.NETWORK, "interrupted while waiting to retry the judge call", e);
            }
        }
    }
}
