package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RowBuilder;
import dev.llmjudge.internal.report.RunHeader;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.internal.report.RunReports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.owasp.encoder.Encode;
import org.junit.jupiter.api.io.TempDir;

/** What the merge of shard reports refuses, naming the problem and its files, and how it ends: its exit status. */
class MergeReportsTest {
    private static final RunHeader.JudgeSettings JUDGE = new RunHeader.JudgeSettings("gpt-4.1", "api.openai.com", 0.0, 42L, 1024);
    private static final String REFUSAL = "llm-judge: cannot merge the reports:\n";

    @TempDir
    Path dir;

    private record Merge(int status, String out, String err) {
    }

    private Merge merge(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MergeReports.run(List.of(args), environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Merge(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Merge merge(String... args) {
        return merge(Map.of(), args);
    }

    /** A check of {@code testClass} as the report listener records it. */
    private static ReportRow row(String testClass, String method, int score) {
        return shardRow(testClass, method, score).withOutcome(score >= 4 ? ReportRow.PASSED : ReportRow.FAILED).build();
    }

    /** A cached check of {@code testClass} scored {@code score} on answer_similarity, whose answer names {@code method}. */
    private static RowBuilder shardRow(String testClass, String method, int score) {
        String simple = testClass.substring(testClass.lastIndexOf('.') + 1);
        return RowBuilder.row().withTestId("[engine:junit-jupiter]/[class:" + testClass + "]/[method:" + method + "]")
                .withTestName(simple + " > " + method).withCaseKey("class:" + testClass + "/method:" + method).withScore(score)
                .withJustification("Scored " + score + ".").withAnswer("Answer of " + method + ".").withGroundTruth("Truth.").withCached(true)
                .withPromptTokens(0L).withCompletionTokens(0L);
    }

    private Path report(String name, RunHeader header, ReportRow... rows) throws IOException {
        Path file = dir.resolve(name).resolve("report.json");
        JsonReport.write(RunReports.build(List.of(rows), null, Instant.parse("2025-05-01T10:16:00Z")), header, file);
        return file;
    }

    /** As {@link #report(String, RunHeader, ReportRow...)}, of a run that tested {@code commit} ({@code null}: not known). */
    private Path ofCommit(String name, RunHeader header, String commit, ReportRow... rows) throws IOException {
        Path file = dir.resolve(name).resolve("report.json");
        JsonReport.write(RunReports.builder(List.of(rows)).generatedAt(Instant.parse("2025-05-01T10:16:00Z"))
                .run(new RunReport.RunInfo(header.runId(), commit, null)).build(), header, file);
        return file;
    }

    private static RunHeader shard(String shard) {
        return new RunHeader("run-ci-7-shard-" + shard.replace("/", "-of-"), shard, 4, JUDGE, List.of());
    }

    /** Three shard reports of one run: a class each. */
    private List<Path> threeShards() throws IOException {
        return List.of(
                report("shard-1", shard("1/3"), row("com.example.RefundTest", "within30()", 5), row("com.example.RefundTest", "late()", 3)),
                report("shard-2", shard("2/3"), row("com.example.ShippingTest", "canada()", 4)),
                report("shard-3", shard("3/3"), row("com.example.WarrantyTest", "twoYears()", 5)));
    }

    private static String[] args(List<String> options, List<Path> reports) {
        List<String> args = new ArrayList<>(options);
        reports.forEach(r -> args.add(r.toString()));
        return args.toArray(String[]::new);
    }

    private String out() {
        return dir.resolve("merged").toString();
    }

    private void assertNothingWritten() {
        assertThat(dir.resolve("merged")).doesNotExist();
    }

    @Test
    void should_refuse_reports_of_different_judge_models_naming_the_files() throws IOException {
        Path a = report("a", shard("1/3"), row("com.example.RefundTest", "within30()", 5));
        Path b = report("b", new RunHeader("run-ci-7-shard-2-of-3", "2/3", 4,
                new RunHeader.JudgeSettings("gpt-4.1-mini", "api.openai.com", 0.0, 42L, 1024), List.of()), row("com.example.ShippingTest", "canada()", 4));
        Path c = report("c", shard("3/3"), row("com.example.WarrantyTest", "twoYears()", 5));

        Merge merge = merge(args(List.of("--shards", "3", "--out", out()), List.of(a, b, c)));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(merge.err()).isEqualTo(REFUSAL + "  - the reports differ in the judge model (llmjudge.judge.model): gpt-4.1 in " + a + ", "
                + c + "; gpt-4.1-mini in " + b + ": run every shard with the same judge settings\n");
        assertThat(merge.out()).isEmpty();
        assertNothingWritten();
    }

    @Test
    void should_refuse_reports_of_different_endpoints_and_sampling() throws IOException {
        Path a = report("a", shard("1/2"), row("com.example.RefundTest", "within30()", 5));
        Path b = report("b", new RunHeader("run-ci-7-shard-2-of-2", "2/2", 4,
                new RunHeader.JudgeSettings("gpt-4.1", "localhost", 0.7, 42L, 1024), List.of()), row("com.example.ShippingTest", "canada()", 4));

        Merge merge = merge(args(List.of("--out", out()), List.of(a, b)));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(merge.err()).isEqualTo(REFUSAL
                + "  - the reports differ in the judge endpoint's host (llmjudge.judge.base-url, else OPENAI_BASE_URL): api.openai.com in "
                + a + "; localhost in " + b + ": run every shard with the same judge settings\n"
                + "  - the reports differ in the temperature (llmjudge.judge.temperature): 0.0 in " + a + "; 0.7 in " + b
                + ": run every shard with the same judge settings\n");
        assertNothingWritten();
    }

    @Test
    void should_refuse_shards_of_different_runs_and_a_shard_of_a_run_without_a_run_id() throws IOException {
        Path a = report("a", new RunHeader("run-ci-6-shard-1-of-3", "1/3", 4, JUDGE, List.of()), row("com.example.RefundTest", "late()", 5));
        Path b = report("b", shard("2/3"), row("com.example.ShippingTest", "canada()", 4));
        Path c = report("c", new RunHeader("surefire-20250501101530123-shard-3-of-3", "3/3", 4, JUDGE, List.of()),
                row("com.example.HoursTest", "weekend()", 4));

        Merge merge = merge(args(List.of("--out", out()), List.of(a, b, c)));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(merge.err()).isEqualTo(REFUSAL + "  - the reports differ in the run they are part of (llmjudge.report.run-id): run-ci-6 in "
                + a + "; run-ci-7 in " + b + "; no run id set in " + c + ": merge the shards of one run, each run with the same"
                + " llmjudge.report.run-id (the CI run's id)\n");
        assertNothingWritten();
    }

    @Test
    void should_merge_shards_that_set_no_run_id_each_with_the_id_its_run_made_up() throws IOException {
        Path a = report("a", new RunHeader("surefire-1-shard-1-of-2", "1/2", 4, JUDGE, List.of()), row("com.example.RefundTest", "late()", 5));
        Path b = report("b", new RunHeader("surefire-2-shard-2-of-2", "2/2", 4, JUDGE, List.of()), row("com.example.ShippingTest", "canada()", 4));

        Merge merge = merge(args(List.of("--out", out()), List.of(a, b)));

        assertThat(merge.status()).as(merge.err()).isEqualTo(MergeReports.MERGED);
    }

    @Test
    void should_refuse_shards_of_different_commits_that_set_no_run_id_and_compare_only_the_reports_that_know_their_commit() throws IOException {
        // Shard 2 is left over from a run of an earlier commit: without a configured run id nothing else tells it apart.
        Path a = ofCommit("a", new RunHeader("surefire-1-shard-1-of-3", "1/3", 4, JUDGE, List.of()), "4f2a9c1e", row("com.example.RefundTest", "late()", 5));
        Path b = ofCommit("b", new RunHeader("surefire-2-shard-2-of-3", "2/3", 4, JUDGE, List.of()), "0b7d3e55", row("com.example.ShippingTest", "canada()", 2));
        Path c = ofCommit("c", new RunHeader("surefire-3-shard-3-of-3", "3/3", 4, JUDGE, List.of()), null, row("com.example.HoursTest", "weekend()", 4));

        Merge merge = merge(args(List.of("--out", out()), List.of(a, b, c)));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(merge.err()).isEqualTo(REFUSAL + "  - the reports differ in the commit they tested: 4f2a9c1e in " + a + "; 0b7d3e55 in " + b
                + ": merge the reports of one run of one commit (a report left over from another run or commit is not this run's)\n");
        assertNothingWritten();
    }

    @Test
    void should_merge_shards_of_one_commit_into_a_report_of_that_commit() throws IOException {
        Path a = ofCommit("a", new RunHeader("surefire-1-shard-1-of-2", "1/2", 4, JUDGE, List.of()), "4f2a9c1e", row("com.example.RefundTest", "late()", 5));
        Path b = ofCommit("b", new RunHeader("surefire-2-shard-2-of-2", "2/2", 4, JUDGE, List.of()), "4f2a9c1e", row("com.example.ShippingTest", "canada()", 4));

        Merge merge = merge(args(List.of("--out", out()), List.of(a, b)));

        assertThat(merge.status()).as(merge.err()).isEqualTo(MergeReports.MERGED);
        assertThat(JsonReport.read(dir.resolve("merged/report.json")).run().commit()).isEqualTo("4f2a9c1e");
    }

    @Test
    void should_refuse_shards_that_drew_or_read_verdicts_differently_and_compare_old_reports_only_where_they_record() throws IOException {
        RunHeader.JudgeSettings five = new RunHeader.JudgeSettings("gpt-4.1", "api.openai.com", 0.0, 42L, 1024, 5, "reply", "decide");
        RunHeader.JudgeSettings one = new RunHeader.JudgeSettings("gpt-4.1", "api.openai.com", 0.0, 42L, 1024, 1, "probabilities", "decide");
        Path a = report("a", new RunHeader("run-ci-7-shard-1-of-3", "1/3", 4, five, List.of()), row("com.example.RefundTest", "late()", 5));
        Path b = report("b", new RunHeader("run-ci-7-shard-2-of-3", "2/3", 4, one, List.of()), row("com.example.ShippingTest", "canada()", 4));
        Path c = report("c", shard("3/3"), row("com.example.HoursTest", "weekend()", 4));

        Merge merge = merge(args(List.of("--out", out()), List.of(a, b, c)));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(merge.err()).isEqualTo(REFUSAL
                + "  - the reports differ in the samples per verdict (llmjudge.judge.samples): 5 in " + a + "; 1 in " + b
                + ": run every shard with the same judge settings\n"
                + "  - the reports differ in the scoring (llmjudge.judge.score-by): reply in " + a + "; probabilities in " + b
                + ": run every shard with the same judge settings\n");
        assertNothingWritten();
    }

    @Test
    void should_refuse_reports_of_different_key_formats() throws IOException {
        Path a = report("a", shard("1/2"), row("com.example.RefundTest", "within30()", 5));
        Path b = report("b", new RunHeader("run-ci-7-shard-2-of-2", "2/2", 3, JUDGE, List.of()), row("com.example.ShippingTest", "canada()", 4));

        Merge merge = merge(args(List.of("--shards", "2", "--out", out()), List.of(a, b)));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(merge.err()).isEqualTo(REFUSAL + "  - the reports differ in the verdict cache's key format: 4 in " + a + "; 3 in " + b
                + ": run every shard with the same version of llm-judge\n");
        assertNothingWritten();
    }

    @Test
    void should_refuse_a_case_that_is_in_two_shards() throws IOException {
        Path a = report("a", shard("1/2"), row("com.example.RefundTest", "within30()", 5), row("com.example.RefundTest", "late()", 3));
        Path b = report("b", shard("2/2"), row("com.example.RefundTest", "late()", 2), row("com.example.ShippingTest", "canada()", 4));

        Merge merge = merge(args(List.of("--shards", "2", "--out", out()), List.of(a, b)));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        String caseId = dev.llmjudge.internal.report.CaseIds.of(row("com.example.RefundTest", "late()", 2));
        assertThat(merge.err()).isEqualTo(REFUSAL + "  - 1 case is in more than one report: a test class ran in two shards, or a report is"
                + " given twice\n      RefundTest > late() (answer_similarity, case " + caseId + ") is in " + a + " and " + b + "\n");
        assertNothingWritten();
    }

    @Test
    void should_refuse_a_missing_shard_when_told_the_number_of_shards() throws IOException {
        List<Path> shards = threeShards();

        Merge told = merge(args(List.of("--shards", "3", "--out", out()), List.of(shards.get(0), shards.get(2))));
        Merge inferred = merge(args(List.of("--out", out()), List.of(shards.get(0), shards.get(1))));
        Merge fewerThanTold = merge(args(List.of("--shards", "4", "--out", out()), shards));

        assertThat(told.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(told.err()).isEqualTo(REFUSAL + "  - shard 2/3 is missing (given: 1/3 in " + shards.get(0) + "; 3/3 in " + shards.get(2)
                + "): give the report.json of every shard; a shard that judged nothing writes one too\n");
        assertThat(inferred.status()).as("N as the reports record it").isEqualTo(MergeReports.REFUSED);
        assertThat(inferred.err()).contains("  - shard 3/3 is missing (given: 1/3 in " + shards.get(0) + "; 2/3 in " + shards.get(1) + ")");
        assertThat(fewerThanTold.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(fewerThanTold.err()).contains("  - " + shards.get(0) + " is shard 1/3, not a shard of 4 (--shards 4): merge the shards of one"
                + " run, all run with llmjudge.shard=K/4\n").contains("  - shards 1/4, 2/4, 3/4, 4/4 are missing: give the report.json of every shard");
        assertNothingWritten();
    }

    @Test
    void should_refuse_a_shard_given_twice() throws IOException {
        List<Path> shards = new ArrayList<>(threeShards());
        Path again = report("shard-2-again", shard("2/3"), row("com.example.ReturnsTest", "damaged()", 4));
        shards.add(again);

        Merge merge = merge(args(List.of("--shards", "3", "--out", out()), shards));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(merge.err()).isEqualTo(REFUSAL + "  - shard 2/3 is given twice: " + shards.get(1) + ", " + again
                + ": give each shard's report once\n");
        assertNothingWritten();
    }

    @Test
    void should_refuse_the_same_file_given_twice_even_when_its_shard_judged_nothing() throws IOException {
        List<Path> shards = threeShards();
        Path empty = report("shard-2-empty", shard("2/3"));

        Merge merge = merge(args(List.of("--out", out()), List.of(shards.get(0), empty, empty, shards.get(2))));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(merge.err()).isEqualTo(REFUSAL + "  - shard 2/3 is given twice: " + empty + ", " + empty + ": give each shard's report once\n");
        assertNothingWritten();
    }

    @Test
    void should_refuse_files_it_cannot_read_naming_each() throws IOException {
        List<Path> shards = threeShards();
        Path missing = dir.resolve("shard-4/report.json");
        Path truncated = Files.writeString(dir.resolve("truncated.json"), "{\"schema\": \"llm-judge-report\", \"schemaVersion\": 2, \"rows\": [");
        Path notAReport = Files.writeString(dir.resolve("package.json"), "{\"name\": \"web-app\"}");
        Path badRow = Files.writeString(dir.resolve("bad-row.json"), "{\"schema\": \"llm-judge-report\", \"schemaVersion\": 2, \"rows\":"
                + " [{\"metric\": \"answer_similarity\", \"outcome\": \"PASSED\", \"score\": \"five\"}]}");

        Merge merge = merge(args(List.of("--out", out()), List.of(shards.get(0), missing, truncated, notAReport, badRow)));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(merge.err()).startsWith(REFUSAL + "  - " + missing + " does not exist: give the report.json each shard wrote"
                + " (llmjudge.report.dir, target/llm-judge by default)\n  - " + truncated + " is not valid JSON: ")
                .contains("\n  - " + notAReport + " is not an llm-judge report (no \"schema\": \"llm-judge-report\")\n")
                .contains("\n  - " + badRow + ": row 1 is malformed: score (")
                .doesNotContain(shards.get(0).toString());
        assertNothingWritten();
    }

    @Test
    void should_refuse_a_report_without_judge_settings_and_one_without_a_shard() throws IOException {
        List<Path> shards = threeShards();
        Path old = dir.resolve("old/report.json");
        JsonReport.write(RunReports.build(List.of(row("com.example.OldTest", "old()", 5)), null, Instant.now()), "run-ci-6", old);
        Path whole = report("whole", new RunHeader("run-ci-7", null, 4, JUDGE, List.of()), row("com.example.OtherTest", "other()", 5));

        Merge withOld = merge(args(List.of("--out", out()), List.of(shards.get(0), shards.get(1), shards.get(2), old)));
        Merge withWhole = merge(args(List.of("--out", out()), List.of(shards.get(0), shards.get(1), shards.get(2), whole)));

        assertThat(withOld.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(withOld.err()).contains("  - " + old + " records no judge settings or key format: it was written by an earlier version of"
                + " llm-judge; run that shard again with this version\n");
        assertThat(withWhole.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(withWhole.err()).isEqualTo(REFUSAL + "  - " + whole + " is not the report of a shard (no llmjudge.shard), but "
                + String.join(", ", shards.stream().map(Path::toString).toList()) + " are: run each shard with -Dllmjudge.shard=K/N and merge"
                + " the reports of one run\n");
        assertNothingWritten();
    }

    @Test
    void should_refuse_a_command_line_it_cannot_read_with_the_usage() {
        Merge none = merge("--shards", "3");
        Merge zero = merge("--shards", "0", "shard-1/report.json");
        Merge unknown = merge("--shard", "3", "shard-1/report.json");
        Merge notAKey = merge("-Dgate=3", "shard-1/report.json");

        assertThat(List.of(none, zero, unknown, notAKey)).allSatisfy(m -> {
            assertThat(m.status()).isEqualTo(MergeReports.REFUSED);
            assertThat(m.err()).contains("\nusage: MergeReports [--shards N] [--out DIR] [-Dllmjudge.<key>=<value>...] REPORT.json...\n");
        });
        assertThat(none.err()).startsWith("llm-judge: no report to merge: give the report.json of every shard\n");
        assertThat(zero.err()).startsWith("llm-judge: invalid value '0' for --shards: expected the number of shards, a whole number of at least 1\n");
        assertThat(unknown.err()).startsWith("llm-judge: unknown option '--shard'\n");
        assertThat(notAKey.err()).startsWith("llm-judge: '-Dgate=3' is not a setting: write -Dllmjudge.<key>=<value>, e.g."
                + " -Dllmjudge.gate.answer_similarity.min-mean=3.5\n");
        assertThat(merge("--help").status()).isEqualTo(MergeReports.MERGED);
    }

    @Test
    void should_refuse_a_malformed_gate_naming_the_key() throws IOException {
        Merge merge = merge(args(List.of("--out", out(), "-Dllmjudge.gate.answer_similarity.min-pass-rate=most"), threeShards()));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(merge.err()).isEqualTo(REFUSAL + "  - invalid value 'most' for llmjudge.gate.answer_similarity.min-pass-rate: expected a"
                + " pass rate from 0 to 1, or a percentage such as 90% (set by -Dllmjudge.gate.answer_similarity.min-pass-rate,"
                + " junit-platform.properties or LLMJUDGE_GATE_ANSWER_SIMILARITY_MIN_PASS_RATE)\n");
        assertNothingWritten();
    }

    @Test
    void should_fail_on_a_drop_against_the_baseline_and_append_the_summary_to_the_ci_job_summary() throws IOException {
        List<Path> shards = threeShards();
        Path baseline = report("main", new RunHeader("run-main", null, 4, JUDGE, List.of()),
                row("com.example.RefundTest", "within30()", 5), row("com.example.RefundTest", "late()", 5));
        Path stepSummary = Files.writeString(dir.resolve("step-summary.md"), "# Tests\n");

        Merge merge = merge(Map.of("GITHUB_STEP_SUMMARY", stepSummary.toString(), "LLMJUDGE_GATE_MAX_DROP", "2"),
                args(List.of("--out", out(), "-Dllmjudge.report.baseline=" + baseline), shards));

        assertThat(merge.status()).isEqualTo(MergeReports.GATE_FAILED);
        assertThat(merge.err()).isEqualTo("quality gate failed for RefundTest: 1 case dropped by 2 or more against the baseline " + baseline
                + ":\n  answer_similarity 5 -> 3: RefundTest > late()\n    same answer, judged again: \"Answer of late().\"\n"
                + "llm-judge: 1 quality gate failed on the merged report\n");
        JsonNode mergedReport = new ObjectMapper().readTree(dir.resolve("merged/report.json").toFile());
        assertThat(mergedReport.path("baseline").path("changes")).hasSize(1);
        assertThat(mergedReport.path("gates")).extracting(g -> g.path("kind").asText() + " " + g.path("scope").asText() + " "
                + g.path("passed").asBoolean()).containsExactly("MAX_DROP RefundTest false", "MAX_DROP ShippingTest true",
                "MAX_DROP WarrantyTest true");
        assertThat(Files.readString(dir.resolve("merged/report.html"))).contains("1 of 3 quality gates failed");
        String summary = Files.readString(dir.resolve("merged/summary.md"));
        assertThat(summary).contains("**\u2717 1 of 3 quality gates failed**");
        assertThat(Files.readString(stepSummary)).isEqualTo("# Tests\n\n" + summary);
        assertThat(summary).contains("Merged from 3 reports: shard 1/3 " + shards.get(0) + ", shard 2/3 " + shards.get(1) + ", shard 3/3 "
                + shards.get(2) + ".\n").contains("### Quality gates failed\n\n- quality gate failed for"
                + " RefundTest: 1 case dropped by 2 or more");
    }

    @Test
    void should_refuse_a_max_drop_beyond_the_scale_of_the_merged_classs_metric_naming_the_drops_allowed() throws IOException {
        Path baseline = report("main", new RunHeader("run-main", null, 4, JUDGE, List.of()), row("com.example.RefundTest", "late()", 5));

        Merge merge = merge(Map.of("LLMJUDGE_GATE_MAX_DROP", "7"), args(List.of("--out", out(), "-Dllmjudge.report.baseline=" + baseline),
                threeShards()));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(merge.err()).isEqualTo(REFUSAL + "  - llmjudge.gate.max-drop is 7, but no case of RefundTest can drop that much:"
                + " answer_similarity is scored 1 to 5, so a case drops by 4 at most and the gate could never fail. Set llmjudge.gate.max-drop"
                + " (or @LlmJudgeTest(maxScoreDrop), or the extension's maxScoreDrop(...)) to a whole number from 1 to 4\n");
        assertNothingWritten();
    }

    @Test
    void should_refuse_a_configured_min_mean_at_most_the_lowest_score_of_a_merged_classs_metric() throws IOException {
        Merge merge = merge(Map.of("LLMJUDGE_GATE_ANSWER_SIMILARITY_MIN_MEAN", "0.9"), args(List.of("--out", out()), threeShards()));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(merge.err()).isEqualTo(REFUSAL + "  - llmjudge.gate.answer_similarity.min-mean is 0.9, but no mean of answer_similarity in"
                + " RefundTest can be below that: answer_similarity is scored 1 to 5, so its mean is 1 at least and the gate could never"
                + " fail. Set llmjudge.gate.answer_similarity.min-mean to more than 1 and at most 5 (the share of checks that must pass is"
                + " llmjudge.gate.answer_similarity.min-pass-rate, e.g. 90%)\n");
        assertNothingWritten();
    }

    /** A check of {@code testClass} by {@code metric}, scored {@code score} on its scale from {@code min} to {@code max}. */
    private static ReportRow scored(String testClass, String method, String metric, int min, int max, int score) {
        return shardRow(testClass, method, score).withMetric(metric).withMinScore(min).withMaxScore(max).withThreshold(min).build();
    }

    /** Two shards: RefundTest checks a metric scored 1 to 5 and one scored 0 to 100, ShippingTest the first alone. */
    private List<Path> mixedScaleShards(int similarity, int semantic) throws IOException {
        return List.of(
                report("shard-1", shard("1/2"), scored("com.example.RefundTest", "late()", "answer_similarity", 1, 5, similarity),
                        scored("com.example.RefundTest", "meaning()", "semantic_similarity", 0, 100, semantic)),
                report("shard-2", shard("2/2"), scored("com.example.ShippingTest", "canada()", "answer_similarity", 1, 5, 5)));
    }

    @Test
    void should_fail_the_drop_gate_for_a_case_whose_metric_is_scored_on_another_scale_than_in_the_baseline() throws IOException {
        // tone went from levels 1 to 5 to a score from 0 to 100: 5 of 5 then 40 of 100 now reads as a rise of 35, not the drop it is.
        Path baseline = report("main", new RunHeader("run-main", null, 4, JUDGE, List.of()),
                scored("com.example.RefundTest", "late()", "tone", 1, 5, 5), scored("com.example.RefundTest", "within30()", "tone", 1, 5, 5));
        List<Path> shards = List.of(
                report("shard-1", shard("1/2"), scored("com.example.RefundTest", "late()", "tone", 0, 100, 40),
                        scored("com.example.RefundTest", "within30()", "tone", 1, 5, 2)),
                report("shard-2", shard("2/2"), row("com.example.ShippingTest", "canada()", 5)));

        Merge merge = merge(args(List.of("--out", out(), "-Dllmjudge.report.baseline=" + baseline, "-Dllmjudge.gate.max-drop=2"), shards));

        assertThat(merge.status()).as(merge.err()).isEqualTo(MergeReports.GATE_FAILED);
        assertThat(merge.err()).startsWith("quality gate failed for RefundTest: 1 case cannot be compared with the baseline " + baseline
                + ", as its metric is scored on another scale now, so a drop of its cannot be told:\n"
                + "  tone scored 1 to 5 in the baseline, 0 to 100 now: RefundTest > late()\n"
                + "Compare with a baseline judged on the same scales (the report of a run with the changed metric), or leave"
                + " llmjudge.report.baseline unset for the run that changes a scale\n"
                + "quality gate failed for RefundTest: 1 case dropped by 2 or more against the baseline " + baseline + ":\n"
                + "  tone 5 -> 2: RefundTest > within30()\n");
        assertThat(JsonReport.read(dir.resolve("merged/report.json")).gates()).filteredOn(g -> g.scope().equals("RefundTest"))
                .extracting(GateResult::passed, GateResult::value).containsExactly(tuple(false, null));
    }

    @Test
    void should_gate_a_merged_classs_metric_on_its_own_max_drop_and_its_other_metrics_on_the_class_wide_one() throws IOException {
        Path baseline = report("main", new RunHeader("run-main", null, 4, JUDGE, List.of()),
                scored("com.example.RefundTest", "late()", "answer_similarity", 1, 5, 5),
                scored("com.example.RefundTest", "meaning()", "semantic_similarity", 0, 100, 85),
                scored("com.example.ShippingTest", "canada()", "answer_similarity", 1, 5, 5));

        Merge merge = merge(Map.of("LLMJUDGE_GATE_MAX_DROP", "2"), args(List.of("--out", out(), "-Dllmjudge.report.baseline=" + baseline,
                "-Dllmjudge.gate.semantic_similarity.max-drop=20"), mixedScaleShards(4, 60)));

        assertThat(merge.status()).isEqualTo(MergeReports.GATE_FAILED);
        assertThat(merge.err()).isEqualTo("quality gate failed for RefundTest: 1 case of semantic_similarity dropped by 20 or more against"
                + " the baseline " + baseline + ":\n  semantic_similarity 85 -> 60: RefundTest > meaning()\n    same answer, judged again:"
                + " \"Answer of meaning().\"\nllm-judge: 1 quality gate failed on the merged report\n");
        JsonNode mergedReport = new ObjectMapper().readTree(dir.resolve("merged/report.json").toFile());
        assertThat(mergedReport.path("gates")).extracting(g -> g.path("kind").asText() + " " + g.path("scope").asText() + " "
                + (g.path("metric").isTextual() ? g.path("metric").asText() : "every metric") + " " + g.path("bound").asInt() + " "
                + g.path("value").asInt() + " " + g.path("passed").asBoolean()).containsExactly(
                        "MAX_DROP RefundTest every metric 2 1 true", "MAX_DROP RefundTest semantic_similarity 20 25 false",
                        "MAX_DROP ShippingTest every metric 2 0 true");
        assertThat(Files.readString(dir.resolve("merged/summary.md")))
                .contains("| **✗ failed** | baseline drop | RefundTest | semantic\\_similarity | largest drop | 25 | &lt; 20 |")
                .contains("| ✓ passed | baseline drop | RefundTest | every other metric | largest drop | 1 | &lt; 2 |")
                .contains("| ✓ passed | baseline drop | ShippingTest | every metric | largest drop | 0 | &lt; 2 |");
        assertThat(Files.readString(dir.resolve("merged/report.html"))).contains("<span class=\"none\">every other metric</span>");
    }

    @Test
    void should_refuse_a_class_wide_max_drop_a_metric_of_the_merged_class_cannot_reach_naming_the_metrics_own_key() throws IOException {
        Path baseline = report("main", new RunHeader("run-main", null, 4, JUDGE, List.of()),
                scored("com.example.RefundTest", "late()", "answer_similarity", 1, 5, 5));

        Merge merge = merge(Map.of("LLMJUDGE_GATE_MAX_DROP", "10"), args(List.of("--out", out(), "-Dllmjudge.report.baseline=" + baseline),
                mixedScaleShards(5, 85)));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(merge.err()).isEqualTo(REFUSAL + "  - llmjudge.gate.max-drop is 10, but no case of answer_similarity in RefundTest can"
                + " drop that much: answer_similarity is scored 1 to 5, semantic_similarity 0 to 100, so a case of answer_similarity drops"
                + " by 4 at most and the gate could never fail for it. Set llmjudge.gate.<metric>.max-drop for answer_similarity"
                + " (llmjudge.gate.answer_similarity.max-drop, a whole number from 1 to 4), or set llmjudge.gate.max-drop (or"
                + " @LlmJudgeTest(maxScoreDrop), or the extension's maxScoreDrop(...)) to a whole number from 1 to 4\n");
        assertNothingWritten();
    }

    @Test
    void should_refuse_a_metrics_own_max_drop_beyond_its_scale_in_a_merged_class() throws IOException {
        Path baseline = report("main", new RunHeader("run-main", null, 4, JUDGE, List.of()),
                scored("com.example.RefundTest", "late()", "answer_similarity", 1, 5, 5));

        Merge merge = merge(Map.of("LLMJUDGE_GATE_SEMANTIC_SIMILARITY_MAX_DROP", "101"), args(List.of("--out", out(),
                "-Dllmjudge.report.baseline=" + baseline, "-Dllmjudge.gate.max-drop=2"), mixedScaleShards(5, 85)));

        assertThat(merge.status()).isEqualTo(MergeReports.REFUSED);
        assertThat(merge.err()).isEqualTo(REFUSAL + "  - llmjudge.gate.semantic_similarity.max-drop is 101, but no case of"
                + " semantic_similarity in RefundTest can drop that much: semantic_similarity is scored 0 to 100, so a case drops by 100"
                + " at most and the gate could never fail. Set llmjudge.gate.semantic_similarity.max-drop to a whole number from 1 to"
                + " 100\n");
        assertNothingWritten();
    }

    @Test
    void should_warn_in_the_merged_report_and_on_the_console_when_the_baseline_does_not_exist() throws IOException {
        Path missing = dir.resolve("main-report/report.json");

        Merge merge = merge(Map.of("LLMJUDGE_GATE_MAX_DROP", "2"), args(List.of("--out", out(), "-Dllmjudge.report.baseline=" + missing),
                threeShards()));

        assertThat(merge.status()).isEqualTo(MergeReports.MERGED);
        String warning = "the baseline report " + missing + " (llmjudge.report.baseline) does not exist; scores are not compared, so this"
                + " baseline gate was not evaluated: llmjudge.gate.max-drop=2. Point it at a report.json of an earlier run, e.g. the main"
                + " branch's, or set llmjudge.report.baseline-required=true to fail that gate while it does not exist.";
        assertThat(merge.out()).containsOnlyOnce("llm-judge: warning: " + warning);
        JsonNode mergedReport = new ObjectMapper().readTree(dir.resolve("merged/report.json").toFile());
        assertThat(mergedReport.path("warnings")).extracting(w -> w.path("message").asText()).containsExactly(warning);
        assertThat(Files.readString(dir.resolve("merged/report.html"))).contains(Encode.forHtml(warning));
    }

    @Test
    void should_fail_the_merge_when_a_required_baseline_does_not_exist() throws IOException {
        Path missing = dir.resolve("main-report/report.json");

        Merge merge = merge(Map.of("LLMJUDGE_GATE_MAX_DROP", "2", "LLMJUDGE_REPORT_BASELINE_REQUIRED", "true"), args(List.of("--out", out(),
                "-Dllmjudge.report.baseline=" + missing), threeShards()));

        assertThat(merge.status()).as(merge.out()).isEqualTo(MergeReports.GATE_FAILED);
        assertThat(merge.err()).contains("the baseline report " + missing + " (llmjudge.report.baseline) does not exist and"
                + " llmjudge.report.baseline-required=true, so no case can be compared with it.");
        JsonNode mergedReport = new ObjectMapper().readTree(dir.resolve("merged/report.json").toFile());
        assertThat(mergedReport.path("gates")).isNotEmpty().allSatisfy(g -> {
            assertThat(g.path("kind").asText()).isEqualTo(GateResult.MAX_DROP);
            assertThat(g.path("passed").asBoolean()).isFalse();
        });
    }

    @Test
    void should_fail_each_drop_bound_of_a_merged_class_naming_its_metric_when_a_required_baseline_does_not_exist() throws IOException {
        Path missing = dir.resolve("main-report/report.json");

        Merge merge = merge(Map.of("LLMJUDGE_GATE_MAX_DROP", "2", "LLMJUDGE_REPORT_BASELINE_REQUIRED", "true"), args(List.of("--out", out(),
                "-Dllmjudge.report.baseline=" + missing, "-Dllmjudge.gate.semantic_similarity.max-drop=20"), mixedScaleShards(5, 85)));

        assertThat(merge.status()).isEqualTo(MergeReports.GATE_FAILED);
        String fetch = " can be compared with it. Fetch the baseline before the run (e.g. the main branch's report.json), or leave"
                + " llmjudge.report.baseline-required unset where there is none yet\n";
        String missingText = ": the baseline report " + missing + " (llmjudge.report.baseline) does not exist and"
                + " llmjudge.report.baseline-required=true, so ";
        assertThat(merge.err()).isEqualTo("quality gate failed for RefundTest" + missingText + "no case" + fetch
                + "quality gate failed for RefundTest" + missingText + "no case of semantic_similarity" + fetch
                + "quality gate failed for ShippingTest" + missingText + "no case" + fetch
                + "llm-judge: 3 quality gates failed on the merged report\n");
    }

    /** A check of {@code testClass} whose answer is {@code answer}, or, with {@code baselineAnswer}, its comparison with the baseline's answer. */
    private static ReportRow answered(String testClass, String method, String answer, String baselineAnswer, int score) {
        boolean comparison = baselineAnswer != null;
        return shardRow(testClass, method, score).withOrdinal(comparison ? PairwiseBaselineGate.ORDINAL : 1)
                .withDescription(comparison ? PairwiseBaselineGate.DESCRIPTION : null)
                .withMetric(comparison ? "pairwise_preference" : "answer_relevance").withMaxScore(comparison ? 3 : 5)
                .withThreshold(comparison ? 2 : 1).withAnswer(answer).withGroundTruth(baselineAnswer).build();
    }

    @Test
    void should_recompute_the_pairwise_baseline_gate_from_the_comparisons_the_shards_published() throws IOException {
        Path baseline = report("main", new RunHeader("run-main", null, 4, JUDGE, List.of()),
                answered("com.example.RefundTest", "within30()", "Within 30 days.", null, 5),
                answered("com.example.RefundTest", "late()", "Late refunds need a receipt.", null, 5));
        List<Path> shards = List.of(
                report("shard-1", shard("1/2"), answered("com.example.RefundTest", "within30()", "Within 30 days.", null, 5),
                        answered("com.example.RefundTest", "late()", "Maybe.", null, 5),
                        answered("com.example.RefundTest", "late()", "Maybe.", "Late refunds need a receipt.", 1)),
                report("shard-2", shard("2/2"), row("com.example.ShippingTest", "canada()", 4)));

        Merge merge = merge(Map.of("LLMJUDGE_GATE_PAIRWISE_BASELINE", "true", "LLMJUDGE_GATE_MAX_LOSS_RATE", "10%"),
                args(List.of("--out", out(), "-Dllmjudge.report.baseline=" + baseline), shards));

        assertThat(merge.status()).isEqualTo(MergeReports.GATE_FAILED);
        assertThat(merge.err()).isEqualTo("quality gate failed for RefundTest: 1 of 2 cases (50%) lose to the baseline's answers, more than"
                + " the 10% allowed (0 wins, 1 tie, 1 loss; judged pairwise in both orders against " + baseline + "):"
                + "\n  RefundTest > late()\n    baseline answer: \"Late refunds need a receipt.\"\n    answer now:      \"Maybe.\"\n"
                + "llm-judge: 1 quality gate failed on the merged report\n");
    }

    /** The command as CI runs it: its own JVM, whose exit status the job sees. */
    @Test
    void should_exit_with_its_status_when_run_as_a_command() throws Exception {
        List<Path> shards = threeShards();
        List<String> merged = new ArrayList<>(List.of("--out", out()));
        shards.forEach(s -> merged.add(s.toString()));
        List<String> gated = new ArrayList<>(merged);
        gated.add(0, "-Dllmjudge.gate.answer_similarity.min-pass-rate=90%");
        List<String> refused = List.of("--shards", "3", "--out", out(), shards.get(0).toString());

        assertThat(exitStatusOf(merged)).isEqualTo(0);
        assertThat(exitStatusOf(gated)).isEqualTo(1);
        assertThat(exitStatusOf(refused)).isEqualTo(2);
    }

    private int exitStatusOf(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), MergeReports.class.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("command.log").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
