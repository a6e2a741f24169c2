package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RowBuilder;
import dev.llmjudge.internal.report.RunHeader;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.internal.report.RunReports;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

class LlmJudgeReportListenerTest {
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

    private Map<String, String> params(String runId) {
        Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
        params.put("llmjudge.report.dir", reports.toString());
        params.put("llmjudge.report.run-id", runId);
        return params;
    }

    @Test
    void should_list_a_check_rejected_for_its_input_as_an_error_row() throws IOException {
        int requests = server.requestCount();
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params("build-bad-input"), Fixtures.BlankReference.class);

        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.rows()).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo("ERROR");
            assertThat(r.errorReason()).isEqualTo("INVALID_INPUT");
            assertThat(r.errorMessage()).isEqualTo("metric 'answer_similarity' needs the ground truth, but it is blank: a blank ground"
                    + " truth cannot be judged");
            assertThat(r.groundTruth()).isEqualTo(" ");
            assertThat(r.score()).isNull();
        });
        assertThat(report.metrics().get("answer_similarity").errors()).isEqualTo(1);
        assertThat(run.console()).contains("1 error");
        assertThat(server.requestCount()).isEqualTo(requests);
    }

    @Test
    void should_write_the_report_files_and_one_closing_line() throws IOException {
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params("build-1"), Fixtures.ReportEntries.class, Fixtures.WithoutExtension.class);

        assertThat(run.console()).isEqualTo("llm-judge: 2 verdicts (0 cached, 2 judged), 1 below threshold, 1 error, 300 tokens, <$0.01 — "
                + reports.resolve("report.html") + System.lineSeparator());
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.rows()).extracting(ReportRow::testName, ReportRow::outcome, ReportRow::score).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("Fixtures$ReportEntries > similar()", "PASSED", 5),
                org.assertj.core.groups.Tuple.tuple("Fixtures$ReportEntries > notSimilar()", "FAILED", 2),
                org.assertj.core.groups.Tuple.tuple("Fixtures$WithoutExtension > forgetsTheThreshold()", "ERROR", null));
        assertThat(report.rows()).filteredOn(r -> r.outcome().equals("ERROR")).singleElement()
                .satisfies(r -> assertThat(r.errorMessage()).startsWith("a judged check never stated its threshold"));
        assertThat(report.metrics().get("answer_similarity").count()).isEqualTo(3);
        assertThat(report.metrics().get("answer_similarity").errors()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(reports.resolve("report.json").toFile());
        assertThat(json.path("schema").asText()).isEqualTo("llm-judge-report");
        assertThat(json.path("schemaVersion").asInt()).isEqualTo(2);
        assertThat(json.path("runId").asText()).isEqualTo("run-build-1");
        assertThat(json.path("classes").has(Fixtures.ReportEntries.class.getName())).isTrue();
        assertThat(Files.readString(reports.resolve("summary.md"))).startsWith("## LLM judge: 2 verdicts, 1 below threshold, 1 error\n")
                .contains("| answer\\_similarity | 3 | 1 | 1 | 1 | 3.50 | 4.70 | 33.3% |");
        assertThat(reports.resolve("report.html")).exists();
        // The test without the extension is not failed by the listener: reporting never fails a run.
        assertThat(run.summary().getTestsFailedCount()).isEqualTo(1);
    }

    @Test
    void should_warm_up_the_report_once_the_first_check_is_in_writing_nothing() throws IOException {
        List<Runnable> warmUps = new ArrayList<>();
        LauncherRuns.runWarmingUpIn(warmUps::add, params("build-1"), Fixtures.ReportEntries.class);
        assertThat(warmUps).as("one warm-up for the run's checks").hasSize(1);
        RunReport written = JsonReport.read(reports.resolve("report.json"));
        // What the warm-up does, without the listener's guard that leaves any failure to the report itself.
        ReportOutput.warmUp(written.rows().get(0), RunHeader.of("run-build-1"));

        try (Stream<Path> files = Files.walk(reports)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).filter(f -> !f.equals(reports)).toList()) {
                Files.delete(file);
            }
        }
        warmUps.get(0).run();
        assertThat(reports).as("the warm-up writes nothing").isEmptyDirectory();
    }

    @Test
    void should_not_warm_up_a_report_in_a_run_without_checks() {
        List<Runnable> warmUps = new ArrayList<>();
        LauncherRuns.runWarmingUpIn(warmUps::add, params("build-1"), Fixtures.NothingJudged.class);
        assertThat(warmUps).isEmpty();
        assertThat(reports).isEmptyDirectory();
    }

    @Test
    void should_stay_silent_when_nothing_was_judged() {
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params("build-1"), Fixtures.NothingJudged.class);

        assertThat(run.console()).isEmpty();
        assertThat(reports).isEmptyDirectory();
    }

    @Test
    void should_merge_the_parts_of_every_fork_of_the_run_and_never_a_stale_one() throws IOException {
        Path stale = reports.resolve("parts/run-build-0/4242-1.json");
        Files.createDirectories(stale.getParent());
        JsonReport.write(RunReports.build(List.of(row("StaleTest > old()")), null, Instant.now()), "run-build-0", stale);

        LauncherRuns.Run first = LauncherRuns.run(Map.of(), params("build-1"), Fixtures.ReportEntries.class);
        LauncherRuns.Run second = LauncherRuns.run(Map.of(), params("build-1"), Fixtures.GatePasses.class);

        assertThat(first.console()).startsWith("llm-judge: 2 verdicts (0 cached, 2 judged)");
        assertThat(second.console()).startsWith("llm-judge: 5 verdicts (0 cached, 5 judged), 1 below threshold, 0 errors, 750 tokens");
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.rows()).extracting(ReportRow::testName).containsExactlyInAnyOrder("Fixtures$ReportEntries > similar()",
                "Fixtures$ReportEntries > notSimilar()", "Fixtures$GatePasses > first()", "Fixtures$GatePasses > second()", "Fixtures$GatePasses > Inner > third()");
        assertThat(reports.resolve("parts/run-build-0")).doesNotExist();
        try (var parts = Files.list(reports.resolve("parts/run-build-1"))) {
            assertThat(parts.filter(p -> p.toString().endsWith(".json"))).hasSize(2);
        }

        LauncherRuns.Run nextBuild = LauncherRuns.run(Map.of(), params("build-2"), Fixtures.GatePasses.class);
        assertThat(nextBuild.console()).startsWith("llm-judge: 3 verdicts");
        assertThat(JsonReport.read(reports.resolve("report.json")).rows()).hasSize(3);
    }

    @Test
    void should_append_the_summary_to_the_ci_job_summary_once_per_run(@TempDir Path ci) throws IOException {
        Path stepSummary = ci.resolve("step-summary.md");
        Files.writeString(stepSummary, "# Earlier step\n");
        Map<String, String> env = Map.of("GITHUB_STEP_SUMMARY", stepSummary.toString());

        LauncherRuns.run(env, params("build-1"), Fixtures.ReportEntries.class);
        LauncherRuns.run(env, params("build-1"), Fixtures.GatePasses.class);

        String text = Files.readString(stepSummary, StandardCharsets.UTF_8);
        assertThat(text).startsWith("# Earlier step\n\n## LLM judge: 5 verdicts, 1 below threshold, 0 errors\n");
        assertThat(text.split("## LLM judge", -1)).hasSize(2);
        assertThat(text).endsWith(Files.readString(reports.resolve("summary.md")));
    }

    @Test
    void should_warn_and_go_on_when_the_report_cannot_be_written() throws IOException {
        Path file = reports.resolve("not-a-directory");
        Files.writeString(file, "x");
        Map<String, String> params = params("build-1");
        params.put("llmjudge.report.dir", file.toString());

        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params, Fixtures.ReportEntries.class);

        assertThat(run.console()).startsWith("llm-judge: 2 checks, but the report could not be written to " + file);
        assertThat(run.summary().getTestsSucceededCount()).isEqualTo(1);
    }

    @Test
    void should_list_score_changes_against_the_baseline_and_gate_on_drops(@TempDir Path baselineDir) throws IOException {
        server.otherwise(r -> Reply.verdict(5, "Same meaning."));
        Map<String, String> first = params("build-1");
        first.put("llmjudge.report.dir", baselineDir.toString());
        first.put("llmjudge.cache.mode", "off");
        LauncherRuns.run(Map.of(), first, Fixtures.BaselineCases.class);
        Path baseline = baselineDir.resolve("report.json");

        server.otherwise(r -> Reply.verdict(r.promptText().contains("Refunds are possible") ? 2 : 4, "Less close."));
        Map<String, String> second = params("build-2");
        second.put("llmjudge.cache.mode", "off");
        second.put("llmjudge.report.baseline", baseline.toString());
        second.put("llmjudge.gate.max-drop", "2");
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), second, Fixtures.BaselineCases.class);

        assertThat(run.summary().getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(AssertionError.class)
                .hasMessage("quality gate failed for Fixtures.BaselineCases: 1 case dropped by 2 or more against the baseline " + baseline
                        + ":\n  answer_similarity 5 -> 2: Fixtures$BaselineCases > refund()"
                        + "\n    same answer, judged again: \"Refunds are possible within 30 days.\""));
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.baseline().changes()).extracting(RunReport.ScoreChange::testName, RunReport.ScoreChange::before,
                RunReport.ScoreChange::after, RunReport.ScoreChange::drop).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("Fixtures$BaselineCases > refund()", 5, 2, true),
                        org.assertj.core.groups.Tuple.tuple("Fixtures$BaselineCases > shipping()", 5, 4, true));
        assertThat(Files.readString(reports.resolve("summary.md"))).contains("### Against the baseline: 2 changed, 2 drops, 0 new, 0 gone");
    }

    @Test
    void should_fail_the_drop_gate_for_a_case_the_baseline_scored_on_another_scale_instead_of_reading_its_drop_as_a_rise(
            @TempDir Path baselineDir) throws IOException {
        server.otherwise(r -> Reply.verdict(5, "Same meaning."));
        Map<String, String> first = params("build-1");
        first.put("llmjudge.report.dir", baselineDir.toString());
        first.put("llmjudge.cache.mode", "off");
        LauncherRuns.run(Map.of(), first, Fixtures.BaselineCases.class);
        Path baseline = baselineDir.resolve("report.json");
        // The baseline judged refund on a pass/fail scale (0 to 1) and it passed: its 2 of 5 now is no rise from 1.
        ObjectMapper json = new ObjectMapper();
        JsonNode written = json.readTree(baseline.toFile());
        for (JsonNode row : written.path("rows")) {
            if (row.path("testName").asText().endsWith("refund()")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) row).put("minScore", 0).put("maxScore", 1).put("score", 1).put("threshold", 1);
            }
        }
        json.writeValue(baseline.toFile(), written);

        server.otherwise(r -> Reply.verdict(r.promptText().contains("Refunds are possible") ? 2 : 5, "Less close."));
        Map<String, String> second = params("build-2");
        second.put("llmjudge.cache.mode", "off");
        second.put("llmjudge.report.baseline", baseline.toString());
        second.put("llmjudge.gate.max-drop", "2");
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), second, Fixtures.BaselineCases.class);

        assertThat(run.summary().getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(AssertionError.class)
                .hasMessage("quality gate failed for Fixtures.BaselineCases: 1 case cannot be compared with the baseline " + baseline
                        + ", as its metric is scored on another scale now, so a drop of its cannot be told:\n"
                        + "  answer_similarity scored 0 to 1 in the baseline, 1 to 5 now: Fixtures$BaselineCases > refund()\n"
                        + "Compare with a baseline judged on the same scales (the report of a run with the changed metric), or leave"
                        + " llmjudge.report.baseline unset for the run that changes a scale"));
    }

    @Test
    void should_fail_the_drop_gate_for_a_case_the_baseline_scored_and_the_judge_gave_no_score_now_instead_of_saying_none_dropped(
            @TempDir Path baselineDir) throws IOException {
        server.otherwise(r -> Reply.verdict(5, "Same meaning."));
        Map<String, String> first = params("build-1");
        first.put("llmjudge.report.dir", baselineDir.toString());
        first.put("llmjudge.cache.mode", "off");
        LauncherRuns.run(Map.of(), first, Fixtures.BaselineCases.class);
        Path baseline = baselineDir.resolve("report.json");

        // The judge rejects refund's request now: its drop, if any, cannot be told.
        server.otherwise(r -> r.promptText().contains("Refunds are possible") ? Reply.error(400, "bad request")
                : Reply.verdict(5, "Same meaning."));
        Map<String, String> second = params("build-2");
        second.put("llmjudge.cache.mode", "off");
        second.put("llmjudge.report.baseline", baseline.toString());
        second.put("llmjudge.gate.max-drop", "2");
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), second, Fixtures.BaselineCases.class);

        String gate = "quality gate failed for Fixtures.BaselineCases: 1 case the baseline " + baseline + " scored has no score now,"
                + " so a drop of its cannot be told (a judge error is never a score):\n"
                + "  answer_similarity 5 -> no score (BAD_REQUEST): Fixtures$BaselineCases > refund()";
        assertThat(run.summary().getFailures()).extracting(f -> f.getException().getMessage()).contains(gate);
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.gates()).filteredOn(g -> g.kind().equals(GateResult.MAX_DROP)).singleElement().satisfies(g -> {
            assertThat(g.passed()).isFalse();
            assertThat(g.value()).as("no largest drop can be had").isNull();
            assertThat(g.message()).isEqualTo(gate);
        });
    }

    @Test
    void should_line_up_a_case_whose_answer_changed_and_gate_on_its_drop(@TempDir Path baselineDir) throws IOException {
        Fixtures.ANSWERS.putAll(Map.of("refund", "Refunds are possible within 30 days. [score=5]", "first", "One. [score=5]",
                "second", "Two. [score=5]"));
        dataset(row("q1", "Capital of France?", "Paris. [score=5]"), row("q2", "Capital of Germany?", "Berlin. [score=5]"),
                row("q-gone", "Capital of Spain?", "Madrid. [score=5]"));
        Map<String, String> first = params("build-1");
        first.put("llmjudge.report.dir", baselineDir.toString());
        LauncherRuns.run(Map.of(), first, Fixtures.ChangingAnswers.class);
        Path baseline = baselineDir.resolve("report.json");

        // The next release answers differently: worse on refunds, its second check, and one dataset row; rows reordered, one added.
        Fixtures.ANSWERS.putAll(Map.of("refund", "Refunds are always possible. [score=2]", "second", "Two, or so. [score=4]"));
        dataset(row("q2", "Capital of Germany?", "Berlin, I think. [score=4]"), row("q1", "Capital of France?", "Paris. [score=5]"),
                row("q-new", "Capital of Italy?", "Rome. [score=5]"));
        Map<String, String> second = params("build-2");
        second.put("llmjudge.report.baseline", baseline.toString());
        second.put("llmjudge.gate.max-drop", "2");
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), second, Fixtures.ChangingAnswers.class);

        assertThat(run.summary().getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(AssertionError.class)
                .hasMessage("quality gate failed for Fixtures.ChangingAnswers: 1 case dropped by 2 or more against the baseline " + baseline
                        + ":\n  answer_similarity 5 -> 2: Fixtures$ChangingAnswers > refund()"
                        + "\n    answer before: \"Refunds are possible within 30 days. [score=5]\""
                        + "\n    answer now:    \"Refunds are always possible. [score=2]\""));
        RunReport.BaselineComparison comparison = JsonReport.read(reports.resolve("report.json")).baseline();
        assertThat(comparison.changes()).extracting(RunReport.ScoreChange::testName, RunReport.ScoreChange::before,
                RunReport.ScoreChange::after, RunReport.ScoreChange::answerBefore, RunReport.ScoreChange::answerAfter)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("Fixtures$ChangingAnswers > refund()", 5, 2,
                                "Refunds are possible within 30 days. [score=5]", "Refunds are always possible. [score=2]"),
                        org.assertj.core.groups.Tuple.tuple("Fixtures$ChangingAnswers > twoChecks()", 5, 4, "Two. [score=5]",
                                "Two, or so. [score=4]"),
                        org.assertj.core.groups.Tuple.tuple("Fixtures$ChangingAnswers > rows(DatasetRow) > [1] Capital of Germany?", 5, 4,
                                "Berlin. [score=5]", "Berlin, I think. [score=4]"));
        assertThat(comparison.newCases()).extracting(RunReport.BaselineCase::testName)
                .containsExactly("Fixtures$ChangingAnswers > rows(DatasetRow) > [3] Capital of Italy?");
        assertThat(comparison.goneCases()).extracting(RunReport.BaselineCase::testName)
                .containsExactly("Fixtures$ChangingAnswers > rows(DatasetRow) > [3] Capital of Spain?");
        assertThat(Files.readString(reports.resolve("summary.md"))).contains("### Against the baseline: 3 changed, 3 drops, 1 new, 1 gone",
                "- answer\\_similarity 5 → 2 — Fixtures$ChangingAnswers &gt; refund(): was “Refunds are possible within 30 days. \\[score=5]”,"
                        + " now “Refunds are always possible. \\[score=2]”");
    }

    /** Run {@code build-1}'s parameters for {@link Fixtures.ChangingAnswers} scoring 5 everywhere, gated by {@code maxDrop} against {@code baseline}. */
    private Map<String, String> changingAnswersAgainst(Path baseline, String maxDrop) throws IOException {
        Fixtures.ANSWERS.putAll(Map.of("refund", "Refunds. [score=5]", "first", "One. [score=5]", "second", "Two. [score=5]"));
        dataset(row("q1", "Capital of France?", "Paris. [score=5]"));
        Map<String, String> params = params("build-1");
        params.put("llmjudge.report.baseline", baseline.toString());
        params.put("llmjudge.gate.max-drop", maxDrop);
        return params;
    }

    @Test
    void should_refuse_a_baseline_of_the_first_schema_before_any_test_of_the_class_runs(@TempDir Path dir) throws IOException {
        Path old = Files.writeString(dir.resolve("report.json"), "{\"schema\": \"llm-judge-report\", \"schemaVersion\": 1, \"rows\": []}");
        Map<String, String> params = changingAnswersAgainst(old, "2");

        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params, Fixtures.ChangingAnswers.class);

        assertThat(run.summary().getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .hasMessageContaining("cannot read the baseline report " + old + " (llmjudge.report.baseline): " + old
                        + " has report schema version 1, which identified a case by its answer's text")
                .hasMessageContaining("Write a new baseline"));
    }

    @Test
    void should_fail_the_class_when_a_required_baseline_does_not_exist_and_only_warn_when_it_is_not_required(@TempDir Path dir)
            throws IOException {
        Path missing = dir.resolve("main-report/report.json");
        Map<String, String> params = changingAnswersAgainst(missing, "2");

        LauncherRuns.Run warned = LauncherRuns.run(Map.of(), params, Fixtures.ChangingAnswers.class);
        params.put("llmjudge.report.run-id", "build-2");
        params.put("llmjudge.report.baseline-required", "true");
        LauncherRuns.Run required = LauncherRuns.run(Map.of(), params, Fixtures.ChangingAnswers.class);

        assertThat(warned.summary().getTotalFailureCount()).isZero();
        assertThat(required.summary().getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(AssertionError.class)
                .hasMessage("quality gate failed for Fixtures.ChangingAnswers: the baseline report " + missing
                        + " (llmjudge.report.baseline) does not exist and llmjudge.report.baseline-required=true, so no case can be"
                        + " compared with it. Fetch the baseline before the run (e.g. the main branch's report.json), or leave"
                        + " llmjudge.report.baseline-required unset where there is none yet"));
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.gates()).filteredOn(g -> !g.passed()).singleElement()
                .satisfies(g -> assertThat(g.kind()).isEqualTo(GateResult.MAX_DROP));
    }

    @Test
    void should_refuse_a_max_drop_beyond_the_scale_of_the_classs_metrics_naming_the_value_and_the_drops_allowed(@TempDir Path dir)
            throws IOException {
        Path missing = dir.resolve("main-report/report.json");
        Map<String, String> params = changingAnswersAgainst(missing, "5");

        LauncherRuns.Run beyond = LauncherRuns.run(Map.of(), params, Fixtures.ChangingAnswers.class);
        params.put("llmjudge.report.run-id", "build-2");
        params.put("llmjudge.gate.max-drop", "4");
        LauncherRuns.Run largest = LauncherRuns.run(Map.of(), params, Fixtures.ChangingAnswers.class);

        // answer_similarity is scored 1 to 5: a case drops by 4 at most, so a bound of 5 could never fail the class.
        assertThat(beyond.summary().getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("llmjudge.gate.max-drop is 5, but no case of Fixtures.ChangingAnswers can drop that much: answer_similarity is"
                        + " scored 1 to 5, so a case drops by 4 at most and the gate could never fail. Set llmjudge.gate.max-drop (or"
                        + " @LlmJudgeTest(maxScoreDrop), or the extension's maxScoreDrop(...)) to a whole number from 1 to 4"));
        assertThat(largest.summary().getTotalFailureCount()).isZero();
    }

    /** Parameters of a run of {@link Fixtures.MixedScales} against {@code baseline} with {@code gates}; its answers score 5 and close. */
    private Map<String, String> mixedScalesAgainst(Path baseline, Map<String, String> gates) {
        Fixtures.ANSWERS.putAll(Map.of("refund", "Refunds are possible within 30 days. [score=5]",
                "returns", "You can return an item within 30 days of delivery for a full refund."));
        Map<String, String> params = params("build-1");
        params.put("llmjudge.report.baseline", baseline.toString());
        params.putAll(gates);
        return params;
    }

    @Test
    void should_gate_a_metric_on_its_own_max_drop_and_the_classs_other_metrics_on_the_class_wide_one(@TempDir Path baselineDir)
            throws IOException {
        Map<String, String> first = mixedScalesAgainst(baselineDir.resolve("none.json"), Map.of());
        first.put("llmjudge.report.dir", baselineDir.toString());
        LauncherRuns.run(Map.of(), first, Fixtures.MixedScales.class);
        Path baseline = baselineDir.resolve("report.json");

        // answer_similarity drops by 1, below the class-wide 2; semantic_similarity drops far, by its own 20 or more.
        Map<String, String> second = mixedScalesAgainst(baseline, Map.of("llmjudge.gate.max-drop", "2",
                "llmjudge.gate.semantic_similarity.max-drop", "20"));
        second.put("llmjudge.report.run-id", "build-2");
        Fixtures.ANSWERS.putAll(Map.of("refund", "Refunds are possible, mostly. [score=4]", "returns", "Our office is open Monday to Friday."));
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), second, Fixtures.MixedScales.class);

        RunReport report = JsonReport.read(reports.resolve("report.json"));
        RunReport.ScoreChange returns = report.baseline().changes().stream().filter(c -> c.metric().equals("semantic_similarity"))
                .findFirst().orElseThrow();
        assertThat(returns.before() - returns.after()).isGreaterThanOrEqualTo(20);
        assertThat(run.summary().getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(AssertionError.class)
                .hasMessage("quality gate failed for Fixtures.MixedScales: 1 case of semantic_similarity dropped by 20 or more against the"
                        + " baseline " + baseline + ":\n  semantic_similarity " + returns.before() + " -> " + returns.after()
                        + ": Fixtures$MixedScales > returns()"
                        + "\n    answer before: \"You can return an item within 30 days of delivery for a full refund.\""
                        + "\n    answer now:    \"Our office is open Monday to Friday.\""));
        assertThat(report.gates()).filteredOn(g -> g.kind().equals(GateResult.MAX_DROP))
                .extracting(GateResult::metric, GateResult::bound, GateResult::value, GateResult::passed).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(null, 2.0, 1.0, true),
                        org.assertj.core.groups.Tuple.tuple("semantic_similarity", 20.0, (double) (returns.before() - returns.after()), false));
        assertThat(report.gates()).filteredOn(GateResult::passed).singleElement().extracting(GateResult::message).isEqualTo("quality gate"
                + " passed for Fixtures.MixedScales: no case of answer_similarity dropped by 2 or more against the baseline " + baseline
                + " (largest drop: 1)");
    }

    @Test
    void should_refuse_a_class_wide_max_drop_one_of_the_classs_metrics_cannot_reach_and_take_it_once_that_metric_has_its_own(
            @TempDir Path dir) {
        Path missing = dir.resolve("main-report/report.json");

        // 10 fits semantic_similarity's 0 to 100, but answer_similarity's cases drop by 4 at most: for them the gate could never fail.
        LauncherRuns.Run unreachable = LauncherRuns.run(Map.of(), mixedScalesAgainst(missing, Map.of("llmjudge.gate.max-drop", "10")),
                Fixtures.MixedScales.class);
        Map<String, String> ownBound = mixedScalesAgainst(missing, Map.of("llmjudge.gate.max-drop", "10",
                "llmjudge.gate.answer_similarity.max-drop", "2"));
        ownBound.put("llmjudge.report.run-id", "build-2");
        LauncherRuns.Run accepted = LauncherRuns.run(Map.of(), ownBound, Fixtures.MixedScales.class);

        assertThat(unreachable.summary().getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("llmjudge.gate.max-drop is 10, but no case of answer_similarity in Fixtures.MixedScales can drop that much:"
                        + " answer_similarity is scored 1 to 5, semantic_similarity 0 to 100, so a case of answer_similarity drops by 4 at"
                        + " most and the gate could never fail for it. Set llmjudge.gate.<metric>.max-drop for answer_similarity"
                        + " (llmjudge.gate.answer_similarity.max-drop, a whole number from 1 to 4), or set llmjudge.gate.max-drop (or"
                        + " @LlmJudgeTest(maxScoreDrop), or the extension's maxScoreDrop(...)) to a whole number from 1 to 4"));
        assertThat(accepted.summary().getTotalFailureCount()).isZero();
    }

    @Test
    void should_refuse_a_metrics_own_max_drop_beyond_its_scale_naming_the_key_and_the_drops_allowed(@TempDir Path dir) {
        Path missing = dir.resolve("main-report/report.json");

        LauncherRuns.Run beyond = LauncherRuns.run(Map.of(), mixedScalesAgainst(missing, Map.of("llmjudge.gate.answer_similarity.max-drop",
                "5", "llmjudge.gate.semantic_similarity.max-drop", "20")), Fixtures.MixedScales.class);
        Map<String, String> largest = mixedScalesAgainst(missing, Map.of("llmjudge.gate.answer_similarity.max-drop", "4",
                "llmjudge.gate.semantic_similarity.max-drop", "100"));
        largest.put("llmjudge.report.run-id", "build-2");
        LauncherRuns.Run accepted = LauncherRuns.run(Map.of(), largest, Fixtures.MixedScales.class);

        assertThat(beyond.summary().getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("llmjudge.gate.answer_similarity.max-drop is 5, but no case of answer_similarity in Fixtures.MixedScales can"
                        + " drop that much: answer_similarity is scored 1 to 5, so a case drops by 4 at most and the gate could never fail."
                        + " Set llmjudge.gate.answer_similarity.max-drop to a whole number from 1 to 4"));
        assertThat(accepted.summary().getTotalFailureCount()).isZero();
    }

    private static String row(String id, String question, String prediction) throws IOException {
        Map<String, String> row = new java.util.LinkedHashMap<>();
        row.put("id", id);
        row.put("question", question);
        row.put("ground_truth", "The capital.");
        row.put("prediction", prediction);
        return new ObjectMapper().writeValueAsString(row);
    }

    private static void dataset(String... rows) throws IOException {
        Path file = Path.of(Fixtures.CHANGING_DATASET);
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", rows) + "\n");
    }

    private static ReportRow row(String testName) {
        return RowBuilder.row().withTestId("[engine:junit-jupiter]/[class:StaleTest]/[method:old()]").withTestName(testName)
                .withCaseKey("class:StaleTest/method:old()").withJustification("Old.").withAt(Instant.now().toString()).build();
    }
}
