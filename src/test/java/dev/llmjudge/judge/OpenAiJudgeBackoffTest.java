package dev.llmjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OpenAiJudgeBackoffTest {
    private static final Duration INITIAL = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(10);

    @Test
    void delay_doubles_per_failure_with_jitter_between_half_and_all_of_it() {
        for (int failures = 1; failures <= 5; failures++) {
            long full = 100L << (failures - 1);
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                long delay = OpenAiJudge.backoff(failures, Optional.empty(), INITIAL, MAX).toMillis();
                assertThat(delay).isBetween(full / 2, full);
                seen.add(delay);
            }
            assertThat(seen).as("jitter spreads parallel retries").hasSizeGreaterThan(10);
        }
    }

    @Test
    void delay_is_capped_by_max_backoff() {
        for (int i = 0; i < 100; i++) {
            assertThat(OpenAiJudge.backoff(30, Optional.empty(), INITIAL, Duration.ofMillis(800)).toMillis()).isBetween(400L, 800L);
        }
    }

    @Test
    void retry_after_is_taken_as_is_up_to_max_backoff() {
        assertThat(OpenAiJudge.backoff(1, Optional.of(Duration.ofSeconds(3)), INITIAL, MAX)).isEqualTo(Duration.ofSeconds(3));
        assertThat(OpenAiJudge.backoff(1, Optional.of(Duration.ofHours(1)), INITIAL, MAX)).isEqualTo(MAX);
    }
}
