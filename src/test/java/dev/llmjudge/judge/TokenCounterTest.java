package dev.llmjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

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
