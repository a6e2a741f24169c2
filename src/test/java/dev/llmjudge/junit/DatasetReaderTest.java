package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.internal.Secrets;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class DatasetReaderTest {
    private static final List<String> DEFAULT = List.of("question", "ground_truth", "answer");

    /** The rows read, asserting that none is bad. */
    private static List<DatasetRow> rows(List<DatasetReader.Entry> entries) {
        assertThat(entries).noneMatch(DatasetReader.Entry::isBad);
        return entries.stream().map(DatasetReader.Entry::row).toList();
    }

    /** The error of the one bad row among the entries. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertThatTheBadRow(List<DatasetReader.Entry> entries) {
        List<DatasetReader.Entry> bad = entries.stream().filter(DatasetReader.Entry::isBad).toList();
        assertThat(bad).as("bad rows").hasSize(1);
        return assertThat(bad.get(0).error());
    }

    @Test
    void should_read_jsonl_with_bom_crlf_blank_lines_and_mlflow_names() {
        String text = "{\"id\": 7, \"inputs\": \"What is MLflow?\", \"ground_truth\": \"A platform.\", \"predictions\": \"An ML platform.\"}\r\n"
                + "\r\n"
                + "{\"question\": \"Q2\", \"ground_truth\": \"T2\", \"answer\": \"A2\", \"context\": \"C2\", \"extra\": {\"ignored\": [1]}}\r\n";

        List<DatasetRow> rows = rows(DatasetReader.readJsonl("d.jsonl", text, DEFAULT));

        assertThat(rows).containsExactly(new DatasetRow("7", "What is MLflow?", "A platform.", "An ML platform.", null, "d.jsonl", 1),
                new DatasetRow(null, "Q2", "T2", "A2", "C2", "d.jsonl", 3));
    }

    @Test
    void should_name_file_line_and_column_of_bad_json() {
        assertThatTheBadRow(DatasetReader.readJsonl("d.jsonl", "{\"question\": \"Q\", \"ground_truth\": \"T\", \"prediction\": \"P\"}\n"
                + "{\"question\": \"Q\", \"ground_truth\": \"T\" \"prediction\": \"P\"}\n", DEFAULT))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith("d.jsonl:2:39: bad JSON: Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries")
                .satisfies(e -> {
                    DatasetException d = (DatasetException) e;
                    assertThat(d.source()).isEqualTo("d.jsonl");
                    assertThat(d.line()).isEqualTo(2);
                    assertThat(d.column()).isEqualTo(39);
                });
    }

    @Test
    void should_mask_a_known_key_that_a_bad_rows_message_quotes() {
        String key = "azurecanary0f1e2d3c4b5a6978abcdef";
        Secrets.register(key);

        assertThatTheBadRow(DatasetReader.readJsonl("d.jsonl", "{\"question\": " + key + ", \"ground_truth\": \"T\", \"prediction\": \"P\"}",
                DEFAULT)).isInstanceOf(DatasetException.class).hasMessageStartingWith("d.jsonl:1:").hasMessageContaining("[REDACTED]")
                .hasMessageNotContaining(key);
    }

    @Test
    void should_name_a_required_cell_of_only_invisible_spaces_as_blank() {
        assertThatTheBadRow(DatasetReader.readJsonl("d.jsonl", "{\"question\": \"Q\", \"ground_truth\": \"\u200B\u00A0\", \"prediction\": \"P\"}",
                DEFAULT)).hasMessage("d.jsonl:1:35: \"ground_truth\" is blank");
        assertThatTheBadRow(DatasetReader.readCsv("d.csv", "question,ground_truth,prediction\nQ,\u200B,P\n", DEFAULT))
                .hasMessageStartingWith("d.csv:2:3: \"ground_truth\" is blank");
    }

    @Test
    void should_skip_a_csv_line_of_only_spaces_as_an_empty_one() {
        List<DatasetRow> rows = rows(DatasetReader.readCsv("d.csv", "question,ground_truth,answer\nq1,g1,a1\n   \nq2,g2,a2\n \t \n",
                List.of("question", "ground_truth", "answer")));

        assertThat(rows).extracting(DatasetRow::question).containsExactly("q1", "q2");
    }

    @Test
    void should_number_repeated_rows_past_a_key_another_row_has_of_its_own() {
        List<DatasetRow> rows = List.of(new DatasetRow(null, "q", "gt", "a1", null, "d.jsonl", 1),
                new DatasetRow(null, "q", "gt", "a2", null, "d.jsonl", 2), new DatasetRow(null, "q (2)", "gt", "a3", null, "d.jsonl", 3),
                new DatasetRow(null, "q", "gt", "a4", null, "d.jsonl", 4));

        assertThat(JudgeDatasetProvider.rowKeys(rows)).containsExactly("q", "q (3)", "q (2)", "q (4)");
    }

    @Test
    void should_name_a_missing_or_mistyped_field() {
        assertThatTheBadRow(DatasetReader.readJsonl("d.jsonl", "{\"question\": \"Q\", \"prediction\": \"P\"}", DEFAULT))
                .hasMessage("d.jsonl:1:1: missing \"ground_truth\"");
        assertThatTheBadRow(DatasetReader.readJsonl("d.jsonl", "{\"ground_truth\": \"T\", \"prediction\": \"P\"}", DEFAULT))
                .hasMessage("d.jsonl:1:1: missing \"question\" (accepted names: inputs, question)");
        assertThatTheBadRow(DatasetReader.readJsonl("d.jsonl", "{\"question\": 42, \"ground_truth\": \"T\", \"prediction\": \"P\"}", DEFAULT))
                .hasMessage("d.jsonl:1:14: \"question\" must be a string, not a number");
        assertThatTheBadRow(DatasetReader.readJsonl("d.jsonl", "{\"question\": \"Q\", \"ground_truth\": \"  \", \"prediction\": \"P\"}", DEFAULT))
                .hasMessage("d.jsonl:1:35: \"ground_truth\" is blank");
        assertThatTheBadRow(DatasetReader.readJsonl("d.jsonl", "[\"Q\", \"T\", \"P\"]", DEFAULT))
                .hasMessageStartingWith("d.jsonl:1:1: expected a JSON object");
        assertThatTheBadRow(DatasetReader.readJsonl("d.jsonl", "{\"prediction\": \"P\", \"answer\": \"A\"}", List.of("answer")))
                .hasMessage("d.jsonl:1:21: both \"prediction\" and \"answer\" give the answer: keep one");
    }

    @Test
    void should_read_csv_with_bom_crlf_quotes_and_multi_line_cells() {
        String text = "id,question,ground_truth,prediction,notes\r\n"
                + "q1,\"What is 2+2, exactly?\",4,\"He said \"\"four\"\".\",x\r\n"
                + "q2,Two lines?,\"line one\r\nline two\",yes,\r\n";

        List<DatasetRow> rows = rows(DatasetReader.readCsv("d.csv", text, DEFAULT));

        assertThat(rows).containsExactly(new DatasetRow("q1", "What is 2+2, exactly?", "4", "He said \"four\".", null, "d.csv", 2),
                new DatasetRow("q2", "Two lines?", "line one\r\nline two", "yes", null, "d.csv", 3));
    }

    @Test
    void should_name_file_line_and_column_of_an_unterminated_quote() {
        String text = "question,ground_truth,prediction\n"
                + "Q1,T1,P1\n"
                + "Q2,\"T2 never closes,P2\n"
                + "Q3,T3,P3\n";

        assertThatTheBadRow(DatasetReader.readCsv("d.csv", text, DEFAULT))
                .isInstanceOf(DatasetException.class)
                .hasMessage("d.csv:3:4: a quoted value is never closed: end it with \" (and write a \" inside a quoted value as \"\")");
    }

    @Test
    void should_name_a_character_after_a_closing_quote() {
        assertThatTheBadRow(DatasetReader.readCsv("d.csv", "question,ground_truth,prediction\nQ1,\"T1\"x,P1\n", DEFAULT))
                .hasMessage("d.csv:2:8: unexpected character after a closing quote: quote the whole value and write a \" inside it as \"\"");
    }

    @Test
    void should_name_a_missing_column_or_value() {
        assertThatThrownBy(() -> DatasetReader.readCsv("d.csv", "question,prediction\nQ,P\n", DEFAULT))
                .hasMessage("d.csv:1:1: the header has no \"ground_truth\" column; it has question, prediction");
        assertThatTheBadRow(DatasetReader.readCsv("d.csv", "question,ground_truth,prediction\nQ1,T1,P1\nQ2,T2\n", DEFAULT))
                .hasMessage("d.csv:3:6: the row has 2 values but the header has 3: \"prediction\" has no value");
        assertThatTheBadRow(DatasetReader.readCsv("d.csv", "question,ground_truth,prediction\nQ1,,P1\n", DEFAULT))
                .hasMessage("d.csv:2:4: \"ground_truth\" is blank");
        assertThatTheBadRow(DatasetReader.readCsv("d.csv", "question,ground_truth,prediction\nQ1,T1,P1,surplus\n", DEFAULT))
                .hasMessage("d.csv:2:10: the row has 4 values but the header has 3 (quote cells that contain commas)");
    }

    @Test
    void should_read_the_lines_after_a_bad_json_line() {
        String text = "{\"question\": \"Q1\", \"ground_truth\": \"T1\", \"prediction\": \"P1\"}\n"
                + "{\"question\": \"Q2\", \"ground_truth\": \"T2\" \"prediction\": \"P2\"}\n"
                + "{\"question\": \"Q3\", \"ground_truth\": \"T3\", \"prediction\": \"P3\"}\n";

        List<DatasetReader.Entry> entries = DatasetReader.readJsonl("d.jsonl", text, DEFAULT);

        assertThat(entries).extracting(DatasetReader.Entry::row).containsExactly(new DatasetRow(null, "Q1", "T1", "P1", null, "d.jsonl", 1),
                new DatasetRow(null, null, null, null, null, "d.jsonl", 2), new DatasetRow(null, "Q3", "T3", "P3", null, "d.jsonl", 3));
        assertThat(entries).extracting(e -> e.error() == null ? null : e.error().getMessage()).containsExactly(null,
                "d.jsonl:2:41: bad JSON: Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries", null);
    }

    @Test
    void should_read_the_rows_after_a_csv_row_with_a_missing_value_or_a_blank_cell() {
        String text = "question,ground_truth,prediction\n"
                + "Q1,T1,P1\n"
                + "Q2,T2\n"
                + "Q3,,P3\n"
                + "\"Q4\",\"T4\r\nmore\",P4\n";

        List<DatasetReader.Entry> entries = DatasetReader.readCsv("d.csv", text, DEFAULT);

        assertThat(entries).extracting(DatasetReader.Entry::row).containsExactly(new DatasetRow(null, "Q1", "T1", "P1", null, "d.csv", 2),
                new DatasetRow(null, null, null, null, null, "d.csv", 3), new DatasetRow(null, null, null, null, null, "d.csv", 4),
                new DatasetRow(null, "Q4", "T4\r\nmore", "P4", null, "d.csv", 5));
        assertThat(entries).extracting(e -> e.error() == null ? null : e.error().getMessage()).containsExactly(null,
                "d.csv:3:6: the row has 2 values but the header has 3: \"prediction\" has no value", "d.csv:4:4: \"ground_truth\" is blank", null);
    }

    @Test
    void should_end_at_a_broken_csv_quote_and_name_the_lines_left_unread() {
        String afterClosingQuote = "question,ground_truth,prediction\nQ1,T1,P1\nQ2,\"T2\"x,P2\nQ3,T3,P3\n\nQ4,T4,P4\n\n";
        String neverClosed = "question,ground_truth,prediction\nQ1,T1,P1\nQ2,\"T2 never closes,P2\nQ3,T3,P3\n";

        List<DatasetReader.Entry> broken = DatasetReader.readCsv("d.csv", afterClosingQuote, DEFAULT);
        List<DatasetReader.Entry> open = DatasetReader.readCsv("d.csv", neverClosed, DEFAULT);

        assertThat(broken).extracting(DatasetReader.Entry::row).containsExactly(new DatasetRow(null, "Q1", "T1", "P1", null, "d.csv", 2),
                new DatasetRow(null, null, null, null, null, "d.csv", 3));
        assertThat(broken.get(1).error()).hasMessage("d.csv:3:8: unexpected character after a closing quote: quote the whole value and write"
                + " a \" inside it as \"\"; nothing after it can be read, so lines 4 to 6 are not run");
        assertThat(open).extracting(DatasetReader.Entry::row).containsExactly(new DatasetRow(null, "Q1", "T1", "P1", null, "d.csv", 2),
                new DatasetRow(null, null, null, null, null, "d.csv", 3));
        assertThat(open.get(1).error()).hasMessage("d.csv:3:4: a quoted value is never closed: end it with \" (and write a \" inside a"
                + " quoted value as \"\")");
    }

    @Test
    void should_accept_datasets_that_need_other_columns() {
        List<DatasetRow> rows = rows(DatasetReader.readCsv("d.csv", "question,prediction,context\nQ,P,C\n", List.of("question", "answer", "context")));

        assertThat(rows).singleElement().extracting(DatasetRow::context).isEqualTo("C");
    }

    @Test
    void should_name_rows_by_their_question_shortened() {
        DatasetRow row = new DatasetRow(null, "How do I reset my password if I no longer have access to the e-mail address on file?", null,
                "P", null, "d.csv", 2);

        assertThat(row.displayName()).isEqualTo("How do I reset my password if I no longer have access to th…").hasSize(60);
        assertThat(new DatasetRow("q9", null, null, "P", null, "d.csv", 2).displayName()).isEqualTo("q9");
    }

    @Test
    void should_load_from_the_class_path_and_strip_the_byte_order_mark() {
        String text = DatasetReader.load("datasets/mlflow-static.jsonl", getClass().getClassLoader());

        assertThat(text).startsWith("{\"inputs\": \"What is MLflow?\"");
        assertThat(rows(DatasetReader.readJsonl("datasets/mlflow-static.jsonl", text, DEFAULT))).hasSize(2);
    }
}
