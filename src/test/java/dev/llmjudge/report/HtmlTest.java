package dev.llmjudge.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class HtmlTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "&|&amp;",
        "<|&lt;",
        ">|&gt;",
        "`\"`|&quot;",
        "'|&#39;",
        "a<b>&c|a&lt;b&gt;&amp;c",
        "&amp;|&amp;amp;"})
    void should_escape_every_character_that_can_end_text_or_a_quoted_attribute(String raw, String escaped) {
        assertThat(Html.escape(raw)).isEqualTo(escaped);
    }

    @Test
    void should_leave_other_text_unchanged() {
        String text = "plain text, = / ` \\ javascript: \u00e9\u4e2d\ud83d\ude00\n\ttab";
        assertThat(Html.escape(text)).isSameAs(text);
    }

    @Test
    void should_escape_a_payload_completely() {
        assertThat(Html.escape("\"><img src=x onerror='alert(1)'>"))
                .isEqualTo("&quot;&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;")
                .doesNotContain("<", ">", "\"", "'");
    }

    @Test
    void should_render_null_as_empty() {
        assertThat(Html.escape(null)).isEmpty();
    }
}
