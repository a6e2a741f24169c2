package dev.llmjudge.internal.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.testsupport.ChromiumPage;
import dev.llmjudge.judge.JudgeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reports built from report rows, as the run-wide listener builds them. */
final class ReportFixtures {

    /** Would set {@code window.__pwned} and the title if it ever ran as markup. */
    static final String SCRIPT_PAYLOAD = "<script>window.__pwned=1;document.title='pwned'</script>";
    static final String ATTRIBUTE_PAYLOAD = "\"><img src=x onerror=\"window.__pwned=2;document.title='pwned'\">";
    static final String URL_PAYLOAD = "javascript:window.__pwned=3";
    static final String SINGLE_QUOTE_PAYLOAD = "x' onmouseover='window.__pwned=4";
    static final String METRIC_PAYLOAD = "tone\"><script>window.__pwned=5</script>";
    static final String ERROR_PAYLOAD = "<img src=x onerror=alert(1)>";

    private static final Instant AT = Instant.parse("2025-05-01T10:15:30Z");

    private ReportFixtures() {
    }

    /** A run with every outcome, long texts, hostile texts, an all-errors metric and a baseline. */
    static RunReport mixedRun() {
        List<ReportRow> checks = new ArrayList<>();
        EvaluationCase refund = new EvaluationCase("How long do I have to return an item?",
                "You can return any item within 30 days of delivery for a full refund.",
                "Items can be returned within 30 days of delivery; refunds go to the original payment method.", null);
        checks.add(passed("SupportBotTest > refund policy", "answer_similarity", refund, 5, 4, true, 812, 420, 96));
        checks.add(failed("SupportBotTest > shipping abroad", "answer_similarity",
                new EvaluationCase("Do you ship to Canada?", "We only ship within the United States.",
                        "Yes, we ship to Canada and Mexico; delivery takes 5-8 business days.", null),
                2, 4, false, 1_534, 455, 141, longJustification()));
        checks.add(passed("RagTest > warranty from the manual", "faithfulness",
                new EvaluationCase("What does the warranty cover?", "The warranty covers manufacturing defects for two years.", null,
                        longContext()),
                4, 3, false, 2_210, 1_903, 88));
        checks.add(error("RagTest > opening hours", "answer_correctness",
                new EvaluationCase("When are you open?", "9 to 5 on weekdays.", "Monday to Friday, 9am-5pm.", null),
                JudgeException.Reason.NETWORK, "cannot reach the judge at http://127.0.0.1:9/v1 (ConnectException: Connection refused): "
                        + "start the server or point OPENAI_BASE_URL at a reachable endpoint"));
        checks.add(error("RagTest > holidays", "answer_correctness", new EvaluationCase("Are you open on holidays?", "No.", "Closed on public holidays.", null),
                JudgeException.Reason.INVALID_REPLY, "the judge replied without a score: " + ERROR_PAYLOAD));
        checks.add(passed("Hostile <b>test</b> name " + SCRIPT_PAYLOAD, "answer_similarity",
                new EvaluationCase(URL_PAYLOAD, SCRIPT_PAYLOAD, ATTRIBUTE_PAYLOAD, SINGLE_QUOTE_PAYLOAD), 4, 4, true, 640, 377, 52,
                "Justification " + URL_PAYLOAD + " " + SCRIPT_PAYLOAD));
        checks.add(failed("Hostile metric", METRIC_PAYLOAD, EvaluationCase.ofAnswer("Whatever you say."), 1, 3, false, 700, 300, 40,
                "Curt. " + ATTRIBUTE_PAYLOAD));
        for (int i = 1; i <= 5; i++) {
            checks.add(passed("DatasetTest > [" + i + "] What is the capital of country " + i + "?", "answer_correctness",
                    new EvaluationCase("What is the capital of country " + i + "?", "City " + i + ".", "City " + i, null), i == 5 ? 4 : 5, 4,
                    i % 2 == 0, 500 + i * 10, 350, 30));
        }
        RunReport.BaselineComparison changes = new RunReport.BaselineComparison("baseline/report.json", List.of(
                new RunReport.ScoreChange("c0ffee01", "answer_similarity", "SupportBotTest > shipping abroad", 5, 2, true,
                        "We ship to 40 countries.", "We ship everywhere.", "Same meaning.", "Claims more than the ground truth."),
                new RunReport.ScoreChange("c0ffee02", "faithfulness", "RagTest > warranty from the manual", 3, 4, false,
                        "Two years.", "Two years.", "Partly supported.", "Supported."),
                new RunReport.ScoreChange("c0ffee03", METRIC_PAYLOAD, "Hostile metric " + SCRIPT_PAYLOAD, null, 1, false,
                        SCRIPT_PAYLOAD, ATTRIBUTE_PAYLOAD, null, SCRIPT_PAYLOAD)),
                List.of(new RunReport.BaselineCase("c0ffee04", "answer_similarity", "SupportBotTest > new case", 4, "New answer.")),
                List.of(new RunReport.BaselineCase("c0ffee05", "answer_similarity", "SupportBotTest > removed case", 5, "Old answer.")));
        return report(checks, changes, 0.0123);
    }

