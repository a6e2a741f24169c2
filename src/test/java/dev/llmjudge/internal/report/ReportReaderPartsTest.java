package dev.llmjudge.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the report a reviewer reads first, one by one: gate results, test labels, histograms, the history, the summary's review list. */
class ReportReaderPartsTest {

    // --- gate results

    @Test
    void should_pass_a_gate_only_when_its_figure_compares_with_the_bound_as_it_must() {
        assertThat(GateResult.Relation.AT_LEAST.holds(3.5, 3.5)).isTrue();
        assertThat(GateResult.Relation.AT_LEAST.holds(3.49, 3.5)).isFalse();
        assertThat(GateResult.Relation.BELOW.holds(2.0, 2)).isFalse();
        assertThat(GateResult.Relation.BELOW.holds(1.0, 2)).isTrue();
        assertThat(GateResult.Relation.AT_MOST.holds(0.1, 0.1)).isTrue();
        assertThat(GateResult.Relation.AT_LEAST.holds(null, 0)).as("no figure never passes").isFalse();
        assertThat(GateResult.Relation.AT_LEAST.holds(Double.NaN, 0)).isFalse();
    }

    @Test
    void should_show_a_gate_figure_and_bound_as_the_report_reads_them() {
        GateResult rate = GateResult.of(GateResult.CLASS, "T", null, "m", GateResult.PASS_RATE, 0.8, GateResult.Relation.AT_LEAST, 0.9, true, "x");
        GateResult mean = GateResult.of(GateResult.CLASS, "T", null, "m", "mean", 3.2, GateResult.Relation.AT_LEAST, 3.5, false, "x");
        GateResult drop = GateResult.of(GateResult.MAX_DROP, "T", null, null, "largest drop", 3.0, GateResult.Relation.BELOW, 2, false, "x");
        GateResult none = GateResult.of(GateResult.CLASS, "T", null, "m", "mean", Double.NaN, GateResult.Relation.AT_LEAST, 3, false, "x");

        assertThat(List.of(rate.valueText(), rate.boundText(), rate.passed())).containsExactly("80%", "\u2265 90%", false);
        assertThat(List.of(mean.valueText(), mean.boundText())).containsExactly("3.20", "\u2265 3.5");
        assertThat(List.of(drop.valueText(), drop.boundText(), drop.passed())).containsExactly("3", "< 2", false);
        assertThat(none.value()).isNull();
        assertThat(none.valueText()).isEqualTo("\u2014");
        assertThat(GateHtml.kindLabel("UNSTABLE")).as("a kind added later reads as itself").isEqualTo("unstable");
    }

    // --- test labels

    @Test
    void should_name_a_test_by_class_method_and_a_display_name_that_says_more() {
        String support = "[engine:junit-jupiter]/[class:com.example.SupportBotTest]";

        assertThat(TestLabels.of(support + "/[method:refundPolicy()]", "SupportBotTest > refund policy"))
                .contains(new TestLabels.Label("SupportBotTest", "refundPolicy()", "refund policy"));
        assertThat(TestLabels.of(support + "/[method:similar()]", "SupportBotTest > similar()"))
                .contains(new TestLabels.Label("SupportBotTest", "similar()", null));
        assertThat(TestLabels.of(support + "/[nested-class:Refunds]/[method:late(java.lang.String, int[])]", "A > B > late(String, int[])"))
                .contains(new TestLabels.Label("SupportBotTest.Refunds", "late(String, int[])", null));
        assertThat(TestLabels.of(support + "/[test-template:answers(dev.llmjudge.junit.DatasetRow)]/[test-template-invocation:#2]",
                "SupportBotTest > answers(DatasetRow) > [2] Is shipping free?"))
                .contains(new TestLabels.Label("SupportBotTest", "answers(DatasetRow)", "[2] Is shipping free?"));
        assertThat(TestLabels.of("[engine:junit-jupiter]/[class:com.example.Outer$Static]", "Outer$Static"))
                .contains(new TestLabels.Label("Outer.Static", null, null));
        assertThat(TestLabels.of(null, "outside")).isEmpty();
        assertThat(TestLabels.of("[engine:junit-vintage]/[runner:x]", "x")).isEmpty();
    }

    /** A cached check of {@code FooTest.a()} in package {@code pkg}, of a case with neither question nor ground truth. */
    private static RowBuilder fooTestA(String pkg) {
        return RowBuilder.row().withTestId("[engine:junit-jupiter]/[class:" + pkg + ".FooTest]/[method:a()]").withTestName("FooTest > a()")
                .withCaseKey("class:" + pkg + ".FooTest/method:a()").withQuestion(null).withGroundTruth(null).withCached(true)
                .withLatencyMillis(1L).withPromptTokens(1L).withCompletionTokens(1L);
    }

