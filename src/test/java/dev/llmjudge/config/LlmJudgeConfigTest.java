package dev.llmjudge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.internal.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmJudgeConfigTest {

    private static LlmJudgeConfig resolve(Map<String, String> params, Map<String, String> env) {
        return LlmJudgeConfig.resolve(ConfigSources.of(params, env));
    }

    @Test
    void should_use_documented_defaults() {
        LlmJudgeConfig config = resolve(Map.of(), Map.of());
        assertThat(config.judge().model()).isEqualTo("gpt-4.1");
        assertThat(config.judge().baseUrl()).isEmpty();
        assertThat(config.judge().temperature()).isZero();
        assertThat(config.judge().seed()).isEqualTo(42);
        assertThat(config.judge().maxTokens()).isEqualTo(1024);
        assertThat(config.judge().timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.cache().dir()).isEqualTo(Path.of("src/test/llm-judge"));
        assertThat(config.cache().mode()).isEqualTo(CacheMode.AUTO);
        assertThat(config.report().dir()).isEqualTo(Path.of("target/llm-judge"));
    }

    @Test
    void should_prefer_parameters_over_environment_over_defaults() {
        LlmJudgeConfig config = resolve(Map.of("llmjudge.judge.model", "from-param"),
                Map.of("LLMJUDGE_JUDGE_MODEL", "from-env", "LLMJUDGE_CACHE_MODE", "replay"));
        assertThat(config.judge().model()).isEqualTo("from-param");
        assertThat(config.cache().mode()).isEqualTo(CacheMode.REPLAY);
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
                .hasMessage("invalid value 'sometimes' for llmjudge.cache.mode: expected one of auto, replay, refresh, off,"
                        + " collect (set by -Dllmjudge.cache.mode, junit-platform.properties or LLMJUDGE_CACHE_MODE)");
    }

    @Test
    void should_quote_a_malformed_value_without_a_known_key_or_the_credentials_of_a_url() {
        String key = "sk-config-canary-0123456789abcdef";
        Secrets.register(key);

        assertThatThrownBy(() -> resolve(Map.of("llmjudge.cache.mode", key), Map.of())).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("invalid value '[REDACTED]' for llmjudge.cache.mode: expected one of").hasMessageNotContaining(key);
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("LLMJUDGE_JUDGE_BASE_URL", "https://judge:hunter2-secret@judge.example.com:99999/v1")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("invalid value 'https://[REDACTED]@judge.example.com:99999/v1' for llmjudge.judge.base-url: expected")
                .hasMessageNotContaining("hunter2");
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
                .hasMessageStartingWith("invalid value 'soon' for llmjudge.judge.timeout: expected a duration from 1ms to 576h (24 days), such as 500ms, 30s, 2m or PT30S");
    }

    @Test
    void should_read_durations_in_short_and_iso_forms() {
        assertThat(resolve(Map.of("llmjudge.judge.timeout", "500ms"), Map.of()).judge().timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(resolve(Map.of("llmjudge.judge.timeout", "2m"), Map.of()).judge().timeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(resolve(Map.of("llmjudge.judge.timeout", "PT3S"), Map.of()).judge().timeout()).isEqualTo(Duration.ofSeconds(3));
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
    void should_name_the_nearest_key_of_an_unknown_property() {
        assertThatThrownBy(() -> resolve(Map.of("llmjudge.cache.mod", "replay"), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("unknown configuration key 'llmjudge.cache.mod': the keys are llmjudge.judge.model, llmjudge.judge.base-url,"
                        + " llmjudge.judge.temperature, llmjudge.judge.seed, llmjudge.judge.max-tokens, llmjudge.judge.timeout,"
                        + " llmjudge.judge.max-attempts, llmjudge.judge.retry-budget, llmjudge.judge.initial-backoff,"
                        + " llmjudge.judge.max-backoff, llmjudge.judge.max-concurrency, llmjudge.judge.requests-per-minute,"
                        + " llmjudge.judge.max-input-tokens, llmjudge.judge.missing-key, llmjudge.judge.samples, llmjudge.judge.on-unstable,"
                        + " llmjudge.judge.score-by, llmjudge.budget.max-calls, llmjudge.budget.max-tokens, llmjudge.cache.dir,"
                        + " llmjudge.cache.mode, llmjudge.cache.unused, llmjudge.batch.dir, llmjudge.batch.poll-interval,"
                        + " llmjudge.batch.max-requests, llmjudge.batch.max-bytes, llmjudge.report.dir, llmjudge.report.baseline,"
                        + " llmjudge.report.baseline-required, llmjudge.report.run-id,"
                        + " llmjudge.report.history, llmjudge.gate.max-drop, llmjudge.gate.pairwise-baseline, llmjudge.gate.max-loss-rate, llmjudge.gate.max-unstable, llmjudge.progress.interval, llmjudge.sut.model, llmjudge.shard, llmjudge.conversation.window and"
                        + " llmjudge.gate.<metric>.min-mean|min-pass-rate|max-drop;"
                        + " did you mean llmjudge.cache.mode?");
        assertThatThrownBy(() -> resolve(Map.of("llmjudge.cache.dri", "x"), Map.of())).hasMessageEndingWith("; did you mean llmjudge.cache.dir?");
        assertThatThrownBy(() -> resolve(Map.of("llmjudge.gate.answer_similarity.min-maen", "3"), Map.of()))
                .hasMessageEndingWith("; did you mean llmjudge.gate.answer_similarity.min-mean?");
    }

    @Test
    void should_name_the_nearest_variable_of_an_unknown_environment_variable() {
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("LLMJUDGE_CACHE_MOD", "replay")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("unknown configuration key 'environment variable LLMJUDGE_CACHE_MOD': the keys are llmjudge.judge.model,")
                .hasMessageEndingWith(" and llmjudge.gate.<metric>.min-mean|min-pass-rate|max-drop; did you mean LLMJUDGE_CACHE_MODE?")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("LLMJUDGE_CACHE_MOD");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("LLMJUDGE_GATE_FAITHFULNESS_MIN_PASSRATE", "90%")))
                .hasMessageEndingWith("; did you mean LLMJUDGE_GATE_FAITHFULNESS_MIN_PASS_RATE?");
    }

    @Test
    void should_suggest_nothing_for_a_key_near_no_known_one() {
        assertThatThrownBy(() -> resolve(Map.of("llmjudge.something.else", "x"), Map.of()))
                .hasMessageEndingWith(" and llmjudge.gate.<metric>.min-mean|min-pass-rate|max-drop");
    }

    @Test
    void should_ignore_keys_outside_the_prefix() {
        assertThat(resolve(Map.of("junit.jupiter.execution.parallel.enabled", "true"), Map.of("PATH", "/bin")).judge().model())
                .isEqualTo("gpt-4.1");
    }

    @Test
    void should_apply_overrides_with_with() {
        LlmJudgeConfig config = resolve(Map.of(), Map.of()).with(ConfigOverrides.builder().cacheMode(CacheMode.OFF).build());
        assertThat(config.cache().mode()).isEqualTo(CacheMode.OFF);
        assertThat(LlmJudgeConfig.keys()).extracting(Key::name).contains("llmjudge.cache.mode");
        assertThat(config.judge().baseUrl()).isEmpty();
    }

    @Test
    void should_keep_what_it_was_resolved_from_under_with() {
        LlmJudgeConfig fromEnvironment = resolve(Map.of(), Map.of("LLMJUDGE_JUDGE_MODEL", "from-env", "LLMJUDGE_CACHE_MODE", "replay"));

        LlmJudgeConfig config = fromEnvironment.with(ConfigOverrides.builder().cacheMode(CacheMode.REFRESH).build());

        assertThat(config.judge().model()).isEqualTo("from-env");
        assertThat(config.cache().mode()).isEqualTo(CacheMode.REFRESH);
        assertThat(fromEnvironment.cache().mode()).isEqualTo(CacheMode.REPLAY);
    }

    @Test
    void should_treat_a_blank_limit_as_no_limit_and_a_blank_progress_interval_as_off() {
        LlmJudgeConfig config = resolve(Map.of("llmjudge.budget.max-calls", " ", "llmjudge.progress.interval", ""),
                Map.of("LLMJUDGE_BUDGET_MAX_CALLS", "5"));
        assertThat(config.budget().maxCalls()).isEmpty();
        assertThat(config.progressInterval()).isZero();
        assertThatThrownBy(() -> resolve(Map.of("llmjudge.judge.timeout", " "), Map.of()))
                .hasMessageStartingWith("invalid value '' for llmjudge.judge.timeout: expected a duration from 1ms to 576h (24 days), such as 500ms, 30s, 2m or PT30S");
    }
}
