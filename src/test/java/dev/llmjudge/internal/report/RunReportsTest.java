package dev.llmjudge.internal.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.llmjudge.internal.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportsTest {
    static ReportRow scored(String test, String answer, int score, int threshold, boolean cached, String model) {
        return supportBot(test).withOutcome(score >= threshold ? "PASSED" : "FAILED").withScore(score).withThreshold(threshold)
                .withJustification("Because.").withAnswer(answer).withJudgeModel(model).withCached(cached).withLatencyMillis(800L)
                .withPromptTokens(1000L).withCompletionTokens(200L).build();
    }

    static ReportRow error(String test, String answer) {
        return supportBot(test).errored("NETWORK", "connection refused").withAnswer(answer).build();
    }

    /** A check of {@code SupportBotTest.test()} whose ground truth is {@code Truth.}. */
    private static RowBuilder supportBot(String test) {
        return RowBuilder.row().withTestId("[engine:junit-jupiter]/[class:com.example.SupportBotTest]/[method:" + test + "()]")
                .withTestName("SupportBotTest > " + test + "()").withCaseKey("class:com.example.SupportBotTest/method:" + test + "()")
                .withGroundTruth("Truth.").withAt("2025-01-31T10:15:30Z");
    }

    @Test
    void should_total_only_this_runs_judge_calls_and_price_them() {
        RunReport report = RunReports.build(List.of(scored("a", "A", 5, 4, false, "gpt-4.1"), scored("b", "B", 2, 4, true, "gpt-4.1"),
                error("c", "C")), null, Instant.parse("2025-01-31T10:15:30Z"));

        // One judged call: 1000 prompt tokens at $2/M and 200 completion tokens at $8/M.
        assertThat(report.totals()).isEqualTo(new RunReport.Totals(2, 1, 1, 1, 1, 0, 1200, 0.0036, 0, 0));
        assertThat(RunReports.consoleLine(report, Path.of("target/llm-judge/report.html"))).isEqualTo(
                "llm-judge: 2 verdicts (1 cached, 1 judged), 1 below threshold, 1 error, 1,200 tokens, <$0.01 — target/llm-judge/report.html");
        assertThat(report.metrics().get("answer_similarity").errors()).isEqualTo(1);
        assertThat(report.metrics().get("answer_similarity").mean()).isEqualTo(3.5);
    }

    @Test
    void should_leave_the_cost_unknown_when_a_judged_model_has_no_price() {
        RunReport.Totals totals = RunReports.totals(List.of(scored("a", "A", 5, 4, false, "my-azure-deployment")));

        assertThat(totals.estimatedCostUsd()).isNull();
        assertThat(RunReports.cost(totals.estimatedCostUsd())).isEqualTo("cost unknown");
        assertThat(RunReports.cost(12.345)).isEqualTo("~$12.35");
        assertThat(RunReports.cost(0.0)).isEqualTo("$0.00");
    }

    @Test
    void should_price_dated_snapshots_and_nothing_else() {
        assertThat(Pricing.priceOf("gpt-4.1-2025-04-14")).get().extracting(Pricing.Price::model).isEqualTo("gpt-4.1");
        assertThat(Pricing.priceOf("gpt-4.1-mini")).get().extracting(Pricing.Price::model).isEqualTo("gpt-4.1-mini");
        assertThat(Pricing.priceOf("gpt-4.1-turbo-preview")).isEmpty();
        assertThat(Pricing.estimateUsd("gpt-4o-mini", 1_000_000, 1_000_000)).contains(0.75);
    }

    @Test
    void should_name_the_test_class_of_a_unique_id() {
        assertThat(RunReports.testClassOf("[engine:junit-jupiter]/[class:com.example.BotTest]/[nested-class:Refunds]/[method:a()]"))
                .contains("com.example.BotTest$Refunds");
        assertThat(RunReports.testClassOf(null)).isEmpty();
    }

    @Test
    void should_read_back_what_it_writes(@TempDir Path dir) throws IOException {
        RunReport report = RunReports.build(List.of(scored("a", "A", 5, 4, false, "gpt-4.1"), error("c", "C")),
                new RunReport.BaselineComparison("baseline.json", List.of(new RunReport.ScoreChange("abc", "answer_similarity",
                        "SupportBotTest > a()", 4, 5, false, "Old A.", "A", "Fine.", "Because.")),
                        List.of(new RunReport.BaselineCase("def", "answer_similarity", "SupportBotTest > c()", null, "C")),
                        List.of(new RunReport.BaselineCase("123", "answer_similarity", "SupportBotTest > gone()", 5, "G"))),
                Instant.parse("2025-01-31T10:15:30Z"));
        Path file = dir.resolve("report.json");

        JsonReport.write(report, "run-1", file);
        RunReport read = JsonReport.read(file);

        assertThat(read.rows()).isEqualTo(report.rows());
        assertThat(read.baseline()).isEqualTo(report.baseline());
        assertThat(read.totals()).isEqualTo(report.totals());
        assertThat(Files.readString(file)).contains("\"caseId\" : \"" + CaseIds.of(report.rows().get(0)) + "\"")
                .contains("\"variance\" : 0.0").doesNotContain("NaN");
        assertThat(Files.readString(file)).contains("\"runId\" : \"run-1\"");
    }

    @Test
    void should_write_the_documented_fields_in_order_with_null_for_figures_that_do_not_exist() {
        String key = "sk-report-test-0123456789abcdefghij";
        Secrets.register(key);
        ReportRow failed = error("c", "C");
        ReportRow leaking = RowBuilder.from(failed).withErrorMessage("refused with " + key).build();

        String json = JsonReport.toJson(RunReports.build(List.of(leaking), null, Instant.parse("2025-01-31T10:15:30Z")), "run-1");

        assertThat(json).startsWith("{\n  \"schema\" : \"llm-judge-report\",\n  \"schemaVersion\" : 2,\n  \"generatedAt\" : \"2025-01-31T10:15:30Z\","
                + "\n  \"runId\" : \"run-1\",\n  \"shard\" : null,\n  \"keyFormat\" : null,\n  \"judge\" : null,\n  \"mergedFrom\" : [ ],"
                + "\n  \"commit\" : null,\n  \"ciRun\" : null,\n  \"judgeModels\" : [ ],\n  \"gates\" : [ ],"
                + "\n  \"totals\" : {\n    \"verdicts\" : 0,")
                .containsSubsequence("\"totals\"", "\"estimatedCostUsd\" : 0.0", "\"metrics\" : {\n    \"answer_similarity\" : {\n      \"count\" : 1,",
                        "\"mean\" : null", "\"passRate\" : 0.0", "\"classes\" : {\n    \"com.example.SupportBotTest\" : {", "\"datasets\" : { }", "\"baseline\" : null",
                        "\"verdictFiles\" : {\n    \"directories\" : [ ],",
                        "\"rows\" : [ {\n    \"caseId\" : \"" + CaseIds.of(leaking) + "\",\n    \"testId\" : ", "\"errorMessage\" : \"refused with [REDACTED]\"",
                        "\"at\" : \"2025-01-31T10:15:30Z\",\n    \"dataset\" : null,\n    \"kind\" : \"check\"\n  } ]\n}\n")
                .doesNotContain("NaN", key);
    }

    @Test
    void should_refuse_a_file_that_is_not_a_report_of_this_schema(@TempDir Path dir) throws IOException {
        Path other = Files.writeString(dir.resolve("other.json"), "{\"schema\": \"llm-judge-report\", \"schemaVersion\": 3, \"rows\": []}");
        Path notJson = Files.writeString(dir.resolve("bad.json"), "{");

        assertThatThrownBy(() -> JsonReport.read(other)).isInstanceOf(IOException.class)
                .hasMessage(other + " has report schema version 3; this version of llm-judge reads version 2: write the report again with"
                        + " this version of llm-judge");
        assertThatThrownBy(() -> JsonReport.read(notJson)).isInstanceOf(IOException.class).hasMessageStartingWith(notJson + " is not valid JSON");
    }

    @Test
    void should_refuse_a_baseline_of_schema_1_saying_how_to_write_a_new_one(@TempDir Path dir) throws IOException {
        Path old = Files.writeString(dir.resolve("report.json"), "{\"schema\": \"llm-judge-report\", \"schemaVersion\": 1, \"rows\": []}");

        assertThatThrownBy(() -> JsonReport.read(old)).isInstanceOf(IOException.class)
                .hasMessage(old + " has report schema version 1, which identified a case by its answer's text; this version of llm-judge"
                        + " identifies a case by its test and reads version 2. Write a new baseline: run the suite once with this version on"
                        + " the baseline's commit (e.g. main) and point llmjudge.report.baseline at its target/llm-judge/report.json.");
    }

    @Test
    void should_name_the_row_and_the_field_of_a_malformed_report(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.json");
        JsonReport.write(RunReports.build(List.of(scored("a", "A", 5, 4, false, "gpt-4.1"), scored("b", "B", 4, 4, false, "gpt-4.1")),
                null, Instant.parse("2025-01-31T10:15:30Z")), "run-1", file);
        Files.writeString(file, Files.readString(file).replaceFirst("\"score\" : 4,", "\"score\" : \"four\","));

        assertThatThrownBy(() -> JsonReport.read(file)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + ": row 2 is malformed: score (").hasMessageContaining("\"four\"").hasMessageNotContaining("[Source");
    }

    @Test
    void should_identify_a_case_by_its_test_so_a_changed_answer_is_the_same_case() {
        List<ReportRow> baseline = List.of(scored("a", "Refunds within 30 days.", 5, 4, false, "gpt-4.1"),
                scored("b", "B", 4, 4, false, "gpt-4.1"), scored("gone", "G", 5, 4, false, "gpt-4.1"));
        List<ReportRow> current = List.of(scored("a", "Refunds are always possible.", 2, 4, false, "gpt-4.1"),
                scored("b", "B", 4, 4, false, "gpt-4.1"), scored("new", "N", 1, 1, false, "gpt-4.1"));

        RunReport.BaselineComparison comparison = Baseline.compare(current, baseline, "baseline.json");

        assertThat(comparison.changes()).singleElement().satisfies(c -> {
            assertThat(c.testName()).isEqualTo("SupportBotTest > a()");
            assertThat(c.before()).isEqualTo(5);
            assertThat(c.after()).isEqualTo(2);
            assertThat(c.drop()).isTrue();
            assertThat(c.answerChanged()).isTrue();
            assertThat(c.answerBefore()).isEqualTo("Refunds within 30 days.");
            assertThat(c.answerAfter()).isEqualTo("Refunds are always possible.");
            assertThat(c.justificationBefore()).isEqualTo("Because.");
            assertThat(c.caseId()).isEqualTo(CaseIds.of(current.get(0))).isEqualTo(CaseIds.of(baseline.get(0)));
        });
        assertThat(comparison.newCases()).extracting(RunReport.BaselineCase::testName).containsExactly("SupportBotTest > new()");
        assertThat(comparison.goneCases()).extracting(RunReport.BaselineCase::testName).containsExactly("SupportBotTest > gone()");
        assertThat(comparison.file()).isEqualTo("baseline.json");
        assertThat(Baseline.dropsOfAtLeast(comparison.changes(), 3)).hasSize(1);
        assertThat(Baseline.dropsOfAtLeast(comparison.changes(), 4)).isEmpty();
    }

    @Test
    void should_still_detect_the_same_answer_judged_again_with_another_score() {
        List<ReportRow> baseline = List.of(scored("a", "A", 5, 4, false, "gpt-4o"), scored("c", "C", 3, 1, false, "gpt-4o"));
        List<ReportRow> current = List.of(scored("a", "A", 2, 4, false, "gpt-4.1"), scored("c", "C", 5, 1, false, "gpt-4.1"));

        List<RunReport.ScoreChange> changes = Baseline.compare(current, baseline, "b.json").changes();

        assertThat(changes).extracting(RunReport.ScoreChange::testName, RunReport.ScoreChange::before, RunReport.ScoreChange::after,
                RunReport.ScoreChange::drop, RunReport.ScoreChange::answerChanged).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("SupportBotTest > a()", 5, 2, true, false),
                        org.assertj.core.groups.Tuple.tuple("SupportBotTest > c()", 3, 5, false, false));
    }

    @Test
    void should_tell_checks_of_one_test_apart_by_their_ordinal_and_count_an_error_as_no_score() {
        ReportRow first = scored("a", "A", 5, 4, false, "gpt-4.1");
        ReportRow second = supportBot("a").withOrdinal(2).withScore(4).withJustification("Close.").withAnswer("A2").withLatencyMillis(1L)
                .withPromptTokens(1L).withCompletionTokens(1L).build();
        ReportRow secondNowAnError = supportBot("a").withOrdinal(2).errored("NETWORK", "refused").withAnswer("A2").build();

        assertThat(CaseIds.of(first)).isNotEqualTo(CaseIds.of(second));
        List<RunReport.ScoreChange> changes = Baseline.compare(List.of(first, secondNowAnError), List.of(first, second), "b.json").changes();

        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.before()).isEqualTo(4);
            assertThat(c.after()).isNull();
            assertThat(c.drop()).isFalse();
        });
    }

    @Test
    void should_warn_of_checks_made_outside_any_test_and_only_of_those() {
        ReportRow attached = RowBuilder.row().withTestId("[engine:junit-jupiter]/[class:Bot]/[method:asks()]").build();
        ReportRow unattached = RowBuilder.row().withTestId(null).withTestName(null).withCaseKey(null).build();

        assertThat(RunReports.build(List.of(attached), null, Instant.EPOCH).warnings()).isEmpty();
        assertThat(RunReports.build(List.of(attached, unattached), null, Instant.EPOCH).warnings())
                .extracting(RunReport.Warning::kind, RunReport.Warning::message)
                .containsExactly(tuple(RunReports.UNATTACHED_CHECKS_WARNING, "1 check of 2 was made outside"
                        + " any test (on a thread that runs no test, e.g. in a parallel stream or on an executor a test started, or outside"
                        + " a test method): it is in this report, but in no test's entries, and no class gate counted it. Make every"
                        + " check on the test's own thread: get the answers in parallel if need be, then check them one after another."));
    }

    @Test
    void should_summarise_in_markdown_with_escaped_text() {
        ReportRow failing = RowBuilder.row().withTestId("[engine:junit-jupiter]/[class:Bot]/[method:pipes()]")
                .withTestName("Bot > pipes | and <b>tags</b>").withCaseKey("Bot#pipes")
                .withOutcome(ReportRow.FAILED).withScore(2).withJustification("It says *Lyon*").withQuestion("Q").withAnswer("A").withGroundTruth("T")
                .withLatencyMillis(1L).withPromptTokens(1L).withCompletionTokens(1L).withAt("2025-01-31T10:15:30Z").build();
        RunReport report = RunReports.build(List.of(failing), null, Instant.EPOCH);

        String md = MarkdownSummary.render(report, Path.of("target/llm-judge/report.html"));

        assertThat(md).isEqualTo("## LLM judge: 1 verdict, 1 below threshold, 0 errors\n\n"
                + "No quality gate was evaluated.\n\n"
                + "commit unknown · judge gpt-4.1 · baseline: none\n\n"
                + "0 recorded, 1 judged in this run · 2 tokens · <$0.01\n\n"
                + "per judged verdict: 1 prompt tokens (0 cached) · 1 reply tokens · ~$0.0000\n\n"
                + "| metric | checks | passed | failed | errors | mean | p90 | pass rate | skipped |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                + "| answer\\_similarity | 1 | 0 | 1 | 0 | 2.00 | 2.00 | 0% | 0 |\n\n"
                + "### Below threshold or in error\n\n"
                + "- **FAILED** answer\\_similarity 2 < 4 — Bot &gt; pipes \\| and &lt;b&gt;tags&lt;/b&gt;: It says \\*Lyon\\*\n\n"
                + "Full report: `target/llm-judge/report.html`\n");
    }
}
