package dev.llmjudge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An admin key the SDK reads (-Dopenai.adminKey, OPENAI_ADMIN_KEY) is a known key, masked like an API key. */
class SecretsAdminKeyTest {
    private String before;

    @BeforeEach
    void remember() {
        before = System.getProperty("openai.adminKey");
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty("openai.adminKey");
        } else {
            System.setProperty("openai.adminKey", before);
        }
    }

    @Test
    void should_redact_the_admin_key_of_the_system_property() {
        System.setProperty("openai.adminKey", "sk-admin-5b1f0c9e77");

        assertThat(Secrets.redact("the key sk-admin-5b1f0c9e77 was refused")).isEqualTo("the key [REDACTED] was refused");
    }

    @Test
    void should_leave_an_admin_key_shorter_than_eight_characters_in_the_text_as_a_placeholder() {
        System.setProperty("openai.adminKey", "admin7");

        assertThat(Secrets.redact("admin7 answered")).isEqualTo("admin7 answered");
    }
}
