package dev.llmjudge.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmjudge.judge.EvaluationCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows of checks scored by probabilities in the run's report: the weighted score and each sample's
 * distribution written to {@code report.json} and read back, the aggregates over the weighted
 * scores, the HTML and Markdown reports; a row scored by the reply is as before.
 */
class WeightedRowsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EvaluationCase CASE = new EvaluationCase("Capital of France?", "Paris, or maybe Lyon.", "Paris.", null);
    private static final ReportRow.Probabilities FOUR_POINT_TWO = new ReportRow.Probabilities(4.2, Map.of(3, 0.1, 4, 0.6, 5, 0.3));
    private static final ReportRow.Probabilities THREE_POINT_NINE_SEVEN = new ReportRow.Probabilities(3.97, Map.of(3, 0.03, 4, 0.97));

    @TempDir
    Path dir;

    private static ReportRow weighted(ReportRow row, double weightedScore, List<ReportRow.Probabilities> probabilities, boolean unstable,
            List<Integer> samples) {
        return RowBuilder.from(row).withUnstable(unstable).withSamples(samples).withWeightedScore(weightedScore).withProbabilities(probabilities)
                .build();
    }

    /** A pass at 4.2, a failure at 3.97 (written 4), a pass of three samples weighted 4.2, 4.5 and 3.8, and a row scored by the reply. */
    private static RunReport run() {
        ReportRow passed = weighted(ReportFixtures.passed("Bot > capital", "answer_similarity", CASE, 4, 4, false, 900, 120, 30), 4.2,
                List.of(FOUR_POINT_TWO), false, List.of(4));
        ReportRow failed = weighted(ReportFixtures.failed("Bot > nearly", "answer_similarity", CASE, 4, 4, false, 900, 120, 30,
                "Nearly the same."), 3.97, List.of(THREE_POINT_NINE_SEVEN), false, List.of(4));
        ReportRow sampled = weighted(ReportFixtures.passed("Bot > sampled", "answer_similarity", CASE, 4, 4, false, 900, 120, 30), 4.2,
                List.of(FOUR_POINT_TWO, new ReportRow.Probabilities(4.5, Map.of(4, 0.5, 5, 0.5)),
                        new ReportRow.Probabilities(3.8, Map.of(3, 0.2, 4, 0.8))), true, List.of(4, 5, 4));
        ReportRow byReply = ReportFixtures.passed("Bot > by reply", "answer_similarity", CASE, 5, 4, false, 900, 120, 30);
        return RunReports.build(List.of(passed, failed, sampled, byReply), null, Instant.parse("2025-05-01T10:15:30Z"));
    }

    @Test
    void should_aggregate_the_weighted_scores() {
        MetricStats stats = run().metrics().get("answer_similarity");

        assertThat(stats.mean()).as("(4.2 + 3.97 + 4.2 + 5) / 4").isCloseTo(4.3425, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(stats.min()).isEqualTo(3.97);
        assertThat(stats.passRate()).isEqualTo(0.75);
    }

    @Test
    void should_write_the_weighted_score_and_each_samples_distribution_and_read_them_back() throws IOException {
        Path file = dir.resolve("report.json");
        JsonReport.write(run(), "run-1", file);

        JsonNode rows = JSON.readTree(file.toFile()).path("rows");
        assertThat(rows.get(0).path("score").asInt()).isEqualTo(4);
        assertThat(rows.get(0).path("weightedScore").asDouble()).isEqualTo(4.2);
        assertThat(rows.get(0).path("probabilities").get(0).path("weightedScore").asDouble()).isEqualTo(4.2);
        assertThat(rows.get(0).path("probabilities").get(0).path("levels").path("4").asDouble()).isEqualTo(0.6);
        assertThat(rows.get(2).path("probabilities")).extracting(p -> p.path("weightedScore").asDouble()).containsExactly(4.2, 4.5, 3.8);
        assertThat(rows.get(3).path("weightedScore").isNull()).as("scored by the reply").isTrue();
        assertThat(rows.get(3).path("probabilities")).isEmpty();
        RunReport read = JsonReport.read(file);
        assertThat(read.rows()).extracting(ReportRow::weightedScore).containsExactly(4.2, 3.97, 4.2, null);
        assertThat(read.rows().get(2).probabilities()).isEqualTo(run().rows().get(2).probabilities());
        assertThat(read.metrics().get("answer_similarity").mean()).isEqualTo(run().metrics().get("answer_similarity").mean());
    }

    @Test
    void should_read_a_report_json_written_before_rows_had_weighted_scores_as_rows_scored_by_the_reply() throws IOException {
        Path file = ReportFixtures.writtenWithoutRowFields(run(), dir, List.of("weightedScore", "probabilities"));

        RunReport read = JsonReport.read(file);

        assertThat(read.rows()).extracting(ReportRow::weightedScore).containsOnlyNulls();
        assertThat(read.rows()).extracting(ReportRow::probabilities).containsOnly(List.of());
        assertThat(read.rows()).extracting(ReportRow::effectiveScore).containsExactly(4.0, 4.0, 4.0, 5.0);
    }

    @Test
    void should_refuse_a_row_with_a_weighted_score_but_no_score() throws IOException {
        Path file = dir.resolve("report.json");
        JsonReport.write(run(), "run-1", file);
        JsonNode document = JSON.readTree(file.toFile());
        ((ObjectNode) document.path("rows").get(1)).putNull("score").put("outcome", "ERROR");
        Files.writeString(file, JSON.writeValueAsString(document));

        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> JsonReport.read(file))).isInstanceOf(IOException.class)
                .hasMessage(file + ": row 2 is malformed: it needs a metric, an outcome of PASSED, FAILED, ERROR or SKIPPED, and a score (and"
                        + " any weightedScore) exactly when it PASSED or FAILED");
    }

    @Test
    void should_show_the_weighted_score_what_the_judge_wrote_and_the_distribution_in_the_html_report() {
        String html = HtmlReportWriter.render(run());

        assertThat(html).contains("data-score=\"4.2\"", "data-score=\"3.97\"", "data-score=\"5\"",
                "<td class=\"num score\">4.20/5<span class=\"sub probabilities\">wrote 4; p 3: 0.10, 4: 0.60, 5: 0.30</span>",
                "<td class=\"num score\">3.97/5<span class=\"sub probabilities\">wrote 4; p 3: 0.03, 4: 0.97</span>",
                "<span class=\"sub samples\">median of 4.20, 4.50, 3.80</span><span class=\"sub probabilities\">wrote 4; p sample 1: 3: 0.10,"
                        + " 4: 0.60, 5: 0.30; sample 2: 4: 0.50, 5: 0.50; sample 3: 3: 0.20, 4: 0.80</span>",
                "<td class=\"num score\">5/5</td>");
    }

    @Test
    void should_list_a_failure_by_its_weighted_score_and_unstable_samples_by_theirs_in_the_markdown_summary() {
        String markdown = MarkdownSummary.render(run(), Path.of("report.html"));

        assertThat(markdown).contains("- **FAILED** answer\\_similarity 3.97 < 4 — Bot &gt; nearly: Nearly the same.\n",
                "- **PASSED** answer\\_similarity samples 4.20, 4.50, 3.80, threshold 4 — Bot &gt; sampled\n",
                "| answer\\_similarity | 4 | 3 | 1 | 0 | 4.34 |");
    }
}
