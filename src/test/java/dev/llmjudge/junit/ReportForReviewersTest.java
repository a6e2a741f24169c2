package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report a reviewer reads first, written by a Launcher run of fixture classes against the
 * loopback judge: every gate evaluated, in all three formats and at their top; the run's facts;
 * aggregates per class and per dataset; skipped checks; readable test names; the run history.
 */
class ReportForReviewersTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final Map<String, String> GITHUB = Map.of("GITHUB_SHA", SHA, "GITHUB_SERVER_URL", "https://github.com",
            "GITHUB_REPOSITORY", "acme/support-bot", "GITHUB_RUN_ID", "4242");

    static OpenAiCompatibleServer server;

    @TempDir
    Path cache;

    @TempDir
    Path reports;

    @BeforeAll
    static void startJudge() {
        server = FixtureRuns.markerJudge();
    }

    @AfterEach
    void restoreJudge() {
        server.otherwise(FixtureRuns.BY_MARKER);
    }

    @AfterAll
    static void stopJudge() {
        server.close();
    }

    private Map<String, String> params(String runId, Path cacheDir) {
        Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cacheDir));
        params.put("llmjudge.report.dir", reports.toString());
        params.put("llmjudge.report.run-id", runId);
        return params;
    }

    @Test
    void should_record_every_gate_of_every_kind_with_figure_bound_and_result_at_the_top_of_all_three_formats() throws IOException {
        Map<String, String> params = params("build-1", cache);
        params.put("llmjudge.gate.answer_similarity.min-mean", "3");

        LauncherRuns.Run run = LauncherRuns.run(GITHUB, params, Fixtures.SupportBot.class, Fixtures.DatasetWithGate.class);

        String supportId = "[engine:junit-jupiter]/[class:" + Fixtures.SupportBot.class.getName() + "]";
        String faqId = "[engine:junit-jupiter]/[class:" + Fixtures.DatasetWithGate.class.getName() + "]";
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.gates()).extracting(GateResult::kind, GateResult::scope, GateResult::testId, GateResult::metric, GateResult::figure,
                GateResult::value, GateResult::relation, GateResult::bound, GateResult::passed).containsExactlyInAnyOrder(
                        tuple("CLASS", "Fixtures.SupportBot", supportId, "answer_similarity", "mean", 3.5, GateResult.Relation.AT_LEAST, 3.5, true),
                        tuple("CLASS", "Fixtures.SupportBot", supportId, "answer_similarity", "pass rate", 0.5, GateResult.Relation.AT_LEAST, 0.9, false),
                        tuple("RUN_WIDE", "Fixtures.SupportBot", supportId, "answer_similarity", "mean", 3.5, GateResult.Relation.AT_LEAST, 3.0, true),
                        tuple("CLASS", "Fixtures.DatasetWithGate", faqId, "answer_similarity", "mean", 4.0, GateResult.Relation.AT_LEAST, 4.0, true),
                        tuple("DATASET", "Fixtures.DatasetWithGate.answers", faqId, "answer_similarity", "pass rate", 1.0,
                                GateResult.Relation.AT_LEAST, 1.0, true),
                        tuple("RUN_WIDE", "Fixtures.DatasetWithGate", faqId, "answer_similarity", "mean", 4.0, GateResult.Relation.AT_LEAST, 3.0, true));
        // The class fails with exactly the message the report keeps for its failed gate.
        String failure = "quality gate failed for Fixtures.SupportBot: pass rate of answer_similarity 50% is below 90% (2 checks: 1 passed,"
                + " 1 failed, 0 errors)";
        assertThat(run.summary().getFailures()).anySatisfy(f -> assertThat(f.getException()).hasMessage(failure));
        assertThat(report.failedGates()).singleElement().satisfies(g -> assertThat(g.message()).isEqualTo(failure));
        assertThat(report.gates()).filteredOn(GateResult::passed).extracting(GateResult::message)
                .contains("quality gate passed for Fixtures.SupportBot: mean answer_similarity 3.50 is at least 3.5 (2 scored, 0 errors)");

        JsonNode json = new ObjectMapper().readTree(reports.resolve("report.json").toFile());
        List<String> fields = fieldNames(json);
        assertThat(fields.indexOf("gates")).isLessThan(fields.indexOf("totals")).isLessThan(fields.indexOf("rows"));

        String md = Files.readString(reports.resolve("summary.md"));
        assertThat(md).contains("**✗ 1 of 6 quality gates failed**",
                "| **✗ failed** | class | Fixtures.SupportBot | answer\\_similarity | pass rate | 50% | ≥ 90% |",
                "| ✓ passed | dataset | Fixtures.DatasetWithGate.answers | answer\\_similarity | pass rate | 100% | ≥ 100% |");
        assertThat(md.indexOf("quality gates failed")).isLessThan(md.indexOf("| metric |"));
        assertThat(md.indexOf("| **✗ failed** |")).isLessThan(md.indexOf("| ✓ passed |"));

        String html = Files.readString(reports.resolve("report.html"));
        assertThat(html).contains("<p class=\"status bad\" id=\"status\">\u2717 1 of 6 quality gates failed \u00b7 1 check below threshold"
                + " \u00b7 0 judge errors</p>");
        assertThat(count(html, "<tr class=\"gate ")).isEqualTo(6);
        assertThat(html.indexOf("<tr class=\"gate failed\"")).isLessThan(html.indexOf("<tr class=\"gate passed\""));
        assertThat(html.indexOf("id=\"gates\"")).isLessThan(html.indexOf("id=\"metrics\"")).isLessThan(html.indexOf("id=\"cases\""));
    }

    @Test
    void should_record_the_drop_gate_passed_and_failed_against_the_baseline(@TempDir Path baselineDir, @TempDir Path laterCache)
            throws IOException {
        Map<String, String> first = params("build-1", cache);
        first.put("llmjudge.report.dir", baselineDir.toString());
        LauncherRuns.run(Map.of(), first, Fixtures.SupportBot.class, Fixtures.DatasetWithGate.class);

        // The next release answers the refund question worse; the dataset's answers stay as they were.
        server.otherwise(request -> request.promptText().contains("Refunds within 30 days") ? Reply.verdict(2, "Misses the 30-day limit.")
                : FixtureRuns.BY_MARKER.apply(request));
        Map<String, String> second = params("build-2", laterCache);
        second.put("llmjudge.report.baseline", baselineDir.resolve("report.json").toString());
        second.put("llmjudge.gate.max-drop", "2");
        LauncherRuns.run(Map.of(), second, Fixtures.SupportBot.class, Fixtures.DatasetWithGate.class);

        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.gates()).filteredOn(g -> g.kind().equals(GateResult.MAX_DROP))
                .extracting(GateResult::scope, GateResult::metric, GateResult::figure, GateResult::value, GateResult::bound, GateResult::passed)
                .containsExactlyInAnyOrder(tuple("Fixtures.SupportBot", null, "largest drop", 3.0, 2.0, false),
                        tuple("Fixtures.DatasetWithGate", null, "largest drop", 0.0, 2.0, true));
        assertThat(report.gates()).filteredOn(g -> g.kind().equals(GateResult.MAX_DROP) && !g.passed()).singleElement()
                .satisfies(g -> assertThat(g.message()).startsWith("quality gate failed for Fixtures.SupportBot: 1 case dropped by 2 or more"));
        String html = Files.readString(reports.resolve("report.html"));
        assertThat(html).contains("<td class=\"kind\">baseline drop</td>", "<dd>" + baselineDir.resolve("report.json") + "</dd>");
        // Changes come first among the checks: the dropped case is the first row.
        assertThat(firstCaseRow(html)).contains("refund policy", "\u25bc down by 3");
    }

    @Test
    void should_head_the_report_with_the_run_the_commit_the_judge_and_the_ci_run() throws IOException {
        LauncherRuns.run(GITHUB, params("build-1", cache), Fixtures.SupportBot.class);

        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.run()).isEqualTo(new RunReport.RunInfo("run-build-1", SHA, "https://github.com/acme/support-bot/actions/runs/4242"));
        String html = Files.readString(reports.resolve("report.html"));
        assertThat(html).contains("<div id=\"run-id\"><dt>Run</dt><dd>run-build-1</dd></div>", "<div id=\"commit\"><dt>Commit</dt><dd>" + SHA,
                "<div id=\"judges\"><dt>Judge model</dt><dd>gpt-4.1</dd></div>",
                "<div id=\"baseline-used\"><dt>Baseline</dt><dd><span class=\"none\">none</span></dd></div>",
                "<div id=\"ci-run\"><dt>CI run</dt><dd>https://github.com/acme/support-bot/actions/runs/4242</dd></div>");
        String md = Files.readString(reports.resolve("summary.md"));
        assertThat(md).contains("run `run-build-1` · commit `" + SHA + "` · judge gpt-4.1 · baseline: none",
                "Full report: `" + reports.resolve("report.html") + "` · [report.html in the artifacts of this run]"
                        + "(https://github.com/acme/support-bot/actions/runs/4242)");
    }

    @Test
    void should_aggregate_per_class_and_per_dataset_and_name_tests_by_class_method_and_display_name() throws IOException {
        LauncherRuns.run(Map.of(), params("build-1", cache), Fixtures.SupportBot.class, Fixtures.DatasetWithGate.class);

        JsonNode json = new ObjectMapper().readTree(reports.resolve("report.json").toFile());
        JsonNode dataset = json.path("datasets").path("datasets/scored.csv").path("answer_similarity");
        assertThat(dataset.path("count").asInt()).isEqualTo(3);
        assertThat(dataset.path("mean").asDouble()).isEqualTo(4.0);
        assertThat(dataset.path("median").asDouble()).isEqualTo(4.0);
        assertThat(json.path("classes").path(Fixtures.SupportBot.class.getName()).path("answer_similarity").path("passRate").asDouble())
                .isEqualTo(0.5);
        assertThat(JsonReport.read(reports.resolve("report.json")).rows()).filteredOn(r -> r.testName().contains("answers"))
                .extracting(ReportRow::dataset).containsOnly("datasets/scored.csv").hasSize(3);

        String html = Files.readString(reports.resolve("report.html"));
        assertThat(section(html, "datasets")).contains("<td class=\"group\" title=\"datasets/scored.csv\">datasets/<wbr>scored.<wbr>csv</td>"
                + "<td class=\"metric\">answer_<wbr>similarity</td><td class=\"num\">3</td><td class=\"num\">4.00</td>");
        assertThat(section(html, "classes")).contains("<td class=\"group\" title=\"" + Fixtures.SupportBot.class.getName()
                + "\">Fixtures.<wbr>SupportBot</td>", "<td class=\"group\" title=\"" + Fixtures.DatasetWithGate.class.getName()
                + "\">Fixtures.<wbr>DatasetWithGate</td>");
        assertThat(html).contains("<span class=\"test-class\">Fixtures.<wbr>SupportBot</span><span class=\"test-method\">refundPolicy(<wbr>)</span>"
                        + "<span class=\"test-display\" dir=\"auto\">refund policy</span>",
                "<span class=\"test-class\">Fixtures.<wbr>SupportBot</span><span class=\"test-method\">shipping_<wbr>abroad(<wbr>)</span></td>",
                "<span class=\"test-method\">answers(<wbr>DatasetRow)</span><span class=\"test-display\" dir=\"auto\">[1] What is 2+2?</span>");
    }

    @Test
    void should_list_skipped_checks_with_their_reason_in_every_format_and_never_as_failures() throws IOException {
        FixtureRuns.run(Fixtures.KeylessRecorded.class, FixtureRuns.params(server, cache));
        Map<String, String> params = params("build-1", cache);
        params.put("llmjudge.judge.missing-key", "skip");

        LauncherRuns.run(Map.of(), params, Fixtures.Keyless.class);

        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.rows()).extracting(ReportRow::outcome).containsExactlyInAnyOrder("PASSED", "SKIPPED");
        String html = Files.readString(reports.resolve("report.html"));
        String skippedRow = caseRows(html).stream().filter(r -> r.contains("data-outcome=\"SKIPPED\"")).findFirst().orElseThrow();
        assertThat(skippedRow).contains("\u21b7 skipped", "<span class=\"label\">Not judged</span>", "skipped: no API key for the judge",
                "(llmjudge.judge.missing-key=skip)", "<span class=\"test-method\">unrecorded(<wbr>)</span>");
        assertThat(html).contains("<option value=\"SKIPPED\">skipped (not judged) (1)</option>", "\u00b7 1 skipped</p>");
        String md = Files.readString(reports.resolve("summary.md"));
        assertThat(md).contains("### Skipped, not judged: 1\n\n- answer\\_similarity — Fixtures$Keyless &gt; unrecorded(): skipped: no API key",
                "| answer\\_similarity | 1 | 1 | 0 | 0 | 5.00 | 5.00 | 100% | 1 |").doesNotContain("### Below threshold or in error");
    }

    @Test
    void should_keep_one_summary_per_run_in_the_history_and_draw_the_last_runs(@TempDir Path history) throws IOException {
        for (String build : List.of("build-1", "build-2", "build-3")) {
            Map<String, String> params = params(build, cache);
            params.put("llmjudge.report.history", history.toString());
            LauncherRuns.run(Map.of(), params, Fixtures.SupportBot.class);
        }

        try (Stream<Path> files = Files.list(history)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("run-build-1.json", "run-build-2.json",
                    "run-build-3.json");
        }
        JsonNode summary = new ObjectMapper().readTree(history.resolve("run-build-2.json").toFile());
        assertThat(summary.path("schema").asText()).isEqualTo("llm-judge-history/1");
        assertThat(summary.path("metrics").path("answer_similarity").path("mean").asDouble()).isEqualTo(3.5);
        assertThat(summary.path("metrics").path("answer_similarity").path("passRate").asDouble()).isEqualTo(0.5);
        String html = Files.readString(reports.resolve("report.html"));
        assertThat(html).contains("<th>Last runs</th>", "aria-label=\"mean answer_similarity over the last 3 runs: 3.50 over 2 of 2 checks"
                        + " scored; 3.50 over 2 of 2 checks scored; 3.50 over 2 of 2 checks scored;\"",
                "<title>mean 3.50 over 2 of 2 checks scored</title>",
                "aria-label=\"pass rate of answer_similarity over the last 3 runs: 50%; 50%; 50%;\"");
        assertThat(count(html, "<svg class=\"chart sparkline\"")).isEqualTo(2);
    }

    @Test
    void should_write_the_report_when_the_history_cannot_be_kept(@TempDir Path dir) throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("history"), "a file where the history directory should be");
        Map<String, String> params = params("build-1", cache);
        params.put("llmjudge.report.history", notADirectory.toString());

        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params, Fixtures.SupportBot.class);

        assertThat(run.console()).startsWith("llm-judge: 2 verdicts");
        assertThat(Files.readString(notADirectory)).isEqualTo("a file where the history directory should be");
        assertThat(Files.readString(reports.resolve("report.html"))).contains("id=\"metrics\"").doesNotContain("Last runs", "svg class=\"chart sparkline\"");
    }

    @Test
    void should_warn_in_the_report_of_a_baseline_that_does_not_exist_and_head_it_with_none(@TempDir Path dir) throws IOException {
        Map<String, String> params = params("build-1", cache);
        params.put("llmjudge.report.baseline", dir.resolve("main-report/report.json").toString());

        LauncherRuns.run(Map.of(), params, Fixtures.SupportBot.class);

        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.warnings()).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo("BASELINE");
            assertThat(w.message()).isEqualTo("the baseline report " + dir.resolve("main-report/report.json") + " (llmjudge.report.baseline) does"
                    + " not exist; scores are not compared. Point it at a report.json of an earlier run, e.g. the main branch's.");
        });
        assertThat(Files.readString(reports.resolve("report.html"))).contains("<div id=\"baseline-used\"><dt>Baseline</dt><dd><span"
                + " class=\"none\">none</span></dd></div>", "<li class=\"warning\" data-kind=\"BASELINE\">the baseline report");
        assertThat(Files.readString(reports.resolve("summary.md"))).contains("baseline: none", "> **Warning:** the baseline report");
    }

    @Test
    void should_name_in_the_warning_of_a_baseline_that_does_not_exist_the_baseline_gates_not_evaluated(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("main-report/report.json");
        Map<String, String> params = params("build-1", cache);
        params.put("llmjudge.report.baseline", missing.toString());
        params.put("llmjudge.gate.max-drop", "1");
        params.put("llmjudge.gate.answer_similarity.max-drop", "2");
        params.put("llmjudge.gate.pairwise-baseline", "true");

        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params, Fixtures.SupportBot.class);

        String warning = "the baseline report " + missing + " (llmjudge.report.baseline) does not exist; scores are not compared, so"
                + " these baseline gates were not evaluated: llmjudge.gate.max-drop=1, llmjudge.gate.answer_similarity.max-drop=2 and"
                + " llmjudge.gate.pairwise-baseline=true. Point it at a report.json of an earlier run, e.g. the main branch's, or set"
                + " llmjudge.report.baseline-required=true to fail those gates while it does not exist.";
        assertThat(JsonReport.read(reports.resolve("report.json")).warnings()).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo("BASELINE");
            assertThat(w.message()).isEqualTo(warning);
        });
        assertThat(run.console()).contains("llm-judge: warning: " + warning);
        assertThat(Files.readString(reports.resolve("summary.md"))).contains("these baseline gates were not evaluated: llmjudge.gate.max-drop=1");
    }

    @Test
    void should_not_name_gates_in_the_warning_of_a_baseline_that_does_not_exist_when_it_is_required(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("main-report/report.json");
        Map<String, String> params = params("build-1", cache);
        params.put("llmjudge.report.baseline", missing.toString());
        params.put("llmjudge.gate.max-drop", "1");
        params.put("llmjudge.report.baseline-required", "true");

        LauncherRuns.run(Map.of(), params, Fixtures.SupportBot.class);

        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.warnings()).extracting(RunReport.Warning::message).containsExactly("the baseline report " + missing
                + " (llmjudge.report.baseline) does not exist; scores are not compared. Point it at a report.json of an earlier run, e.g."
                + " the main branch's.");
        assertThat(report.gates()).filteredOn(g -> GateResult.MAX_DROP.equals(g.kind())).singleElement()
                .satisfies(g -> assertThat(g.passed()).as("failed, as the baseline is required").isFalse());
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> caseRows(String html) {
        List<String> rows = new java.util.ArrayList<>();
        Matcher m = Pattern.compile("(?s)<tr class=\"case .*?</tr>").matcher(html);
        while (m.find()) {
            rows.add(m.group());
        }
        return rows;
    }

    private static String firstCaseRow(String html) {
        return caseRows(html).get(0);
    }

    private static String section(String html, String id) {
        int from = html.indexOf("<section id=\"" + id + "-section\">");
        assertThat(from).as("section " + id).isNotNegative();
        return html.substring(from, html.indexOf("</section>", from));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
