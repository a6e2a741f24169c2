package dev.llmjudge.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Figures written one way in every file, never reading as meeting a bound they miss ({@link Figures}). */
class ReportFiguresTest {

    static ReportRow row(String name, String outcome, int score, int threshold) {
        return probe(name, outcome, score, threshold).build();
    }

    /** A cached check of {@code ProbeT.name()} scored {@code score} of 1 to 5, whose answer names it. */
    private static RowBuilder probe(String name, String outcome, int score, int threshold) {
        return RowBuilder.row().withTestId("[engine:junit-jupiter]/[class:com.example.ProbeT]/[method:" + name + "()]")
                .withTestName("ProbeT > " + name).withCaseKey(name).withOutcome(outcome).withMetricVersion("1").withScore(score)
                .withThreshold(threshold).withJustification("ok").withQuestion("q").withAnswer("a " + name).withGroundTruth("gt").withCached(true)
                .withPromptTokens(1L).withCompletionTokens(1L).withAt("2025-01-01T00:00:00Z");
    }

    /** A failed mean gate must not show a value that meets its bound: "3.50 ≥ 3.5 ✗ failed". */
    @Test
    void should_never_show_a_failed_mean_gates_value_as_meeting_its_bound() {
        GateResult g = GateResult.of(GateResult.CLASS, "ProbeT", null, "answer_similarity", "mean", 3.4996, GateResult.Relation.AT_LEAST, 3.5,
                false, "m");
        assertThat(g.passed()).isFalse();
        assertThat(g.valueText() + " " + g.boundText()).isEqualTo("3.49 \u2265 3.5");
    }

    /** Same for a pass-rate gate: 89.996% shown as 90% against ≥ 90%. */
    @Test
    void should_never_show_a_failed_pass_rate_gates_value_as_meeting_its_bound() {
        GateResult g = GateResult.of(GateResult.CLASS, "ProbeT", null, "answer_similarity", GateResult.PASS_RATE, 0.89996,
                GateResult.Relation.AT_LEAST, 0.9, true, "m");
        assertThat(g.passed()).isFalse();
        assertThat(g.valueText() + " " + g.boundText()).isEqualTo("89.9% \u2265 90%");
    }

    /** summary.md shows a pass rate of 100% while one check of 250 failed. */
    @Test
    void should_never_show_a_pass_rate_of_100_percent_in_the_summary_with_a_failure() {
        List<ReportRow> rows = new ArrayList<>();
        for (int i = 0; i < 249; i++) {
            rows.add(row("p" + i, ReportRow.PASSED, 5, 4));
        }
        rows.add(row("f", ReportRow.FAILED, 2, 4));
        RunReport report = RunReports.builder(rows).build();
        String md = MarkdownSummary.render(report, Path.of("report.html"));
        String metricLine = md.lines().filter(l -> l.startsWith("| answer") ).findFirst().orElseThrow();
        assertThat(metricLine).contains("| 99.6% |").doesNotContain("| 100% |");
    }

    /** report.html shows 100.0% pass rate with one failure of 4000. */
    @Test
    void should_never_show_a_pass_rate_of_100_percent_on_the_page_with_a_failure() {
        List<ReportRow> rows = new ArrayList<>();
        for (int i = 0; i < 3999; i++) {
            rows.add(row("p" + i, ReportRow.PASSED, 5, 4));
        }
        rows.add(row("f", ReportRow.FAILED, 2, 4));
        String html = HtmlReportWriter.render(RunReports.builder(rows).build());
        assertThat(html).contains(">99.9%<").doesNotContain(">100%<");
    }

    /** summary.md and report.html show the same pass rate differently rounded: 7/8 is 88% vs 87.5%. */
    @Test
    void should_write_a_pass_rate_the_same_in_the_summary_and_on_the_page() {
        List<ReportRow> rows = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            rows.add(row("p" + i, ReportRow.PASSED, 5, 4));
        }
        rows.add(row("f", ReportRow.FAILED, 2, 4));
        RunReport report = RunReports.builder(rows).build();
        String md = MarkdownSummary.render(report, Path.of("report.html"));
        String html = HtmlReportWriter.render(report);
        assertThat(html).contains(">87.5%<");
        assertThat(md).contains("| 87.5% |");
    }

    /**
     * A check failed only for being unstable (on-unstable=fail; median 4 meets threshold 4) is listed in summary.md under
     * "Below threshold" as "4 < 4", while the title says 0 below threshold.
     */
    @Test
    void should_not_list_a_check_failed_for_being_unstable_as_below_its_threshold() {
        ReportRow unstable = probe("u", ReportRow.FAILED, 4, 4).withUnstable(true).withSamples(List.of(5, 2, 4)).withAnswer("a").build();
        RunReport report = RunReports.builder(List.of(unstable)).build();
        assertThat(report.totals().belowThreshold()).isZero();
        String md = MarkdownSummary.render(report, Path.of("report.html"));
        assertThat(md).startsWith("## LLM judge: 1 verdict, 0 below threshold");
        assertThat(md).contains("- **FAILED** answer\\_similarity 4 \u2265 4, unstable (samples 5, 2, 4)").doesNotContain("4 < 4");
    }

    /**
     * One check scored by probabilities, weighted 3.996, threshold 4, failed: its row shows 3.99/5 (floored), while the
     * metrics table shows its mean, median, min and max as 4.00 and summary.md its mean as 4.00.
     */
    @Test
    void should_cut_aggregates_as_the_rows_score() {
        ReportRow weighted = probe("w", ReportRow.FAILED, 4, 4).withSamples(List.of(4)).withWeightedScore(3.996)
                .withProbabilities(List.of(new ReportRow.Probabilities(3.996, java.util.Map.of(3, 0.004, 4, 0.996)))).withAnswer("a").build();
        RunReport report = RunReports.builder(List.of(weighted)).build();
        String html = HtmlReportWriter.render(report);
        String md = MarkdownSummary.render(report, Path.of("report.html"));
        assertThat(html).contains("3.99/5");
        String metricsTable = html.substring(html.indexOf("id=\"metrics\""), html.indexOf("</table>", html.indexOf("id=\"metrics\"")));
        assertThat(metricsTable).contains(">3.99<").doesNotContain(">4.00<");
        assertThat(md).contains("| 3.99 |").doesNotContain("| 4.00 |");
    }
}
