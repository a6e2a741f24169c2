package dev.llmjudge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {
    @Test
    void should_put_text_on_one_line_and_cut_it_with_an_ellipsis() {
        assertThat(Texts.oneLine("  Refunds are possible\n\twithin 30 days.  ", 100)).isEqualTo("Refunds are possible within 30 days.");
        assertThat(Texts.oneLine("Refunds are possible within 30 days.", 10)).isEqualTo("Refunds a…").hasSize(10);
        assertThat(Texts.quoted("Paris", 10)).isEqualTo("\"Paris\"");
        assertThat(Texts.oneLine(null, 10)).isNull();
    }

    @Test
    void should_never_cut_inside_a_character() {
        String emoji = "ab\ud83d\ude00cd";
        String cut = Texts.oneLine(emoji, 4);
        assertThat(cut).isEqualTo("ab…");
        assertThat(cut.chars().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
    }
}
