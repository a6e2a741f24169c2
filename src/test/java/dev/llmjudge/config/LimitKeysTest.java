package dev.llmjudge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The keys for retries, throttling, budgets and the input bound. */
class LimitKeysTest {

    private static LlmJudgeConfig resolve(Map<String, String> env) {
        return LlmJudgeConfig.resolve(ConfigSources.of(Map.of(), env));
    }

    @Test
    void defaults_leave_throttle_and_budget_off_and_bound_the_input() {
        LlmJudgeConfig config = resolve(Map.of());
        assertThat(config.judge().initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.judge().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.judge().maxConcurrency()).isEmpty();
        assertThat(config.judge().requestsPerMinute()).isEmpty();
        assertThat(config.judge().maxInputTokens()).isEqualTo(100_000);
        assertThat(config.budget().maxCalls()).isEmpty();
        assertThat(config.budget().maxTokens()).isEmpty();
    }

    @Test
    void every_key_is_read_from_its_environment_variable() {
        LlmJudgeConfig config = resolve(Map.of(
                "LLMJUDGE_JUDGE_INITIAL_BACKOFF", "250ms",
                "LLMJUDGE_JUDGE_MAX_BACKOFF", "2m",
                "LLMJUDGE_JUDGE_MAX_CONCURRENCY", "4",
                "LLMJUDGE_JUDGE_REQUESTS_PER_MINUTE", "60",
                "LLMJUDGE_JUDGE_MAX_INPUT_TOKENS", "32000",
                "LLMJUDGE_BUDGET_MAX_CALLS", "500",
                "LLMJUDGE_BUDGET_MAX_TOKENS", "5000000000"));
        assertThat(config.judge().initialBackoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.judge().maxBackoff()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.judge().maxConcurrency()).hasValue(4);
        assertThat(config.judge().requestsPerMinute()).hasValue(60);
        assertThat(config.judge().maxInputTokens()).isEqualTo(32_000);
        assertThat(config.budget().maxCalls()).hasValue(500L);
        assertThat(config.budget().maxTokens()).hasValue(5_000_000_000L);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
        "llmjudge.judge.max-concurrency, 0",
        "llmjudge.judge.requests-per-minute, -5",
        "llmjudge.budget.max-calls, ten",
        "llmjudge.budget.max-tokens, 1.5",
        "llmjudge.judge.max-input-tokens, 0",
        "llmjudge.judge.initial-backoff, soon",
        "llmjudge.judge.max-backoff, 30 parsecs",
        "llmjudge.judge.initial-backoff, PT-1S",
        "llmjudge.judge.max-backoff, PT-1S"})
    void malformed_value_fails_at_start_naming_the_key(String key, String value) {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> LlmJudgeConfig.resolve(ConfigSources.of(Map.of(key, value), Map.of())));
        assertThat(e.key()).isEqualTo(key);
        assertThat(e).hasMessageContaining("invalid value '" + value + "' for " + key)
                .hasMessageContaining(LlmJudgeConfig.environmentVariableOf(key));
    }
}
