package dev.llmjudge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings in code: typed values, checked when set. */
class ConfigOverridesTest {

    @Test
    void should_keep_typed_settings_typed() {
        LlmJudgeConfig config = LlmJudgeConfig.defaults().with(ConfigOverrides.builder()
                .model("gpt-4.1-mini")
                .baseUrl("http://127.0.0.1:11434/v1")
                .cacheDirectory(Path.of("verdicts"))
                .cacheMode(CacheMode.REPLAY)
                .baseline(Path.of("main/report.json"))
                .maxScoreDrop(2)
                .build());

        assertThat(config.judge().model()).isEqualTo("gpt-4.1-mini");
        assertThat(config.judge().baseUrl()).contains("http://127.0.0.1:11434/v1");
        assertThat(config.cache()).isEqualTo(new CacheConfig(Path.of("verdicts"), CacheMode.REPLAY, UnusedVerdicts.REPORT));
        assertThat(config.report().baseline()).contains(Path.of("main/report.json"));
        assertThat(config.gates().maxDrop()).contains(2);
    }

    @Test
    void should_read_a_text_setting_into_the_same_typed_value() {
        assertThat(ConfigOverrides.builder().set("llmjudge.cache.mode", "replay").set("llmjudge.gate.max-drop", "2").build())
                .isEqualTo(ConfigOverrides.builder().cacheMode(CacheMode.REPLAY).maxScoreDrop(2).build())
                .isEqualTo(ConfigOverrides.of(Map.of("llmjudge.cache.mode", "REPLAY", "llmjudge.gate.max-drop", " 2")));
    }

    @Test
    void should_leave_the_configured_mode_for_the_default_sentinel() {
        ConfigOverrides sentinel = ConfigOverrides.builder().cacheMode(CacheMode.REFRESH).cacheMode(CacheMode.DEFAULT).build();

        assertThat(sentinel).isEqualTo(ConfigOverrides.none());
        assertThat(LlmJudgeConfig.resolve(ConfigSources.of(Map.of("llmjudge.cache.mode", "replay"), Map.of()), sentinel).cache().mode())
                .isEqualTo(CacheMode.REPLAY);
        assertThat(LlmJudgeConfig.resolve(ConfigSources.none(), sentinel).cache().mode()).isEqualTo(CacheMode.AUTO);
    }

    @Test
    void should_refuse_an_unknown_key_naming_the_nearest_one() {
        assertThatThrownBy(() -> ConfigOverrides.builder().set("llmjudge.judge.modle", "gpt-4.1-mini"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("unknown configuration key 'llmjudge.judge.modle': the keys are llmjudge.judge.model,")
                .hasMessageEndingWith("; did you mean llmjudge.judge.model?");
    }

    @Test
    void should_refuse_what_the_typed_setters_cannot_mean() {
        assertThatThrownBy(() -> ConfigOverrides.builder().model(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model(\" \"): the model is blank: pass the judge model's name, e.g. \"gpt-4.1-mini\"");
        assertThatThrownBy(() -> ConfigOverrides.builder().baseUrl("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl(\"\"): the base URL is blank: pass the judge endpoint, an http or https URL such as"
                        + " \"http://localhost:11434/v1\"");
        assertThatThrownBy(() -> ConfigOverrides.builder().baseUrl("localhost:11434/v1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl must be an http or https URL such as https://api.openai.com/v1 or http://localhost:11434/v1,"
                        + " got 'localhost:11434/v1'");
        assertThatThrownBy(() -> ConfigOverrides.builder().baseUrl("http://judge:hunter2-secret@127.0.0.1:0/v1"))
                .as("the credentials of a refused URL are not quoted").hasMessageEndingWith(", got 'http://[REDACTED]@127.0.0.1:0/v1'")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ConfigOverrides.builder().maxScoreDrop(0)).hasMessage("maxScoreDrop must be at least 1, got 0");
    }

    @Test
    void should_refuse_a_null_setting_naming_the_setter_and_what_to_pass() {
        ConfigOverrides.Builder builder = ConfigOverrides.builder();
        assertThatThrownBy(() -> builder.model(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model(null): the model is null: pass the judge model's name, e.g. \"gpt-4.1-mini\"");
        assertThatThrownBy(() -> builder.baseUrl(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl(null): the base URL is null: pass the judge endpoint, an http or https URL such as"
                        + " \"http://localhost:11434/v1\"");
        assertThatThrownBy(() -> builder.cacheDirectory(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cacheDirectory(null): the directory is null: pass the directory of recorded verdicts, e.g."
                        + " Path.of(\"src/test/llm-judge\")");
        assertThatThrownBy(() -> builder.cacheMode(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cacheMode(null): the mode is null: pass a CacheMode, e.g. CacheMode.REPLAY, or CacheMode.DEFAULT to leave the"
                        + " configured mode");
        assertThatThrownBy(() -> builder.onUnstable(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("onUnstable(null): the value is null: pass an OnUnstable, e.g. OnUnstable.FAIL, or OnUnstable.DEFAULT to leave"
                        + " the configured value");
        assertThatThrownBy(() -> builder.scoreBy(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scoreBy(null): the value is null: pass ScoreBy.REPLY or ScoreBy.PROBABILITIES");
        assertThatThrownBy(() -> builder.baseline(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseline(null): the report is null: pass the report.json of the run to compare with, e.g."
                        + " Path.of(\"baseline/report.json\")");
        assertThatThrownBy(() -> builder.set(null, "replay")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("set(null, value): the key is null: pass a configuration key, e.g. \"llmjudge.judge.timeout\"");
        assertThatThrownBy(() -> builder.set("llmjudge.cache.mode", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("set(\"llmjudge.cache.mode\", null): the value is null: pass the key's value as text, as it would be written in"
                        + " junit-platform.properties");
    }

    @Test
    void should_never_resolve_to_the_default_sentinel() {
        assertThat(CacheMode.parse(" Off ")).isEqualTo(CacheMode.OFF);
        assertThatThrownBy(() -> CacheMode.parse("default")).hasMessage("one of auto, replay, refresh, off, collect");
    }
}
