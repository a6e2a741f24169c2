package dev.llmjudge.internal.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
        return new RunReport(RunReport.SCHEMA_VERSION, "2025-05-01T10:16:00Z", checks, MetricStats.byMetric(checks), changes,
                new RunReport.Totals(verdicts, cached, verdicts - cached, below, errors, 0, tokens, cost));
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
        return new ReportRow("[engine:junit-jupiter]/[method:" + test + "]", test, "method:" + test, 1, null, outcome, metric, "v1", score,
                1, 5, threshold, justification, c.question(), c.answer(), c.groundTruth(), c.context(), model, cached, millis, prompt,
                completion, null, null, cached ? "src/test/resources/llm-judge/" + metric + "/key.json" : null, AT.toString());
    }

    static ReportRow error(String test, String metric, EvaluationCase c, JudgeException.Reason reason, String message) {
        return new ReportRow("[engine:junit-jupiter]/[method:" + test + "]", test, "method:" + test, 1, "checked by " + metric, ReportRow.ERROR,
                metric, null, null, null, null, 4, null, c.question(), c.answer(), c.groundTruth(), c.context(), null, null, null, null, null,
                reason.name(), message, null, AT.toString());
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
