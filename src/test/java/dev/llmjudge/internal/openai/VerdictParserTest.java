package dev.llmjudge.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class VerdictParserTest {

    @Test
    void should_parse_a_plain_json_object() throws Exception {
        assertThat(VerdictParser.parse("{\"justification\": \"Good.\", \"score\": 4}", 1, 5))
                .isEqualTo(new VerdictParser.ParsedReply(4, "Good."));
    }

    @Test
    void should_parse_an_object_in_a_code_fence() throws Exception {
        assertThat(VerdictParser.parse("Sure.\n```json\n{\"score\": 2, \"justification\": \"Off topic.\"}\n```", 1, 5))
                .isEqualTo(new VerdictParser.ParsedReply(2, "Off topic."));
    }

    @Test
    void should_parse_an_object_in_prose_with_braces_in_strings() throws Exception {
        assertThat(VerdictParser.parse("My answer: {\"justification\": \"Uses } and { freely.\", \"score\": 3} Thanks.", 1, 5))
                .isEqualTo(new VerdictParser.ParsedReply(3, "Uses } and { freely."));
    }

    @Test
    void should_prefer_the_object_that_has_a_score() throws Exception {
        assertThat(VerdictParser.parse("{\"note\": 1} then {\"justification\": \"x\", \"score\": 5}", 1, 5).score()).isEqualTo(5);
    }

    @Test
    void should_reject_a_reply_that_quotes_a_graded_example_before_its_own_verdict() {
        String reply = "Like the example {\"justification\": \"Same meaning.\", \"score\": 5}, the answer should keep the meaning;"
                + " it does not. My verdict: {\"justification\": \"Misses the capital.\", \"score\": 2}";
        assertThatThrownBy(() -> VerdictParser.parse(reply, 1, 5))
                .isInstanceOf(VerdictParser.InvalidReplyException.class)
                .hasMessage("the judge's reply holds 2 different verdicts (scores 5 and 2): " + VerdictParser.quote(reply));
    }

    @Test
    void should_reject_verdicts_in_two_code_fences_that_differ() {
        String reply = "```json\n{\"justification\": \"Good.\", \"score\": 4}\n```\nOn second thought:\n"
                + "```json\n{\"justification\": \"Vague.\", \"score\": 3}\n```\nor even\n{\"justification\": \"Wrong.\", \"score\": 1}";
        assertThatThrownBy(() -> VerdictParser.parse(reply, 1, 5))
                .hasMessageStartingWith("the judge's reply holds 3 different verdicts (scores 4, 3 and 1): ");
    }

    @Test
    void should_reject_two_verdicts_with_the_same_score_and_different_justifications() {
        String reply = "{\"justification\": \"Good.\", \"score\": 4} {\"justification\": \"Mostly right.\", \"score\": 4}";
        assertThatThrownBy(() -> VerdictParser.parse(reply, 1, 5))
                .hasMessageStartingWith("the judge's reply holds 2 different verdicts (both score 4, with different justifications): ");
    }

    @Test
    void should_reject_a_second_verdict_even_when_its_score_is_outside_the_rubric() {
        String reply = "Scores run to 10: {\"justification\": \"An example.\", \"score\": 10}. Mine: {\"justification\": \"Close.\", \"score\": 4}";
        assertThatThrownBy(() -> VerdictParser.parse(reply, 1, 5))
                .hasMessageStartingWith("the judge's reply holds 2 different verdicts (scores 10 and 4): ");
    }

    @Test
    void should_read_copies_of_one_verdict_as_that_verdict() throws Exception {
        String reply = "{\"justification\": \"Same meaning.\", \"score\": 5}\nAs JSON:\n```json\n"
                + "{\"score\": \"5\", \"justification\": \" Same meaning. \"}\n```";
        assertThat(VerdictParser.parse(reply, 1, 5)).isEqualTo(new VerdictParser.ParsedReply(5, "Same meaning."));
    }

    @Test
    void should_read_an_object_inside_a_verdict_as_part_of_it() throws Exception {
        String reply = "Verdict: {\"justification\": \"Close.\", \"score\": 4, \"example\": {\"justification\": \"x\", \"score\": 1}}";
        assertThat(VerdictParser.parse(reply, 1, 5)).isEqualTo(new VerdictParser.ParsedReply(4, "Close."));
    }

    @Test
    void should_read_a_verdict_nested_in_an_object_without_a_score() throws Exception {
        assertThat(VerdictParser.parse("Result: {\"verdict\": {\"justification\": \"Close.\", \"score\": 4}} done", 1, 5))
                .isEqualTo(new VerdictParser.ParsedReply(4, "Close."));
    }

    @Test
    void should_accept_an_integer_written_as_a_string() throws Exception {
        assertThat(VerdictParser.parse("{\"justification\": \"x\", \"score\": \"4\"}", 1, 5).score()).isEqualTo(4);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"justification\": \"x\", \"score\": 4.5}|the judge's score 4.5 is not an integer from 1 to 5",
        "{\"justification\": \"x\", \"score\": \"four\"}|the judge's score \"four\" is not an integer from 1 to 5",
        "{\"justification\": \"x\", \"score\": 0}|the judge's score 0 is outside the rubric's range 1 to 5",
        "{\"justification\": \"x\", \"score\": 6}|the judge's score 6 is outside the rubric's range 1 to 5",
        "{\"justification\": \"x\"}|the judge's reply has no \"score\": \"{\"justification\": \"x\"}\"",
        "no json here|the judge's reply holds no JSON object: \"no json here\""
    })
    void should_reject_a_reply_without_a_valid_score(String reply, String message) {
        assertThatThrownBy(() -> VerdictParser.parse(reply, 1, 5))
                .isInstanceOf(VerdictParser.InvalidReplyException.class)
                .hasMessage(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void should_reject_empty_content(String reply) {
        assertThatThrownBy(() -> VerdictParser.parse(reply, 1, 5)).hasMessage("the judge replied with empty content");
    }

    @Test
    void should_shorten_a_long_reply_in_the_message() {
        String reply = "x".repeat(1000);
        assertThatThrownBy(() -> VerdictParser.parse(reply, 1, 5))
                .hasMessage("the judge's reply holds no JSON object: \"" + "x".repeat(199) + "…\" (1000 characters)");
    }

    // --- where the score is written, for the token that holds it --------------------------------

    @Test
    void should_find_where_the_digits_of_the_score_begin() {
        String reply = "{\"justification\": \"4 of 5 points match.\", \"score\": 4}";

        assertThat(VerdictParser.scoreOffset(reply, 4)).hasValue(reply.lastIndexOf('4'));
        assertThat(VerdictParser.scoreOffset(reply, 5)).as("the score is 4").isEmpty();
    }

    @Test
    void should_find_the_score_in_a_code_fence_written_as_text_or_after_a_broken_object() {
        String fenced = "Sure.\n```json\n{\"score\": \" 2\", \"justification\": \"Off topic.\"}\n```";
        assertThat(VerdictParser.scoreOffset(fenced, 2)).hasValue(fenced.indexOf('2'));

        String broken = "{\"score\": 3, \"justification\": \"cut {\"justification\": \"Whole.\", \"score\": 3}";
        assertThat(VerdictParser.scoreOffset(broken, 3)).as("the first object is not whole").hasValue(broken.lastIndexOf('3'));
    }

    @Test
    void should_take_the_first_of_repeated_copies_and_not_the_start_of_a_longer_number() {
        String copies = "{\"justification\": \"x\", \"score\": 4} {\"justification\": \"x\", \"score\": 4}";
        assertThat(VerdictParser.scoreOffset(copies, 4)).hasValue(copies.indexOf('4'));

        assertThat(VerdictParser.scoreOffset("{\"score\": 45}", 4)).isEmpty();
    }
}
