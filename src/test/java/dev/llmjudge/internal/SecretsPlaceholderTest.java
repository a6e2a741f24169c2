package dev.llmjudge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A key too short to be any provider's is a local server's placeholder: the word it spells stays in every text. */
class SecretsPlaceholderTest {
    @Test
    void should_leave_a_placeholder_key_shorter_than_eight_characters_in_the_text() {
        Secrets.register("lokey7");

        assertThat(Secrets.redact("The lokey7 server answered none of the questions."))
                .isEqualTo("The lokey7 server answered none of the questions.");
    }

    @Test
    void should_redact_a_key_of_eight_characters() {
        Secrets.register("k8-3f9a1");

        assertThat(Secrets.redact("key k8-3f9a1 in an answer")).isEqualTo("key [REDACTED] in an answer");
    }
}
