package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** The {@code human_score} column of a labelled dataset, read by the dataset reader with its file:line:column errors. */
class LabelledDatasetReaderTest {
    private static final List<String> SIMILARITY = List.of("answer", "ground_truth");
    private static final DatasetReader.Labels ONE_TO_FIVE = new DatasetReader.Labels("answer_similarity", 1, 5);

    private static List<List<Integer>> humanScores(List<DatasetReader.Entry> entries) {
        assertThat(entries).noneMatch(DatasetReader.Entry::isBad);
        return entries.stream().map(DatasetReader.Entry::humanScores).toList();
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertThatTheBadRow(List<DatasetReader.Entry> entries) {
        List<DatasetReader.Entry> bad = entries.stream().filter(DatasetReader.Entry::isBad).toList();
        assertThat(bad).as("bad rows").hasSize(1);
        return assertThat(bad.get(0).error()).isInstanceOf(DatasetException.class);
    }

    private static List<DatasetReader.Entry> jsonl(String text) {
        return DatasetReader.readJsonl("g.jsonl", text, SIMILARITY, ONE_TO_FIVE);
    }

    private static List<DatasetReader.Entry> csv(String text) {
        return DatasetReader.readCsv("g.csv", text, SIMILARITY, ONE_TO_FIVE);
    }

    @Test
    void should_read_a_jsonl_human_score_as_a_number_or_an_array_of_numbers() {
        String text = """
                {"answer": "A1", "ground_truth": "T1", "human_score": 4}
                {"answer": "A2", "ground_truth": "T2", "human_score": [2, 3, 2]}
                {"answer": "A3", "ground_truth": "T3", "human_score": 5.0}
                """;

        assertThat(humanScores(jsonl(text))).containsExactly(List.of(4), List.of(2, 3, 2), List.of(5));
    }

    @Test
    void should_read_a_csv_human_score_cell_with_scores_separated_by_bars() {
        String text = "answer,ground_truth,human_score\nA1,T1,4\nA2,T2,2|3| 2\n\"A3, quoted\",T3,\"5\"\n";

        assertThat(humanScores(csv(text))).containsExactly(List.of(4), List.of(2, 3, 2), List.of(5));
    }

    @Test
    void should_name_the_row_and_column_of_a_human_score_outside_the_rubric() {
        assertThatTheBadRow(jsonl("""
                {"answer": "A", "ground_truth": "T", "human_score": 3}
                {"answer": "A", "ground_truth": "T", "human_score": [4, 7]}
                """))
                .hasMessage("g.jsonl:2:57: human score 7 is outside the rubric of answer_similarity (1 to 5): grade on the metric's levels");
        assertThatTheBadRow(jsonl("{\"answer\": \"A\", \"ground_truth\": \"T\", \"human_score\": 0}"))
                .hasMessage("g.jsonl:1:53: human score 0 is outside the rubric of answer_similarity (1 to 5): grade on the metric's levels");
        assertThatTheBadRow(csv("answer,ground_truth,human_score\nA,T,4|6\n"))
                .hasMessage("g.csv:2:5: human score 6 is outside the rubric of answer_similarity (1 to 5): grade on the metric's levels");
    }

    @Test
    void should_name_a_human_score_that_is_not_a_whole_number() {
        assertThatTheBadRow(jsonl("{\"answer\": \"A\", \"ground_truth\": \"T\", \"human_score\": 4.5}"))
                .hasMessage("g.jsonl:1:53: human score 4.5 is not a whole number: a human score is one of the levels of answer_similarity"
                        + " (1 to 5)");
        assertThatTheBadRow(jsonl("{\"answer\": \"A\", \"ground_truth\": \"T\", \"human_score\": \"4\"}"))
                .hasMessage("g.jsonl:1:53: \"human_score\" must be a whole number or an array of them, such as 4 or [4, 5], not value_string");
        assertThatTheBadRow(jsonl("{\"answer\": \"A\", \"ground_truth\": \"T\", \"human_score\": [4, \"5\"]}"))
                .hasMessage("g.jsonl:1:57: \"human_score\" holds value_string: write each labeller's score as a whole number, such as [4, 5]");
        assertThatTheBadRow(csv("answer,ground_truth,human_score\nA,T,four\n"))
                .hasMessage("g.csv:2:5: human score 'four' is not a number: write a whole score of the rubric of answer_similarity (1 to 5)");
    }

    @Test
    void should_name_a_missing_null_or_empty_human_score() {
        assertThatTheBadRow(jsonl("{\"answer\": \"A\", \"ground_truth\": \"T\"}"))
                .hasMessage("g.jsonl:1:1: missing \"human_score\": grade the row on answer_similarity (1 to 5), e.g. \"human_score\": 4,"
                        + " or [4, 5] for two labellers");
        assertThatTheBadRow(jsonl("{\"answer\": \"A\", \"ground_truth\": \"T\", \"human_score\": null}"))
                .hasMessage("g.jsonl:1:53: \"human_score\" is null: grade the row on answer_similarity (1 to 5), e.g. 4, or [4, 5] for two"
                        + " labellers");
        assertThatTheBadRow(jsonl("{\"answer\": \"A\", \"ground_truth\": \"T\", \"human_score\": []}"))
                .hasMessage("g.jsonl:1:53: \"human_score\" is an empty array: give at least one score");
        assertThatTheBadRow(csv("answer,ground_truth,human_score\nA,T, \n"))
                .hasMessage("g.csv:2:5: \"human_score\" is blank: grade the row on answer_similarity (1 to 5), e.g. 4, or 4|5 for two"
                        + " labellers");
        assertThatTheBadRow(csv("answer,ground_truth,human_score\nA,T,4||5\n"))
                .hasMessage("g.csv:2:5: \"human_score\" '4||5' has an empty score: separate scores with a single |, e.g. 4|5");
    }

    @Test
    void should_refuse_a_csv_header_without_the_human_score_column() {
        assertThatThrownBy(() -> csv("answer,ground_truth,score\nA,T,4\n")).isInstanceOf(DatasetException.class)
                .hasMessage("g.csv:1:1: the header has no \"human_score\" column, which holds the people's scores (several separated by |);"
                        + " it has answer, ground_truth, score");
    }

    @Test
    void should_keep_ignoring_a_human_score_column_when_no_labels_are_asked_for() {
        List<DatasetReader.Entry> entries = DatasetReader.readJsonl("g.jsonl",
                "{\"answer\": \"A\", \"ground_truth\": \"T\", \"question\": \"Q\", \"human_score\": \"not read\"}", List.of("question", "answer"));

        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.isBad()).isFalse();
            assertThat(e.humanScores()).isNull();
        });
    }
}
