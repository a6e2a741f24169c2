package dev.llmjudge.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.config.ConfigOverrides;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.config.JudgeConfig;
import dev.llmjudge.runtime.RunBudget;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitWiringTest {

    private static LlmJudgeConfig config(Map<String, String> values) {
        return LlmJudgeConfig.defaults().with(ConfigOverrides.of(values));
    }

    @Test
    void backoff_keys_reach_the_judge_settings() {
        JudgeConfig settings = config(Map.of(LlmJudgeConfig.JUDGE_INITIAL_BACKOFF, "20ms", LlmJudgeConfig.JUDGE_MAX_BACKOFF, "3s")).judge();
        assertThat(settings.initialBackoff()).isEqualTo(Duration.ofMillis(20));
        assertThat(settings.maxBackoff()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void budget_keys_reach_the_run_budget() {
        RunBudget.Spent limits = LlmJudgeRuntime.budgetFrom(config(Map.of(LlmJudgeConfig.BUDGET_MAX_CALLS, "7",
                LlmJudgeConfig.BUDGET_MAX_TOKENS, "9000", LlmJudgeConfig.JUDGE_MAX_INPUT_TOKENS, "800"))).spent();
        assertThat(limits.maxCalls()).isEqualTo(7L);
        assertThat(limits.maxTokens()).isEqualTo(9000L);
        assertThat(limits.maxInputTokens()).isEqualTo(800);
        assertThat(limits.calls()).isZero();
    }

    @Test
    void a_new_runtime_has_spent_nothing() {
        try (LlmJudgeRuntime runtime = LlmJudgeRuntime.builder().config(config(Map.of())).build()) {
            assertThat(runtime.spent().calls()).isZero();
            assertThat(runtime.spent().totalTokens()).isZero();
            assertThat(runtime.clientCreated()).isFalse();
        }
    }
}