    /** The class of the review run's support bot tests, and its unique id. */
    static final String SUPPORT_CLASS = "[engine:junit-jupiter]/[class:com.example.SupportBotTest]";
    static final String FAQ_TEMPLATE = "[engine:junit-jupiter]/[class:com.example.FaqTest]/[test-template:answers_are_correct(dev.llmjudge.junit.DatasetRow)]";
    static final String CI_RUN = "https://github.com/acme/support-bot/actions/runs/123456";
    static final String COMMIT = "3f2a9c0d41b7e8aa3f2a9c0d41b7e8aa3f2a9c0d";

    /**
     * A run as a reviewer meets it: real test ids (classes, a nested class, display names, a dataset's
     * invocations), a dataset, skipped checks, a baseline with a drop of 3 and one of 1, gates of every
     * kind (three failed), unused verdict files and a history of six runs, this one last.
     */
    static RunReport reviewRun() {
        List<ReportRow> rows = new ArrayList<>(reviewRows());
        List<ReportRow> before = new ArrayList<>();
        for (ReportRow r : rows) {
            if (r.testName().endsWith("shipping abroad")) {
                before.add(withScore(r, 5, "We ship to Canada and Mexico.", "Same facts as the ground truth."));
            } else if (r.testName().endsWith("[4] Can I cancel my order?")) {
                before.add(withScore(r, 4, r.answer(), "Mostly right."));
            } else if (!r.skipped()) {
                before.add(r);
            }
        }
        RunReport.BaselineComparison comparison = Baseline.compare(rows, before, "main-report/report.json");
        String support = "SupportBotTest";
        List<GateResult> gates = List.of(
                GateResult.of(GateResult.CLASS, support, SUPPORT_CLASS, "answer_similarity", "mean", 3.6666666666666665,
                        GateResult.Relation.AT_LEAST, 3.5, false, "quality gate passed for SupportBotTest: mean answer_similarity 3.67 is at"
                                + " least 3.5 (3 scored, 0 errors)"),
                GateResult.of(GateResult.CLASS, support, SUPPORT_CLASS, "answer_similarity", GateResult.PASS_RATE, 2 / 3.0,
                        GateResult.Relation.AT_LEAST, 0.9, true, "quality gate failed for SupportBotTest: pass rate of answer_similarity 66.6%"
                                + " is below 90% (3 checks: 2 passed, 1 failed, 0 errors)"),
                GateResult.of(GateResult.MAX_DROP, support, SUPPORT_CLASS, null, "largest drop", 3.0, GateResult.Relation.BELOW, 2, false,
                        "quality gate failed for SupportBotTest: 1 case dropped by 2 or more against the baseline main-report/report.json:\n"
                                + "  answer_similarity 5 -> 2: SupportBotTest > shipping abroad"),
                GateResult.of(GateResult.DATASET, "FaqTest.answers_are_correct", "[engine:junit-jupiter]/[class:com.example.FaqTest]",
                        "answer_correctness", "mean", 4.0, GateResult.Relation.AT_LEAST, 4, false,
                        "quality gate passed for FaqTest.answers_are_correct: mean answer_correctness 4.00 is at least 4 (4 scored, 0 errors)"),
                GateResult.of(GateResult.RUN_WIDE, "FaqTest", "[engine:junit-jupiter]/[class:com.example.FaqTest]", "answer_correctness",
                        GateResult.PASS_RATE, 0.75, GateResult.Relation.AT_LEAST, 0.8, true, "quality gate failed for FaqTest: pass rate of"
                                + " answer_correctness 75% is below 80% (4 checks: 3 passed, 1 failed, 0 errors)"),
                GateResult.of(GateResult.MAX_DROP, "FaqTest", "[engine:junit-jupiter]/[class:com.example.FaqTest]", null, "largest drop", 1.0,
                        GateResult.Relation.BELOW, 2, false, "quality gate passed for FaqTest: no case dropped by 2 or more against the"
                                + " baseline main-report/report.json (largest drop: 1)"));
        VerdictFiles files = new VerdictFiles(List.of("src/test/llm-judge"), List.of("src/test/llm-judge/answer_similarity/5c1e.json"),
                List.of("src/test/llm-judge/answer_similarity/0ld0ld.json", "src/test/llm-judge/faithfulness/90ne.json"), VerdictFiles.REPORT,
                false, null);
        RunReport first = RunReports.builder(rows).baseline(comparison).generatedAt(Instant.parse("2025-05-01T10:16:00Z"))
                .run(new RunReport.RunInfo("surefire-20250501101500000", COMMIT, CI_RUN)).gates(gates).verdictFiles(files).build();
        List<RunHistory.RunSummary> history = new ArrayList<>();
        double[][] past = {{4.2, 1.0}, {4.1, 0.9}, {4.4, 1.0}, {Double.NaN, Double.NaN}, {3.9, 0.8}};
        for (int i = 0; i < past.length; i++) {
            Map<String, RunHistory.Point> points = new TreeMap<>();
            if (!Double.isNaN(past[i][0])) {
                points.put("answer_similarity", new RunHistory.Point(3, past[i][0], past[i][1], 1, 5));
            }
            points.put("answer_correctness", new RunHistory.Point(4, 4.5 - i * 0.1, 1.0 - i * 0.05, 1, 5));
            history.add(new RunHistory.RunSummary(RunHistory.SCHEMA, "run-" + i, "2025-04-2" + i + "T10:00:00Z", null, points));
        }
        history.add(RunHistory.summary(first, first.run().id(), COMMIT));
        return first.with(first.gates(), first.verdictFiles(), history);
    }

