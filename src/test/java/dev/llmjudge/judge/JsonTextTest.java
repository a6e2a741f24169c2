package dev.llmjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmjudge.metric.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** JsonText writes strings exactly as Jackson does (cache keys depend on it) and reads what VerdictStore writes. */
class JsonTextTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    private static String quoted(String value) {
        StringBuilder out = new StringBuilder();
        JsonText.quote(out, value);
        return out.toString();
    }

    @Test
    void should_quote_every_char_as_jackson_does() throws Exception {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            String s = "a" + c + "b";
            assertThat(quoted(s)).as("char %04x", (int) c).isEqualTo(JACKSON.writeValueAsString(s));
        }
        assertThat(quoted(null)).isEqualTo("null");
    }

    @Test
    void should_render_the_case_data_block_as_jackson_pretty_printed_it() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            String answer = randomText(random);
            String truth = randomText(random);
            String user = PromptRenderer.render(Metrics.answerSimilarity(), EvaluationCase.ofAnswer(answer).withGroundTruth(truth)).user();

            ObjectNode data = JACKSON.createObjectNode().put("answer", answer).put("ground_truth", truth);
            String json = JACKSON.writerWithDefaultPrettyPrinter().writeValueAsString(data).replace("<", "\\u003c").replace(">", "\\u003e")
                    .replace("\r\n", "\n");
            assertThat(user).isEqualTo("Grade this case on the metric answer_similarity.\n" + PromptRenderer.DATA_OPEN + "\n" + json + "\n"
                    + PromptRenderer.DATA_CLOSE);
        }
    }

    private static String randomText(Random random) {
        String alphabet = "abc XYZ 019 \"\\/<>&\n\r\t\b\f\u0000\u001f\u007f\u00e9\u2028\ud83d\ude00{}[]:,";
        StringBuilder s = new StringBuilder();
        int length = 1 + random.nextInt(40);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    @Test
    void should_read_objects_arrays_and_scalars() {
        Object parsed = JsonText.parse("\uFEFF {\"s\": \"a\\\"b\\\\c\\/d\\n\\u00e9\\uD83D\\uDE00\", \"i\": -12, \"l\": 12345678901,"
                + " \"d\": 0.5e1, \"t\": true, \"f\": false, \"n\": null, \"a\": [1, [], {}], \"s\": \"last wins\"} trailing");

        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("s", "last wins");
        expected.put("i", -12);
        expected.put("l", 12345678901L);
        expected.put("d", 5.0);
        expected.put("t", true);
        expected.put("f", false);
        expected.put("n", null);
        List<Object> array = new ArrayList<>(List.of(1, List.of(), Map.of()));
        expected.put("a", array);
        assertThat(parsed).isEqualTo(expected);
        assertThat(JsonText.parse("\"a\\\"b\\\\c\\/d\\n\\u00e9\\uD83D\\uDE00\"")).isEqualTo("a\"b\\c/d\n\u00e9\ud83d\ude00");
    }

    @Test
    void should_leave_out_skipped_top_level_members_but_still_check_them() {
        assertThat(JsonText.parse("{\"keep\": {\"case\": 1}, \"case\": {\"answer\": \"a\\\"b\", \"n\": [1, 2.5, null]}, \"x\": 2}",
                java.util.Set.of("case"))).isEqualTo(Map.of("keep", Map.of("case", 1), "x", 2));
        assertThatThrownBy(() -> JsonText.parse("{\"case\": {\"answer\": \"a\\qb\"}}", java.util.Set.of("case")))
                .hasMessageStartingWith("invalid escape '\\q'");
    }

    @Test
    void should_name_line_and_column_of_malformed_json() {
        assertThatThrownBy(() -> JsonText.parse("{\n  \"score\": 4,\n  \"sco")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated string at line 3, column 7");
        assertThatThrownBy(() -> JsonText.parse("{\"a\" 1}")).hasMessage("expected ':' but found '1' at line 1, column 6");
        assertThatThrownBy(() -> JsonText.parse("{\"a\": 01}")).hasMessage("invalid number at line 1, column 9");
        assertThatThrownBy(() -> JsonText.parse("")).hasMessage("unexpected end of input at line 1, column 1");
        assertThatThrownBy(() -> JsonText.parse("not json")).hasMessage("unexpected character 'n' at line 1, column 1");
        assertThatThrownBy(() -> JsonText.parse("[" .repeat(100))).hasMessageStartingWith("nesting deeper than 64");
        assertThatThrownBy(() -> JsonText.parse("{\"a\": \"x\ny\"}")).hasMessageStartingWith("unescaped control character in a string");
    }
}
