package dev.llmjudge.internal.report;

import static dev.llmjudge.internal.report.ReportFixtures.ATTRIBUTE_PAYLOAD;
import static dev.llmjudge.internal.report.ReportFixtures.SCRIPT_PAYLOAD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.calibration.Calibration;
import dev.llmjudge.calibration.JudgedCase;
import dev.llmjudge.calibration.LabelledCase;
import dev.llmjudge.internal.check.CalibrationOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calibration section of report.json, report.html and summary.md. */
class CalibrationReportTest {
    private static final Metric SIMILARITY = Metrics.answerSimilarity();
    private static final Instant AT = Instant.parse("2025-05-01T10:16:00Z");
    private static final CheckRecorder.TestIdentity TEST = new CheckRecorder.TestIdentity(
            "[engine:junit-jupiter]/[class:com.example.JudgeTest]/[method:agreesWithPeople()]", "JudgeTest > agreesWithPeople()",
            "class:com.example.JudgeTest/method:agreesWithPeople()");

    @TempDir
    Path dir;

    private static JudgedCase row(int line, int judge, boolean cached, String answer, String justification, Integer... labels) {
        return row(line, judge, cached, new TokenUsage(100, 20), answer, justification, labels);
    }

    private static JudgedCase row(int line, int judge, boolean cached, TokenUsage usage, String answer, String justification,
            Integer... labels) {
        LabelledCase labelled = new LabelledCase("datasets/golden.jsonl", line, "g" + line, EvaluationCase.ofAnswer(answer).withGroundTruth("T"),
                List.of(labels));
        return new JudgedCase(labelled, new Verdict(SIMILARITY.name(), SIMILARITY.version(), judge, 1, 5, justification, "judge-test-model",
                Map.of(), null, cached, null, Duration.ofMillis(20), usage));
    }

    /** Human 5 4 2 (medians), judge 5 4 5: the third row is three levels off. */
    private static Calibration calibration() {
        return Calibration.of(SIMILARITY, List.of(row(1, 5, true, "Same.", "Same meaning.", 5, 5), row(2, 4, false, "Close.", "Close.", 4, 5),
                row(3, 5, false, SCRIPT_PAYLOAD, "Fine " + ATTRIBUTE_PAYLOAD, 2)));
    }

    private static CalibrationEntry failedEntry() {
        Calibration c = calibration();
        return CalibrationEntry.of(CalibrationOutcome.judged("id-1", TEST, "golden set", "datasets/golden.jsonl", c, List.of(
                new CalibrationOutcome.Bound("exact agreement", 0.5, c.exactAgreement(), true),
                new CalibrationOutcome.Bound("weighted kappa", 0.6, c.weightedKappa().value(), false))));
    }

    private static CalibrationEntry errorEntry() {
        return CalibrationEntry.of(CalibrationOutcome.unjudged("id-2", TEST, null, "datasets/other.jsonl", SIMILARITY,
                CalibrationOutcome.Status.ERROR, "the judge gave no verdict on 1 of 3 rows of datasets/other.jsonl " + ReportFixtures.ERROR_PAYLOAD));
    }

    private static RunReport report(List<CalibrationEntry> calibrations) {
        return RunReports.build(List.of(), calibrations, null, AT);
    }

    @Test
    void should_make_an_entry_with_the_figures_the_matrix_the_bounds_and_the_worst_rows() {
        CalibrationEntry e = failedEntry();

        assertThat(e.outcome()).isEqualTo("FAILED");
        assertThat(e.testName()).isEqualTo("JudgeTest > agreesWithPeople()");
        assertThat(e.rows()).isEqualTo(3);
        assertThat(e.cached()).isEqualTo(1);
        assertThat(e.judged()).isEqualTo(2);
        assertThat(e.tokens()).as("only the rows judged in this run").isEqualTo(240);
        assertThat(e.figures().exactMatches()).isEqualTo(2);
        assertThat(e.matrix().levels()).containsExactly(1, 2, 3, 4, 5);
        assertThat(e.matrix().counts().get(1)).as("human 2").containsExactly(0, 0, 0, 0, 1);
        assertThat(e.labellers().labellers()).isEqualTo(2);
        assertThat(e.disagreements()).singleElement().satisfies(d -> {
            assertThat(d.row()).isEqualTo("datasets/golden.jsonl:3");
            assertThat(d.humanScore()).isEqualTo(2);
            assertThat(d.judgeScore()).isEqualTo(5);
            assertThat(d.answer()).isEqualTo(SCRIPT_PAYLOAD);
        });
    }

