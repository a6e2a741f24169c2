package dev.llmjudge.internal.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmjudge.internal.check.CallOutsideCheck;
import dev.llmjudge.judge.EvaluationCase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The billed judge calls that no row holds: the totals count them with the rows, {@code report.json} keeps them, a merge of
 * reports keeps every report's, and the summary and the page say what they were.
 */
class CallsOutsideChecksReportTest {
    private static final String MODEL = "gpt-4.1";
    private static final CallOutsideCheck STEPS = new CallOutsideCheck(CallOutsideCheck.EVALUATION_STEPS, "polite_tone", MODEL, 300, 0, 40, null);
    private static final CallOutsideCheck UNTAKEN = new CallOutsideCheck(CallOutsideCheck.JUDGED_AHEAD_UNTAKEN, "answer_similarity", MODEL,
            800, 700, 15, "batch_1");
    private static final ReportRow JUDGED = ReportFixtures.scored(ReportRow.PASSED, "judged", "answer_similarity",
            EvaluationCase.ofAnswer("Paris").withGroundTruth("Paris"), 5, 4, false, 90, 1_000, 20, "Same.", MODEL);

    @Test
    void should_count_the_tokens_and_cost_of_the_calls_outside_checks_in_the_totals_at_their_batch_and_cached_rates() {
        RunReport report = RunReports.builder(List.of(JUDGED)).callsOutsideChecks(List.of(STEPS, UNTAKEN)).build();

        assertThat(report.totals().tokens()).isEqualTo(1_020 + 340 + 815);
        assertThat(report.totals().verdicts()).as("a call outside checks is not a verdict").isEqualTo(1);
        double paid = Pricing.estimateUsd(MODEL, 1_000, 20).orElseThrow() + Pricing.estimateUsd(MODEL, 300, 40).orElseThrow()
                + Pricing.estimateUsd(MODEL, 800, 700, 15, true).orElseThrow();
        assertThat(report.totals().estimatedCostUsd()).isCloseTo(paid, within(1e-12));
    }

    @Test
    void should_leave_the_cost_unknown_when_a_call_outside_checks_has_a_model_without_a_price() {
        CallOutsideCheck unpriced = new CallOutsideCheck(CallOutsideCheck.EVALUATION_STEPS, "polite_tone", "my-local-model", 300, 0, 40, null);

        RunReport report = RunReports.builder(List.of(JUDGED)).callsOutsideChecks(List.of(unpriced)).build();

        assertThat(report.totals().tokens()).isEqualTo(1_020 + 340);
        assertThat(report.totals().estimatedCostUsd()).isNull();
    }

    @Test
    void should_keep_the_calls_outside_checks_in_report_json_and_read_a_report_written_without_them() throws IOException {
        RunReport report = RunReports.builder(List.of(JUDGED)).callsOutsideChecks(List.of(STEPS, UNTAKEN)).build();
        String json = JsonReport.toJson(report, "run-1");

        RunReport read = JsonReport.parse(Path.of("report.json"), json.getBytes(StandardCharsets.UTF_8)).report();

        assertThat(read.callsOutsideChecks()).containsExactly(STEPS, UNTAKEN);
        assertThat(read.totals()).isEqualTo(report.totals());
        String before = json.replaceAll("(?s)\"callsOutsideChecks\" : \\[.*?\\],\\s*", "");
        assertThat(before).doesNotContain("callsOutsideChecks");
        RunReport older = JsonReport.parse(Path.of("report.json"), before.getBytes(StandardCharsets.UTF_8)).report();
        assertThat(older.callsOutsideChecks()).isEmpty();
        assertThat(older.totals().tokens()).isEqualTo(1_020);
    }

    @Test
    void should_refuse_a_call_outside_checks_with_negative_tokens_naming_it() {
        String json = JsonReport.toJson(RunReports.builder(List.of(JUDGED)).callsOutsideChecks(List.of(STEPS)).build(), "run-1")
                .replace("\"completionTokens\" : 40", "\"completionTokens\" : -40");

        assertThatThrownBy(() -> JsonReport.parse(Path.of("report.json"), json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessage("report.json: call outside checks 1 is malformed: it needs what it was for, a metric and token counts of 0 or more");
    }

    @Test
    void should_keep_every_reports_calls_outside_checks_when_merging_them() throws Exception {
        JsonReport.ReportFile first = reportFile("shard-1.json", List.of(STEPS));
        JsonReport.ReportFile second = reportFile("shard-2.json", List.of(UNTAKEN));

        ReportMerge.Merged merged = ReportMerge.merge(List.of(first, second), OptionalInt.empty(), "merged", runId -> Optional.empty());

        assertThat(merged.callsOutsideChecks()).containsExactly(STEPS, UNTAKEN);
    }

    @Test
    void should_say_in_the_summary_and_on_the_page_what_the_calls_outside_checks_were() {
        RunReport report = RunReports.builder(List.of(JUDGED)).callsOutsideChecks(List.of(STEPS, UNTAKEN, UNTAKEN)).build();
        String line = "The tokens and cost include 3 billed judge calls outside any check: evaluation steps (polite_tone): 1 call,"
                + " 340 tokens, <$0.01; judged ahead, taken by no check (answer_similarity): 2 calls, 1,630 tokens, <$0.01.";

        assertThat(RunReports.callsOutsideChecksLine(report)).contains(line);
        assertThat(MarkdownSummary.render(report, Path.of("report.html"))).contains(MarkdownSummary.cell(line));
        assertThat(HtmlReportWriter.render(report)).contains("<p class=\"note\" id=\"calls-outside-checks\">"
                + line.replace("<", "&lt;") + "</p>");
        assertThat(RunReports.callsOutsideChecksLine(RunReports.builder(List.of(JUDGED)).build())).isEmpty();
    }

    /** A report of one shard: its row is a case of its own, so that the merge takes both. */
    private static JsonReport.ReportFile reportFile(String name, List<CallOutsideCheck> calls) throws IOException {
        ReportRow row = ReportFixtures.scored(ReportRow.PASSED, name, "answer_similarity", EvaluationCase.ofAnswer("Paris").withGroundTruth("Paris"),
                5, 4, false, 90, 1_000, 20, "Same.", MODEL);
        RunReport report = RunReports.builder(List.of(row)).callsOutsideChecks(calls).build();
        RunHeader header = new RunHeader("run-1", null, 4, new RunHeader.JudgeSettings(MODEL, "api.openai.com", 0.0, 42L, 1024), List.of());
        return JsonReport.parse(Path.of(name), JsonReport.toJson(report, header).getBytes(StandardCharsets.UTF_8));
    }
}
