package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetReaderTest {
    private static final List<String> DEFAULT = List.of("question", "ground_truth", "prediction");

    @Test
    void should_read_jsonl_with_bom_crlf_blank_lines_and_mlflow_names() {
        String text = "{\"id\": 7, \"inputs\": \"What is MLflow?\", \"ground_truth\": \"A platform.\", \"predictions\": \"An ML platform.\"}\r\n"
                + "\r\n"
                + "{\"question\": \"Q2\", \"ground_truth\": \"T2\", \"answer\": \"A2\", \"context\": \"C2\", \"extra\": {\"ignored\": [1]}}\r\n";

        List<DatasetRow> rows = DatasetReader.readJsonl("d.jsonl", text, DEFAULT);

        assertThat(rows).containsExactly(new DatasetRow("7", "What is MLflow?", "A platform.", "An ML platform.", null, "d.jsonl", 1),
                new DatasetRow(null, "Q2", "T2", "A2", "C2", "d.jsonl", 3));
    }

    @Test
    void should_name_file_line_and_column_of_bad_json() {
        assertThatThrownBy(() -> DatasetReader.readJsonl("d.jsonl", "{\"question\": \"Q\", \"ground_truth\": \"T\", \"prediction\": \"P\"}\n"
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
    void should_name_a_missing_or_mistyped_field() {
        assertThatThrownBy(() -> DatasetReader.readJsonl("d.jsonl", "{\"question\": \"Q\", \"prediction\": \"P\"}", DEFAULT))
                .hasMessage("d.jsonl:1:1: missing \"ground_truth\"");
        assertThatThrownBy(() -> DatasetReader.readJsonl("d.jsonl", "{\"ground_truth\": \"T\", \"prediction\": \"P\"}", DEFAULT))
                .hasMessage("d.jsonl:1:1: missing \"question\" (accepted names: inputs, question)");
        assertThatThrownBy(() -> DatasetReader.readJsonl("d.jsonl", "{\"question\": 42, \"ground_truth\": \"T\", \"prediction\": \"P\"}", DEFAULT))
                .hasMessage("d.jsonl:1:14: \"question\" must be a string, not a number");
        assertThatThrownBy(() -> DatasetReader.readJsonl("d.jsonl", "{\"question\": \"Q\", \"ground_truth\": \"  \", \"prediction\": \"P\"}", DEFAULT))
                .hasMessage("d.jsonl:1:35: \"ground_truth\" is blank");
        assertThatThrownBy(() -> DatasetReader.readJsonl("d.jsonl", "[\"Q\", \"T\", \"P\"]", DEFAULT))
                .hasMessageStartingWith("d.jsonl:1:1: expected a JSON object");
        assertThatThrownBy(() -> DatasetReader.readJsonl("d.jsonl", "{\"prediction\": \"P\", \"answer\": \"A\"}", List.of("prediction")))
                .hasMessage("d.jsonl:1:21: both \"prediction\" and \"answer\" give the prediction: keep one");
    }

    @Test
    void should_read_csv_with_bom_crlf_quotes_and_multi_line_cells() {
        String text = "id,question,ground_truth,prediction,notes\r\n"
                + "q1,\"What is 2+2, exactly?\",4,\"He said \"\"four\"\".\",x\r\n"
                + "q2,Two lines?,\"line one\r\nline two\",yes,\r\n";

        List<DatasetRow> rows = DatasetReader.readCsv("d.csv", text, DEFAULT);

        assertThat(rows).containsExactly(new DatasetRow("q1", "What is 2+2, exactly?", "4", "He said \"four\".", null, "d.csv", 2),
                new DatasetRow("q2", "Two lines?", "line one\r\nline two", "yes", null, "d.csv", 3));
    }

    @Test
    void should_name_file_line_and_column_of_an_unterminated_quote() {
        String text = "question,ground_truth,prediction\n"
                + "Q1,T1,P1\n"
                + "Q2,\"T2 never closes,P2\n"
                + "Q3,T3,P3\n";

        assertThatThrownBy(() -> DatasetReader.readCsv("d.csv", text, DEFAULT))
                .isInstanceOf(DatasetException.class)
                .hasMessage("d.csv:3:4: a quoted value is never closed: end it with \" (and write a \" inside a quoted value as \"\")");
    }

    @Test
    void should_name_a_character_after_a_closing_quote() {
        assertThatThrownBy(() -> DatasetReader.readCsv("d.csv", "question,ground_truth,prediction\nQ1,\"T1\"x,P1\n", DEFAULT))
                .hasMessage("d.csv:2:8: unexpected character after a closing quote: quote the whole value and write a \" inside it as \"\"");
    }

    @Test
    void should_name_a_missing_column_or_value() {
        assertThatThrownBy(() -> DatasetReader.readCsv("d.csv", "question,prediction\nQ,P\n", DEFAULT))
                .hasMessage("d.csv:1:1: the header has no \"ground_truth\" column; it has question, prediction");
        assertThatThrownBy(() -> DatasetReader.readCsv("d.csv", "question,ground_truth,prediction\nQ1,T1,P1\nQ2,T2\n", DEFAULT))
                .hasMessage("d.csv:3:6: the row has 2 values but the header has 3: \"prediction\" has no value");
        assertThatThrownBy(() -> DatasetReader.readCsv("d.csv", "question,ground_truth,prediction\nQ1,,P1\n", DEFAULT))
                .hasMessage("d.csv:2:4: \"ground_truth\" is blank");
        assertThatThrownBy(() -> DatasetReader.readCsv("d.csv", "question,ground_truth,prediction\nQ1,T1,P1,surplus\n", DEFAULT))
                .hasMessage("d.csv:2:10: the row has 4 values but the header has 3 (quote cells that contain commas)");
    }

    @Test
    void should_accept_datasets_that_need_other_columns() {
        List<DatasetRow> rows = DatasetReader.readCsv("d.csv", "question,prediction,context\nQ,P,C\n", List.of("question", "prediction", "context"));

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
        assertThat(DatasetReader.readJsonl("datasets/mlflow-static.jsonl", text, DEFAULT)).hasSize(2);
    }
}