    @Test
    void should_keep_apart_the_figures_of_two_classes_of_the_same_simple_name() {
        ReportRow inA = fooTestA("com.a").withJustification("Same.").withAnswer("A.").build();
        ReportRow inB = fooTestA("com.b").withOutcome(ReportRow.FAILED).withScore(2).withJustification("Differs.").withAnswer("B.").build();

        String html = HtmlReportWriter.render(RunReports.build(List.of(inA, inB), null, Instant.EPOCH));

        assertThat(html).contains("<td class=\"group\" title=\"com.a.FooTest\">FooTest</td><td class=\"metric\">answer_<wbr>similarity</td>"
                + "<td class=\"num\">1</td><td class=\"num\">5.00</td>", "<td class=\"group\" title=\"com.b.FooTest\">FooTest</td><td"
                + " class=\"metric\">answer_<wbr>similarity</td><td class=\"num\">1</td><td class=\"num\">2.00</td>");
    }

    // --- histograms

    @Test
    void should_count_scores_per_level_of_a_small_rubric_and_in_ten_bins_of_a_large_one() {
        RunReport review = ReportFixtures.reviewRun();

        assertThat(ReportCharts.distribution(review.rows(), "answer_similarity")).containsExactly(new ReportCharts.Bin(1, 1, 0),
                new ReportCharts.Bin(2, 2, 1), new ReportCharts.Bin(3, 3, 0), new ReportCharts.Bin(4, 4, 1), new ReportCharts.Bin(5, 5, 1));
        List<ReportCharts.Bin> cosines = ReportCharts.distribution(review.rows(), "semantic_similarity");
        assertThat(cosines).hasSize(10).first().isEqualTo(new ReportCharts.Bin(0, 9, 0));
        assertThat(cosines).extracting(ReportCharts.Bin::count).containsExactly(0, 0, 0, 0, 0, 1, 0, 0, 2, 1);
        assertThat(cosines.get(9)).isEqualTo(new ReportCharts.Bin(90, 100, 1));
        assertThat(ReportCharts.distribution(review.rows(), "answer_relevance")).as("only skipped checks: no score").isEmpty();
    }

    @Test
    void should_draw_a_histogram_with_nothing_but_shapes_and_escaped_text() {
        String svg = ReportCharts.histogram("tone\"><script>x</script>", List.of(new ReportCharts.Bin(1, 1, 2), new ReportCharts.Bin(2, 2, 0)));

        assertThat(svg).startsWith("<svg class=\"chart histogram\" data-metric=\"tone&#34;&gt;&lt;script&gt;x&lt;/script&gt;\"")
                .contains("<rect class=\"bar\" x=\"0\" y=\"0\" width=\"14\" height=\"40\" data-count=\"2\"><title>1: 2 checks</title></rect>",
                        "<rect class=\"bar\" x=\"17\" y=\"40\" width=\"14\" height=\"0\" data-count=\"0\">")
                .doesNotContain("<script", "style=", "href");
    }

    // --- the history

    @Test
    void should_keep_one_summary_per_run_and_read_back_the_last_runs_oldest_first(@TempDir Path dir) throws IOException {
        RunReport review = ReportFixtures.reviewRun();
        for (int i = 0; i < 25; i++) {
            RunReport run = ReportFixtures.reportOf(2, String.format("2025-05-%02dT10:00:00Z", i + 1), review.rows(), review.metrics(), null,
                    review.totals());
            RunHistory.append(dir, RunHistory.summary(run, "run-" + i, null));
        }
        RunHistory.append(dir, RunHistory.summary(ReportFixtures.reportOf(2, "2025-05-25T11:00:00Z", review.rows(), review.metrics(), null,
                review.totals()), "run-24", "abc1234"));
        Files.writeString(dir.resolve("notes.json"), "{\"schema\": \"something else\"}");
        Files.writeString(dir.resolve("broken.json"), "{");
        List<String> problems = new ArrayList<>();

        List<RunHistory.RunSummary> runs = RunHistory.lastRuns(dir, RunHistory.RUNS_SHOWN, problems::add);

        assertThat(runs).hasSize(20);
        assertThat(runs.get(0).runId()).isEqualTo("run-5");
        assertThat(runs.get(19)).satisfies(last -> {
            assertThat(last.runId()).isEqualTo("run-24");
            assertThat(last.commit()).isEqualTo("abc1234");
            assertThat(last.metrics().get("answer_similarity")).isEqualTo(new RunHistory.Point(3, 11 / 3.0, 2 / 3.0, 1, 5, 3, 0));
            assertThat(last.metrics().get("answer_relevance")).isEqualTo(new RunHistory.Point(0, null, null, null, null, 0, 2));
        });
        assertThat(problems).hasSize(2).anySatisfy(p -> assertThat(p).startsWith(dir.resolve("notes.json") + " is not a run summary"))
                .anySatisfy(p -> assertThat(p).startsWith(dir.resolve("broken.json") + " cannot be read as a run summary"));
        assertThat(RunHistory.lastRuns(dir.resolve("none"), 20, problems::add)).isEmpty();
    }

