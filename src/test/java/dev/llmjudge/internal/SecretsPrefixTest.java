package dev.llmjudge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Known keys where one begins with another: the longer is redacted whole, whichever was registered first. */
class SecretsPrefixTest {
    @Test
    void should_redact_the_whole_of_a_key_that_begins_with_another_known_key() {
        Secrets.register("prefix-key-7f3a");
        Secrets.register("prefix-key-7f3a-and-its-longer-tail");

        assertThat(Secrets.redact("keys: prefix-key-7f3a-and-its-longer-tail and prefix-key-7f3a."))
                .isEqualTo("keys: [REDACTED] and [REDACTED].");
    }
}
