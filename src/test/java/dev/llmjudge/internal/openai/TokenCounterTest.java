package dev.llmjudge.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenCounterTest {

    @Test
    void counts_with_the_models_own_encoding() {
        assertThat(TokenCounter.forModel("gpt-4o").encodingName()).isEqualTo("o200k_base");
        assertThat(TokenCounter.forModel("gpt-4").encodingName()).isEqualTo("cl100k_base");
        assertThat(TokenCounter.forModel("gpt-4o").count("Hello, world!")).isEqualTo(4);
    }

    @Test
    void unknown_and_prefixed_models_are_counted_with_o200k_base() {
        assertThat(TokenCounter.forModel("llama3.1:8b").encodingName()).isEqualTo("o200k_base");
        assertThat(TokenCounter.forModel("judge-test-model").encodingName()).isEqualTo("o200k_base");
        assertThat(TokenCounter.forModel("openai/gpt-4").encodingName()).isEqualTo("cl100k_base");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4.1-2025-04-14", "gpt-4o", "gpt-4o-mini",
        "gpt-4o-2024-08-06", "o1", "o1-mini", "o1-preview", "o3", "o3-mini", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano"})
    void gpt_4_1_gpt_4o_o_series_and_gpt_5_are_counted_with_o200k_base(String model) {
        assertThat(TokenCounter.forModel(model).encodingName()).isEqualTo("o200k_base");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4", "gpt-4-turbo", "gpt-4-turbo-2024-04-09", "gpt-4-0613", "gpt-4-1106-preview", "gpt-4-32k",
        "gpt-4-32k-0613", "gpt-3.5-turbo", "gpt-3.5-turbo-0125", "gpt-3.5-turbo-16k", "gpt-35-turbo"})
    void gpt_4_and_gpt_3_5_are_counted_with_cl100k_base(String model) {
        assertThat(TokenCounter.forModel(model).encodingName()).isEqualTo("cl100k_base");
    }

    @ParameterizedTest
    @CsvSource({"openai/gpt-4.1, o200k_base", "GPT-4.1, o200k_base", "Azure/GPT-4O-MINI, o200k_base", "openai/GPT-4-Turbo, cl100k_base",
        "GPT-3.5-TURBO, cl100k_base"})
    void prefixed_and_upper_case_names_are_counted_as_the_model_they_name(String model, String encoding) {
        assertThat(TokenCounter.forModel(model).encodingName()).isEqualTo(encoding);
    }

    @Test
    void chat_messages_add_the_format_overhead() {
        TokenCounter counter = TokenCounter.forModel("gpt-4o");
        assertThat(counter.count(List.of("Hello, world!", "Hi"))).isEqualTo(4 + 1 + 2 * TokenCounter.PER_MESSAGE_OVERHEAD);
    }

    @Test
    void special_token_markers_in_input_are_plain_text() {
        assertThat(TokenCounter.forModel("gpt-4o").count("<|endoftext|>")).isGreaterThan(1);
    }

    @Test
    void upper_bound_is_never_below_the_count() {
        List<String> texts = List.of("plain ascii text", "مرحبا بالعالم 👋🏽 שלום", "\u0000\u0001\u00ff\ufffd", "x".repeat(5_000));
        TokenCounter counter = TokenCounter.forModel("gpt-4o");
        for (String text : texts) {
            assertThat(TokenCounter.upperBound(List.of(text))).isGreaterThanOrEqualTo(counter.count(List.of(text)));
        }
    }
}