    @Test
    void should_say_the_usage_was_not_reported_for_verdicts_judged_without_usage_instead_of_counting_them_as_0_tokens()
            throws IOException {
        Calibration c = Calibration.of(SIMILARITY, List.of(row(1, 5, false, "Same.", "Same meaning.", 5),
                row(2, 4, false, TokenUsage.NOT_REPORTED, "Close.", "Close.", 4),
                row(3, 2, false, TokenUsage.NOT_REPORTED, "Off.", "Off.", 2)));
        CalibrationEntry e = CalibrationEntry.of(CalibrationOutcome.judged("id-3", TEST, null, "datasets/golden.jsonl", c, List.of()));
        RunReport report = report(List.of(e));
        Path file = dir.resolve("report.json");

        JsonReport.write(report, "run-1", file);

        assertThat(HtmlReportWriter.render(report)).contains("3 judged now, 120 tokens (" + RunReports.NOT_REPORTED + " for 2 replies)");
        assertThat(JsonReport.toJson(report, "run-1")).contains("\"tokens\" : 120,", "\"unreportedReplies\" : 2");
        assertThat(JsonReport.read(file).calibrations()).isEqualTo(report.calibrations());
    }

    @Test
    void should_write_the_calibrations_to_report_json_and_read_them_back() throws IOException {
        RunReport report = report(List.of(failedEntry(), errorEntry()));
        Path file = dir.resolve("report.json");

        JsonReport.write(report, "run-1", file);
        RunReport read = JsonReport.read(file);

        assertThat(read.calibrations()).isEqualTo(report.calibrations());
        assertThat(JsonReport.toJson(report, "run-1")).contains("\"calibrations\" : [ {", "\"outcome\" : \"FAILED\"",
                "\"matrix\" : {", "\"weightedKappa\" : ", "\"figure\" : \"weighted kappa\"", "\"met\" : false");
    }

    @Test
    void should_write_an_empty_list_and_no_section_when_nothing_was_calibrated() {
        RunReport report = report(List.of());

        assertThat(JsonReport.toJson(report, "run-1")).contains("\"calibrations\" : [ ]");
        assertThat(HtmlReportWriter.render(report)).doesNotContain("Calibration against human labels");
        assertThat(MarkdownSummary.render(report, Path.of("report.html"))).doesNotContain("Calibration");
    }

    @Test
    void should_show_each_calibration_in_the_html_report_with_its_matrix_escaped() {
        String html = HtmlReportWriter.render(report(List.of(failedEntry(), errorEntry())));

        assertThat(html).contains("<section id=\"calibrations\">\n<h2>Calibration against human labels</h2>",
                "<div class=\"calibration o-FAILED\">\n<h3><span class=\"badge\">\u2717 failed</span> answer_similarity (v1) on datasets/golden.jsonl</h3>",
                "JudgeTest &gt; agreesWithPeople() \u00b7 golden set \u00b7 3 rows, levels 1 to 5 \u00b7 1 recorded, 2 judged now, 240 tokens",
                "<td class=\"metric\">weighted kappa</td>", "<span class=\"unmet\">\u2717 \u2265\u00a00.60</span>",
                "<span class=\"met\">\u2713 \u2265\u00a00.50</span>",
                "<tr><th class=\"num\">2</th><td class=\"num\">\u00b7</td><td class=\"num diagonal\">\u00b7</td><td class=\"num\">\u00b7</td>"
                        + "<td class=\"num\">\u00b7</td><td class=\"num miss\">1</td></tr>",
                "<td class=\"num diagonal\">1</td>", "<h4>Worst disagreements (1 of 1)</h4>",
                "<div class=\"calibration o-ERROR\">", "the judge gave no verdict on 1 of 3 rows of datasets/other.jsonl &lt;img");
        assertThat(html).doesNotContain(SCRIPT_PAYLOAD, ATTRIBUTE_PAYLOAD, "<img");
        assertThat(html.split("<script", -1)).as("only the page's own script").hasSize(2);
    }

    @Test
    void should_summarise_each_calibration_in_markdown_with_its_matrix() {
        String md = MarkdownSummary.render(report(List.of(failedEntry(), errorEntry())), Path.of("target/llm-judge/report.html"));

        assertThat(md).contains("### Calibration against human labels\n\n"
                + "- **FAILED** answer\\_similarity on datasets/golden.jsonl — JudgeTest &gt; agreesWithPeople(): 3 rows; exact agreement"
                + " 0.67 (✓ ≥ 0.50), within one level 0.67, weighted kappa " + String.format(java.util.Locale.ROOT, "%.2f",
                        calibration().weightedKappa().value()) + " (✗ ≥ 0.60), Spearman's rho ")
                .contains("| human \\\\ judge | 1 | 2 | 3 | 4 | 5 |\n|---:|---:|---:|---:|---:|---:|\n| **1** | · | · | · | · | · |\n"
                        + "| **2** | · | · | · | · | 1 |\n")
                .contains("- **ERROR** answer\\_similarity on datasets/other.jsonl — JudgeTest &gt; agreesWithPeople(): the judge gave no"
                        + " verdict on 1 of 3 rows of datasets/other.jsonl &lt;img");
        assertThat(md.indexOf("### Calibration")).isLessThan(md.indexOf("Full report:"));
    }
}