    private static List<ReportRow> reviewRows() {
        List<ReportRow> rows = new ArrayList<>();
        String support = SUPPORT_CLASS;
        rows.add(row(support + "/[method:refundPolicy()]", "SupportBotTest > refund policy", "PASSED", "answer_similarity", 5, 4,
                "Refunds are possible within 30 days of delivery.", "Refunds are possible within 30 days of delivery only.", null));
        rows.add(row(support + "/[method:shippingAbroad()]", "SupportBotTest > shipping abroad", "FAILED", "answer_similarity", 2, 4,
                "We only ship within the United States.", "Yes, we ship to Canada and Mexico; delivery takes 5-8 business days.", null));
        rows.add(row(support + "/[nested-class:Refunds]/[method:late_return_after_thirty_days()]", "SupportBotTest > Refunds > late_return_after_thirty_days()",
                "PASSED", "answer_similarity", 4, 4, "After 30 days we cannot refund.", "No refunds after 30 days.", null));
        String[] questions = {"How long do I have to return an item?", "When will I get my refund?", "Do you ship to Canada?",
                "Can I cancel my order?", "Is shipping free?", "Who pays customs duties?"};
        int[] scores = {5, 4, 4, 3};
        for (int i = 0; i < questions.length; i++) {
            String id = FAQ_TEMPLATE + "/[test-template-invocation:#" + (i + 1) + "]";
            String name = "FaqTest > answers_are_correct(DatasetRow) > [" + (i + 1) + "] " + questions[i];
            rows.add(i < scores.length ? row(id, name, scores[i] >= 4 ? "PASSED" : "FAILED", "answer_correctness", scores[i], 4, "Answer " + (i + 1) + ".",
                    "Ground truth " + (i + 1) + ".", "datasets/faq.jsonl")
                    : skippedRow(id, name, "answer_relevance", "datasets/faq.jsonl"));
        }
        int[] cosines = {83, 88, 91, 57};
        for (int i = 0; i < cosines.length; i++) {
            ReportRow r = row("[engine:junit-jupiter]/[class:com.example.SimilarityTest]/[test-template:similar(dev.llmjudge.junit.DatasetRow)]"
                    + "/[test-template-invocation:#" + (i + 1) + "]", "SimilarityTest > similar(DatasetRow) > [" + (i + 1) + "] case " + (i + 1),
                    cosines[i] >= 80 ? "PASSED" : "FAILED", "semantic_similarity", cosines[i], 80, "Answer " + i + ".", "Truth " + i + ".",
                    "datasets/similar.jsonl");
            rows.add(RowBuilder.from(r).withMinScore(0).withMaxScore(100).withJudgeModel("all-minilm-l6-v2-q (embedding)").withCached(true)
                    .withLatencyMillis(3L).withPromptTokens(0L).withCompletionTokens(0L).build());
        }
        return rows;
    }

