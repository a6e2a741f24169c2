package dev.llmjudge.runtime;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A runtime built or installed without what it needs is refused saying what to pass. */
class RuntimeArgumentsTest {

    @Test
    void should_refuse_to_build_a_runtime_without_a_configuration_saying_how_to_give_one() {
        assertThatThrownBy(() -> LlmJudgeRuntime.builder().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LlmJudgeRuntime.builder().build(): the configuration is missing: give it with config(...), e.g."
                        + " LlmJudgeRuntime.builder().config(LlmJudgeConfig.fromEnvironment()).build()");
        assertThatThrownBy(() -> LlmJudgeRuntime.builder().config(null).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("LlmJudgeRuntime.builder().build(): the configuration is missing");
    }

    @Test
    void should_refuse_to_install_a_null_runtime_saying_what_to_pass() {
        assertThatThrownBy(() -> LlmJudgeRuntime.use(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LlmJudgeRuntime.use(null): the runtime is null: pass the runtime to install, e.g. one built with"
                        + " LlmJudgeRuntime.builder().config(LlmJudgeConfig.fromEnvironment()).build()");
    }

    @Test
    void should_refuse_a_blank_api_key_saying_what_to_pass_and_take_null_for_the_sdks() {
        assertThatThrownBy(() -> LlmJudgeRuntime.builder().apiKey("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiKey(\"  \"): the key is blank: pass the API key to judge with, or null (or leave apiKey(...) out) to use"
                        + " the SDK's (OPENAI_API_KEY or -Dopenai.apiKey)");
        assertThatCode(() -> LlmJudgeRuntime.builder().apiKey(null)).doesNotThrowAnyException();
    }
}
