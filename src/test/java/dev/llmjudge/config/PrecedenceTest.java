package dev.llmjudge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The precedence, for keys of each kind: settings in code, then annotation attributes (the
 * second settings given), then parameters, then the environment variable, then the default.
 */
class PrecedenceTest {

    private static final Map<String, Function<LlmJudgeConfig, Object>> VALUES = Map.of(
            "llmjudge.judge.model", c -> c.judge().model(),
            "llmjudge.cache.mode", c -> c.cache().mode().value(),
            "llmjudge.judge.max-concurrency", c -> c.judge().maxConcurrency().map(String::valueOf).orElse("unset"),
            "llmjudge.gate.faithfulness.min-mean", c -> c.gates().forMetric("faithfulness").minMean().map(String::valueOf).orElse("unset"));

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "llmjudge.judge.model,                 code, annotation, parameter, environment, gpt-4.1",
        "llmjudge.cache.mode,                  off,  refresh,    replay,    off,         auto",
        "llmjudge.judge.max-concurrency,       1,    2,          3,         4,           unset",
        "llmjudge.gate.faithfulness.min-mean,  1.0,  2.0,        3.0,       4.0,         unset"})
    void should_take_the_first_source_that_sets_a_key(String key, String code, String annotation, String parameter, String environment,
            String defaultValue) {
        Function<LlmJudgeConfig, Object> value = VALUES.get(key);
        ConfigOverrides inCode = ConfigOverrides.of(Map.of(key, code));
        ConfigOverrides attributes = ConfigOverrides.of(Map.of(key, annotation));
        Map<String, String> parameters = Map.of(key, parameter);
        Map<String, String> variables = Map.of(LlmJudgeConfig.environmentVariableOf(key), environment);

        assertThat(value.apply(LlmJudgeConfig.resolve(ConfigSources.of(parameters, variables), inCode, attributes))).isEqualTo(code);
        assertThat(value.apply(LlmJudgeConfig.resolve(ConfigSources.of(parameters, variables), attributes))).isEqualTo(annotation);
        assertThat(value.apply(LlmJudgeConfig.resolve(ConfigSources.of(parameters, variables)))).isEqualTo(parameter);
        assertThat(value.apply(LlmJudgeConfig.resolve(ConfigSources.of(Map.of(), variables)))).isEqualTo(environment);
        assertThat(value.apply(LlmJudgeConfig.resolve(ConfigSources.none()))).isEqualTo(defaultValue);
        assertThat(value.apply(LlmJudgeConfig.resolve(ConfigSources.of(parameters, variables)).with(inCode))).isEqualTo(code);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"llmjudge.judge.model", "llmjudge.gate.faithfulness.min-mean"})
    void should_read_parameters_it_cannot_list(String key) {
        ConfigSources unlisted = new ConfigSources(k -> Optional.of("3.5").filter(v -> k.equals(key)), Set.of(),
                Map.of(LlmJudgeConfig.environmentVariableOf(key), "1.5"));

        assertThat(VALUES.get(key).apply(LlmJudgeConfig.resolve(unlisted))).isEqualTo("3.5");
    }
}