    private static ReportRow row(String testId, String testName, String outcome, String metric, int score, int threshold, String answer,
            String groundTruth, String dataset) {
        return RowBuilder.row().withTestId(testId).withTestName(testName).withCaseKey(testId.replace("[engine:junit-jupiter]/", ""))
                .withOutcome(outcome).withMetric(metric).withScore(score).withThreshold(threshold).withJustification("Scored " + score + ".")
                .withAnswer(answer).withGroundTruth(groundTruth).withCached(!"FAILED".equals(outcome)).withLatencyMillis(900L)
                .withPromptTokens(400L).withCompletionTokens(60L)
                .withCacheFile("src/test/llm-judge/" + metric + "/" + Integer.toHexString(testName.hashCode()) + ".json")
                .withAt(AT.toString()).withDataset(dataset).build();
    }

    private static ReportRow skippedRow(String testId, String testName, String metric, String dataset) {
        return RowBuilder.row().withTestId(testId).withTestName(testName).withCaseKey(testId.replace("[engine:junit-jupiter]/", ""))
                .withMetric(metric).skipped("skipped: no API key for the judge: set OPENAI_API_KEY (llmjudge.judge.missing-key=skip)").withAnswer("An answer.")
                .withGroundTruth(null).withAt(AT.toString()).withDataset(dataset).build();
    }

    private static ReportRow withScore(ReportRow r, int score, String answer, String justification) {
        return RowBuilder.from(r).withOutcome(score >= r.threshold() ? "PASSED" : "FAILED").withScore(score).withSamples(List.of(score))
                .withJustification(justification).withAnswer(answer).withCached(true).withErrorReason(null).withErrorMessage(null).build();
    }

    /** A browser for a test class with this report's page, written to {@code llm-judge/report.html} in the page's directory. */
    static ChromiumPage inChromium(RunReport report) {
        return new ChromiumPage(dir -> {
            Path file = dir.resolve("llm-judge/report.html");
            HtmlReportWriter.write(report, file);
            return file;
        });
    }

    /** Only judge errors: every score aggregate is NaN. */
    static RunReport errorsOnly() {
        List<ReportRow> checks = List.of(
                error("OfflineTest > replay without a recording", "answer_similarity", EvaluationCase.ofAnswer("Hello."),
                        JudgeException.Reason.NOT_RECORDED, "no verdict is recorded for this case and llmjudge.cache.mode=replay"),
                error("OfflineTest > no key", "answer_similarity", EvaluationCase.ofAnswer("Hi."), JudgeException.Reason.NOT_CONFIGURED,
                        "no API key: set OPENAI_API_KEY"));
        return report(checks, null, null);
    }

    static RunReport report(List<ReportRow> checks, RunReport.BaselineComparison changes, Double cost) {
        int verdicts = 0;
        int cached = 0;
        int below = 0;
        int errors = 0;
        long tokens = 0;
        for (ReportRow c : checks) {
            if (!c.scored()) {
                errors++;
                continue;
            }
            verdicts++;
            below += ReportRow.FAILED.equals(c.outcome()) ? 1 : 0;
            if (c.cached()) {
                cached++;
            } else {
                tokens += c.promptTokens() + c.completionTokens();
            }
        }
        return reportOf(RunReport.SCHEMA_VERSION, "2025-05-01T10:16:00Z", checks, MetricStats.byMetric(checks), changes,
                new RunReport.Totals(verdicts, cached, verdicts - cached, below, errors, 0, tokens, cost, 0, 0));
    }