    // --- JSON

    @Test
    void should_read_back_the_gates_the_run_and_the_verdict_files_it_wrote(@TempDir Path dir) throws IOException {
        RunReport review = ReportFixtures.reviewRun();
        Path file = dir.resolve("report.json");

        JsonReport.write(review, (String) null, file);
        RunReport read = JsonReport.read(file);

        assertThat(read.gates()).isEqualTo(review.gates());
        assertThat(read.run()).isEqualTo(review.run());
        assertThat(read.verdictFiles()).isEqualTo(review.verdictFiles());
        assertThat(read.rows()).extracting(ReportRow::dataset).containsExactlyElementsOf(review.rows().stream().map(ReportRow::dataset).toList());
        assertThat(RunReports.byDataset(read.rows()).keySet()).containsExactly("datasets/faq.jsonl", "datasets/similar.jsonl");
        assertThat(Files.readString(file)).contains("\"runId\" : \"surefire-20250501101500000\"", "\"commit\" : \"" + ReportFixtures.COMMIT + "\"",
                "\"judgeModels\" : [ \"all-minilm-l6-v2-q (embedding)\", \"gpt-4.1\" ]", "\"kind\" : \"MAX_DROP\"", "\"relation\" : \"BELOW\"");
    }

    // --- the baseline

    @Test
    void should_leave_skipped_checks_out_of_the_comparison_with_the_baseline() {
        List<ReportRow> rows = ReportFixtures.reviewRun().rows();
        List<ReportRow> judged = rows.stream().filter(r -> !r.skipped()).toList();

        RunReport.BaselineComparison comparison = Baseline.compare(rows, judged, "b.json");

        assertThat(comparison.newCases()).isEmpty();
        assertThat(comparison.goneCases()).isEmpty();
        assertThat(comparison.changes()).isEmpty();
    }

    // --- the summary

    @Test
    void should_list_the_verdicts_to_review_and_no_skipped_check_among_the_failures() {
        String md = MarkdownSummary.render(ReportFixtures.reviewRun(), Path.of("target/llm-judge/report.html"));

        assertThat(md).contains("### Verdicts to review: 2 verdicts recorded by this run, 2 changed against the baseline\n\n"
                + "- `src/test/llm-judge/answer_similarity/" + Integer.toHexString("SupportBotTest > shipping abroad".hashCode()) + ".json` — recorded"
                + " now, changed 5 → 2, new answer · answer\\_similarity 2 (threshold 4) — SupportBotTest &gt; shipping abroad\n");
        String failures = md.substring(md.indexOf("### Below threshold or in error"), md.indexOf("### Skipped, not judged: 2"));
        assertThat(failures).doesNotContain("SKIPPED", "Is shipping free");
        assertThat(md.indexOf("**✗ 3 of 6 quality gates failed**")).isLessThan(md.indexOf("| metric |"));
        assertThat(md).endsWith("Full report: `target/llm-judge/report.html` · [report.html in the artifacts of this run]("
                + ReportFixtures.CI_RUN + ")\n");
    }

    @Test
    void should_say_in_the_summary_when_every_gate_passed_or_none_was_evaluated() {
        RunReport review = ReportFixtures.reviewRun();
        RunReport passed = review.with(review.gates().stream().filter(GateResult::passed).toList(), review.verdictFiles(), List.of());
        RunReport none = review.with(List.of(), review.verdictFiles(), List.of());

        assertThat(MarkdownSummary.render(passed, Path.of("r.html"))).contains("**✓ All 3 quality gates passed**");
        assertThat(MarkdownSummary.render(none, Path.of("r.html"))).contains("No quality gate was evaluated.");
        assertThat(HtmlReportWriter.render(passed)).contains("<p class=\"status bad\" id=\"status\">\u2713 all 3 quality gates passed \u00b7 3 checks"
                + " below threshold");
        assertThat(HtmlReportWriter.render(none)).contains("No quality gate was evaluated in this run", "<h2>Quality gates</h2>");
    }
}
