package dev.llmjudge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LlmJudgeConfigTest {

    private static LlmJudgeConfig resolve(Map<String, String> params, Map<String, String> env) {
        return LlmJudgeConfig.resolve(params.keySet(), k -> Optional.ofNullable(params.get(k)), env, Map.of());
    }

    @Test
    void should_use_documented_defaults() {
        LlmJudgeConfig config = resolve(Map.of(), Map.of());
        assertThat(config.judgeModel()).isEqualTo("gpt-4.1");
        assertThat(config.judgeBaseUrl()).isEmpty();
        assertThat(config.temperature()).isZero();
        assertThat(config.seed()).isEqualTo(42);
        assertThat(config.maxTokens()).isEqualTo(1024);
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.cacheDir()).isEqualTo(Path.of("src/test/llm-judge"));
        assertThat(config.cacheMode()).isEqualTo(CacheMode.AUTO);
        assertThat(config.reportDir()).isEqualTo(Path.of("target/llm-judge"));
    }

    @Test
    void should_prefer_parameters_over_environment_over_defaults() {
        LlmJudgeConfig config = resolve(Map.of("llmjudge.judge.model", "from-param"),
                Map.of("LLMJUDGE_JUDGE_MODEL", "from-env", "LLMJUDGE_CACHE_MODE", "replay"));
        assertThat(config.judgeModel()).isEqualTo("from-param");
        assertThat(config.cacheMode()).isEqualTo(CacheMode.REPLAY);
    }

    @Test
    void should_derive_environment_variables_mechanically() {
        assertThat(LlmJudgeConfig.environmentVariableOf("llmjudge.cache.dir")).isEqualTo("LLMJUDGE_CACHE_DIR");
        assertThat(LlmJudgeConfig.environmentVariableOf("llmjudge.judge.max-tokens")).isEqualTo("LLMJUDGE_JUDGE_MAX_TOKENS");
    }

    @Test
    void should_fail_fast_on_an_unknown_mode_naming_key_and_value() {
        assertThatThrownBy(() -> resolve(Map.of("llmjudge.cache.mode", "sometimes"), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("invalid value 'sometimes' for llmjudge.cache.mode: expected one of auto, replay, refresh, off"
                        + " (set by -Dllmjudge.cache.mode, junit-platform.properties or LLMJUDGE_CACHE_MODE)");
    }

    @Test
    void should_fail_fast_on_a_malformed_number() {
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("LLMJUDGE_JUDGE_MAX_TOKENS", "lots")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("invalid value 'lots' for llmjudge.judge.max-tokens: expected a whole number of at least 16")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("llmjudge.judge.max-tokens");
    }

    @Test
    void should_fail_fast_on_a_malformed_duration() {
        assertThatThrownBy(() -> resolve(Map.of("llmjudge.judge.timeout", "soon"), Map.of()))
                .hasMessageStartingWith("invalid value 'soon' for llmjudge.judge.timeout: expected a duration such as 500ms, 30s, 2m or PT30S");
    }

    @Test
    void should_read_durations_in_short_and_iso_forms() {
        assertThat(resolve(Map.of("llmjudge.judge.timeout", "500ms"), Map.of()).timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(resolve(Map.of("llmjudge.judge.timeout", "2m"), Map.of()).timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(resolve(Map.of("llmjudge.judge.timeout", "PT3S"), Map.of()).timeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void should_fail_fast_on_an_unknown_key() {
        assertThatThrownBy(() -> resolve(Map.of("llmjudge.cache.dri", "x"), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("unknown configuration key 'llmjudge.cache.dri': the keys are llmjudge.judge.model,");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("LLMJUDGE_CACHE_DRI", "x")))
                .hasMessageStartingWith("unknown configuration key 'environment variable LLMJUDGE_CACHE_DRI'");
    }

    @Test
    void should_ignore_keys_outside_the_prefix() {
        assertThat(resolve(Map.of("junit.jupiter.execution.parallel.enabled", "true"), Map.of("PATH", "/bin")).judgeModel())
                .isEqualTo("gpt-4.1");
    }

    @Test
    void should_apply_overrides_with_with() {
        LlmJudgeConfig config = resolve(Map.of(), Map.of()).with(Map.of("llmjudge.cache.mode", "off"));
        assertThat(config.cacheMode()).isEqualTo(CacheMode.OFF);
        assertThat(LlmJudgeConfig.keys()).extracting(LlmJudgeConfig.Key::name).contains("llmjudge.cache.mode");
        assertThat(List.copyOf(config.values().keySet())).doesNotContain("llmjudge.judge.base-url");
    }
}