    /**
     * A report of {@code rows} with these metrics, baseline ({@code null} for none) and totals, and nothing else: an unnamed run
     * without warnings, calibrations, gates, verdict files, history or calls outside checks.
     */
    static RunReport reportOf(int schemaVersion, String generatedAt, List<ReportRow> rows, Map<String, MetricStats> metrics,
            RunReport.BaselineComparison baseline, RunReport.Totals totals) {
        return new RunReport(schemaVersion, generatedAt, rows, metrics, baseline, totals, List.of(), List.of(), RunReport.RunInfo.UNKNOWN,
                List.of(), VerdictFiles.NONE, List.of(), List.of());
    }

    static ReportRow passed(String test, String metric, EvaluationCase c, int score, int threshold, boolean cached, long millis,
            long prompt, long completion) {
        return passed(test, metric, c, score, threshold, cached, millis, prompt, completion, "The answer states the same facts as the ground truth.");
    }

    static ReportRow passed(String test, String metric, EvaluationCase c, int score, int threshold, boolean cached, long millis,
            long prompt, long completion, String justification) {
        return scored(ReportRow.PASSED, test, metric, c, score, threshold, cached, millis, prompt, completion, justification, "judge-test-model");
    }

    static ReportRow failed(String test, String metric, EvaluationCase c, int score, int threshold, boolean cached, long millis,
            long prompt, long completion, String justification) {
        return scored(ReportRow.FAILED, test, metric, c, score, threshold, cached, millis, prompt, completion, justification, "judge-test-model");
    }

    /** A scored row as the report listener makes it from a check's outcome. */
    static ReportRow scored(String outcome, String test, String metric, EvaluationCase c, int score, int threshold, boolean cached,
            long millis, long prompt, long completion, String justification, String model) {
        return ofCase(test, c).withOutcome(outcome).withMetric(metric).withScore(score).withThreshold(threshold).withJustification(justification)
                .withJudgeModel(model).withCached(cached).withLatencyMillis(millis).withPromptTokens(prompt).withCompletionTokens(completion)
                .withCacheFile(cached ? "src/test/resources/llm-judge/" + metric + "/key.json" : null).build();
    }

    static ReportRow error(String test, String metric, EvaluationCase c, JudgeException.Reason reason, String message) {
        return ofCase(test, c).withDescription("checked by " + metric).withMetric(metric).errored(reason.name(), message).build();
    }

    /** A check of method {@code test} on case {@code c}, at {@link #AT}. */
    private static RowBuilder ofCase(String test, EvaluationCase c) {
        return RowBuilder.row().withTestId("[engine:junit-jupiter]/[method:" + test + "]").withTestName(test).withCaseKey("method:" + test)
                .withQuestion(c.question()).withAnswer(c.answer()).withGroundTruth(c.groundTruth()).withContext(c.context())
                .withAt(AT.toString());
    }

    /** Writes {@code report} as {@code report.json} in {@code dir} with {@code fields} removed from every row, as an earlier version wrote it. */
    static Path writtenWithoutRowFields(RunReport report, Path dir, List<String> fields) throws IOException {
        Path file = dir.resolve("report.json");
        JsonReport.write(report, "run-1", file);
        ObjectMapper json = new ObjectMapper();
        JsonNode document = json.readTree(file.toFile());
        for (JsonNode row : document.path("rows")) {
            ((ObjectNode) row).remove(fields);
        }
        Files.writeString(file, json.writeValueAsString(document));
        return file;
    }

    private static String longJustification() {
        return "The answer contradicts the ground truth on the key fact.\n\n"
                + "The ground truth says that the shop ships to Canada and Mexico with a delivery time of five to eight business days, "
                + "while the answer claims that shipping is limited to the United States. A customer reading this answer would wrongly "
                + "conclude that they cannot order from Canada, which is the opposite of the reference. The answer is fluent and on topic, "
                + "so it is not entirely dissimilar, but the one fact the question asks about is wrong.\n\nScore: 2.";
    }

    private static String longContext() {
        StringBuilder s = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            s.append("Section ").append(i).append(". The limited warranty covers defects in materials and workmanship under normal use for "
                    + "two years from the date of purchase; it does not cover accidental damage, wear and tear, or unauthorised repairs.\n");
        }
        return s.toString();
    }
}
