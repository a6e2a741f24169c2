package dev.llmjudge.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The rewrites are deterministic and documented: exactly these texts. */
class RewriteTest {

    @Test
    void should_pad_with_five_neutral_sentences_joined_by_spaces() {
        assertThat(Rewrite.neutralPadding().apply("Refunds are possible within 30 days.")).isEqualTo("Thank you for your question. Here is"
                + " what I can tell you. Refunds are possible within 30 days. I hope this answers your question. If anything is unclear,"
                + " feel free to ask again. Thank you for your patience.");
        assertThat(Rewrite.neutralPadding().description()).isEqualTo("padded with filler (2 sentences before, 3 after)");
    }

    @Test
    void should_pad_with_sentences_of_ones_own() {
        Rewrite padding = Rewrite.padding(List.of("Good question!"), List.of());

        assertThat(padding.apply("Yes.")).isEqualTo("Good question! Yes.");
        assertThat(padding.description()).isEqualTo("padded with filler (1 sentence before, 0 after)");
    }

    @Test
    void should_reject_padding_without_a_sentence_or_with_a_blank_one() {
        assertThatThrownBy(() -> Rewrite.padding(List.of(), List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("padding needs at least one sentence before or after the answer, e.g."
                        + " Rewrite.padding(List.of(\"Thank you for your question.\"), List.of())");
        assertThatThrownBy(() -> Rewrite.padding(List.of("Hello."), Arrays.asList("Bye.", " "))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("padding sentence 2 after the answer is blank: give whole sentences, e.g. \"Thank you for your question.\"");
        assertThatThrownBy(() -> Rewrite.padding(Arrays.asList((String) null), List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("padding sentence 1 before the answer is null: give whole sentences, e.g. \"Thank you for your question.\"");
    }

    @Test
    void should_put_each_sentence_and_line_on_a_bullet_of_its_own() {
        assertThat(Rewrite.bullets().apply("Refunds are possible within 30 days. Items must be unused! Any questions?"))
                .isEqualTo("- Refunds are possible within 30 days.\n- Items must be unused!\n- Any questions?");
        assertThat(Rewrite.bullets().apply("  First line.\r\n\r\n2. Second line\n* third")).isEqualTo("- First line.\n- Second line\n- third");
        assertThat(Rewrite.bullets().apply("Monday to Friday, 9am to 5pm.")).isEqualTo("- Monday to Friday, 9am to 5pm.");
    }

    @Test
    void should_double_spaces_and_line_breaks_and_add_blank_lines_around() {
        assertThat(Rewrite.extraWhitespace().apply("Yes, we ship.\nTo Canada.")).isEqualTo("\n\nYes,  we  ship.\n\nTo  Canada.\n\n");
        assertThat(Rewrite.extraWhitespace().description()).isEqualTo("with extra whitespace");
    }

    @Test
    void should_apply_a_rewrite_of_ones_own_and_require_its_description() {
        assertThat(Rewrite.of(" in capitals ", a -> a.toUpperCase(Locale.ROOT)).apply("Yes.")).isEqualTo("YES.");
        assertThat(Rewrite.of("in capitals", a -> a).description()).isEqualTo("in capitals");
        assertThatThrownBy(() -> Rewrite.of(" ", a -> a)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a rewrite needs a description for failure messages, e.g. Rewrite.of(\"in capitals\", ...)");
    }

    @Test
    void should_refuse_a_null_function_or_list_of_sentences_naming_the_argument_and_what_to_pass() {
        assertThatThrownBy(() -> Rewrite.of("in capitals", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rewrite.of(\"in capitals\", null): the function is null: pass the change to make to an answer, e.g."
                        + " a -> a.toUpperCase(Locale.ROOT)");
        assertThatThrownBy(() -> Rewrite.padding(null, List.of("Hope that helps!"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rewrite.padding(null, after): the list of sentences before the answer is null: pass the sentences, or List.of()"
                        + " for none");
        assertThatThrownBy(() -> Rewrite.padding(List.of("Great question!"), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Rewrite.padding(before, null): the list of sentences after the answer is null: pass the sentences, or List.of()"
                        + " for none");
    }
}
