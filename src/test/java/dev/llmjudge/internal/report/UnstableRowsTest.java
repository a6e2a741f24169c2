package dev.llmjudge.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.judge.EvaluationCase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows of unstable checks in the run's report: written, counted, shown; and a report.json written before they existed. */
class UnstableRowsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EvaluationCase CASE = new EvaluationCase("Capital of France?", "Paris, or maybe Lyon.", "Paris.", null);

    @TempDir
    Path dir;

    private static ReportRow sampled(ReportRow row, boolean unstable, List<Integer> samples) {
        return RowBuilder.from(row).withUnstable(unstable).withSamples(samples).build();
    }

    private static RunReport run() {
        ReportRow unstable = sampled(ReportFixtures.passed("Bot > capital", "answer_similarity", CASE, 5, 4, false, 900, 120, 30), true,
                List.of(5, 2, 5));
        ReportRow stable = sampled(ReportFixtures.passed("Bot > stable capital", "answer_similarity", CASE, 5, 4, false, 900, 120, 30),
                false, List.of(5, 5, 4));
        ReportRow single = ReportFixtures.passed("Bot > one sample", "answer_similarity", CASE, 4, 4, false, 900, 120, 30);
        return RunReports.build(List.of(unstable, stable, single), null, Instant.parse("2025-05-01T10:15:30Z"));
    }

    @Test
    void should_count_unstable_checks_and_say_so_in_the_closing_line_only_when_there_are_some() {
        RunReport report = run();

        assertThat(report.totals().unstable()).isEqualTo(1);
        assertThat(RunReports.consoleLine(report, Path.of("report.html"))).isEqualTo("llm-judge: 3 verdicts (0 cached, 3 judged), 0 below"
                + " threshold, 1 unstable, 0 errors, 450 tokens, cost unknown — report.html");
        RunReport stable = RunReports.build(report.rows().subList(1, 3), null, Instant.EPOCH);
        assertThat(RunReports.consoleLine(stable, Path.of("report.html"))).doesNotContain("unstable");
    }

    @Test
    void should_write_each_rows_unstable_mark_and_sample_scores_and_read_them_back() throws IOException {
        Path file = dir.resolve("report.json");
        JsonReport.write(run(), "run-1", file);

        JsonNode rows = JSON.readTree(file.toFile()).path("rows");
        assertThat(rows.get(0).path("unstable").asBoolean()).isTrue();
        assertThat(rows.get(0).path("samples")).extracting(JsonNode::asInt).containsExactly(5, 2, 5);
        assertThat(rows.get(2).path("unstable").asBoolean(true)).isFalse();
        assertThat(rows.get(2).path("samples")).extracting(JsonNode::asInt).containsExactly(4);
        assertThat(JsonReport.read(file).rows()).extracting(ReportRow::unstable, ReportRow::samples).containsExactly(
                org.assertj.core.groups.Tuple.tuple(true, List.of(5, 2, 5)), org.assertj.core.groups.Tuple.tuple(false, List.of(5, 5, 4)),
                org.assertj.core.groups.Tuple.tuple(false, List.of(4)));
    }

    @Test
    void should_read_a_report_json_written_before_rows_had_samples_as_stable_rows_of_one_sample() throws IOException {
        Path file = ReportFixtures.writtenWithoutRowFields(run(), dir, List.of("unstable", "samples"));

        RunReport read = JsonReport.read(file);

        assertThat(read.rows()).extracting(ReportRow::unstable).containsOnly(false);
        assertThat(read.rows()).extracting(ReportRow::samples).containsExactly(List.of(5), List.of(5), List.of(4));
        assertThat(read.totals().unstable()).isZero();
    }

    @Test
    void should_show_the_samples_and_the_unstable_mark_in_the_html_and_markdown_reports() {
        RunReport report = run();

        String html = HtmlReportWriter.render(report);
        assertThat(html).contains("<dt>Unstable</dt><dd>1</dd>", "<span class=\"sub samples\">median of 5, 2, 5</span>",
                "<span class=\"sub samples\">median of 5, 5, 4</span>");
        assertThat(html.split("unstable: samples on both sides of the threshold", -1)).as("one row marked").hasSize(2);
        assertThat(html).doesNotContain("median of 4<");
        String markdown = MarkdownSummary.render(report, Path.of("report.html"));
        assertThat(markdown).startsWith("## LLM judge: 3 verdicts, 0 below threshold, 1 unstable, 0 errors\n")
                .contains("### Unstable: samples on both sides of the threshold\n\n- **PASSED** answer\\_similarity samples 5, 2, 5,"
                        + " threshold 4 — Bot &gt; capital\n");
    }
}
