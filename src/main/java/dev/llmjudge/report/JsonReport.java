package dev.llmjudge.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmjudge.judge.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The JSON report ({@code report.json}): a documented, versioned schema that later runs read
 * back as their baseline. Field order is stable; absent values are {@code null}; figures that
 * do not exist (the mean of no score) are {@code null}.
 *
 * <pre>{@code
 * {
 *   "schema": "llm-judge-report",
 *   "schemaVersion": 1,
 *   "generatedAt": "2025-01-31T10:15:30Z",
 *   "runId": "surefire-20250131101502120",
 *   "totals": {"verdicts": 42, "cached": 38, "judged": 4, "belowThreshold": 1, "errors": 0,
 *              "tokens": 12345, "estimatedCostUsd": 0.02},
 *   "metrics": {"answer_similarity": {"count": 42, "passed": 41, "failed": 1, "errors": 0, "mean": 4.4,
 *              "variance": 0.3, "p90": 5.0, "median": 5.0, "min": 2.0, "max": 5.0, "passRate": 0.976}},
 *   "classes": {"com.example.SupportBotTest": {"answer_similarity": { ...same fields... }}},
 *   "baselineChanges": [{"caseId": "3f2a9c0d41b7e8aa", "metric": "answer_similarity",
 *              "testName": "SupportBotTest > refund policy", "before": 5, "after": 3, "drop": true}],
 *   "rows": [{"caseId": "3f2a9c0d41b7e8aa", "testId": "[engine:junit-jupiter]/...", "testName": "...",
 *              "description": null, "outcome": "PASSED", "metric": "answer_similarity", ...every ReportRow field...}]
 * }
 * }</pre>
 *
 * Readers accept this schema version and ignore fields they do not know; a newer major version
 * is refused with a message.
 */
public final class JsonReport {
    /** The value of the {@code schema} field. */
    public static final String SCHEMA = "llm-judge-report";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JsonReport() {
    }

    /** The report as JSON text. {@code runId} may be {@code null}. */
    public static String toJson(RunReport report, String runId) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("schemaVersion", report.schemaVersion());
        root.put("generatedAt", report.generatedAt());
        root.put("runId", runId);
        RunReport.Totals t = report.totals();
        ObjectNode totals = root.putObject("totals");
        totals.put("verdicts", t.verdicts());
        totals.put("cached", t.cached());
        totals.put("judged", t.judged());
        totals.put("belowThreshold", t.belowThreshold());
        totals.put("errors", t.errors());
        totals.put("tokens", t.tokens());
        number(totals, "estimatedCostUsd", t.estimatedCostUsd());
        ObjectNode metrics = root.putObject("metrics");
        new TreeMap<>(report.metrics()).forEach((name, stats) -> stats(metrics.putObject(name), stats));
        ObjectNode classes = root.putObject("classes");
        RunReports.byTestClass(report.rows()).forEach((cls, byMetric) -> {
            ObjectNode c = classes.putObject(cls);
            byMetric.forEach((name, stats) -> stats(c.putObject(name), stats));
        });
        ArrayNode changes = root.putArray("baselineChanges");
        for (RunReport.ScoreChange ch : report.baselineChanges()) {
            ObjectNode n = changes.addObject();
            n.put("caseId", ch.caseId());
            n.put("metric", ch.metric());
            n.put("testName", ch.testName());
            n.put("before", ch.before());
            n.put("after", ch.after());
            n.put("drop", ch.drop());
        }
        ArrayNode rows = root.putArray("rows");
        for (ReportRow r : report.rows()) {
            ObjectNode n = rows.addObject();
            n.put("caseId", CaseIds.of(r));
            n.setAll((ObjectNode) JSON.valueToTree(r));
            if (r.errorMessage() != null) {
                n.put("errorMessage", Secrets.redact(r.errorMessage()));
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the report", e);
        }
    }

    /** Writes the report atomically (a temporary file, then a rename): a reader never sees half a file. */
    public static void write(RunReport report, String runId, Path file) throws IOException {
        ReportFiles.writeAtomically(file, toJson(report, runId).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a report written by {@link #write}.
     *
     * @throws IOException when the file cannot be read, is not a report, or has an unsupported schema version
     */
    public static RunReport read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !SCHEMA.equals(root.path("schema").asText(null))) {
            throw new IOException(file + " is not an llm-judge report (no \"schema\": \"" + SCHEMA + "\")");
        }
        int version = root.path("schemaVersion").asInt(-1);
        if (version != RunReport.SCHEMA_VERSION) {
            throw new IOException(file + " has report schema version " + version + "; this version of llm-judge reads version "
                    + RunReport.SCHEMA_VERSION);
        }
        List<ReportRow> rows = new ArrayList<>();
        int index = 0;
        for (JsonNode n : root.path("rows")) {
            index++;
            ReportRow row;
            try {
                ObjectNode copy = ((ObjectNode) n).deepCopy();
                copy.remove("caseId");
                row = JSON.treeToValue(copy, ReportRow.class);
            } catch (JsonProcessingException | ClassCastException e) {
                throw new IOException(file + ": row " + index + " is malformed: " + e.getMessage(), e);
            }
            if (row.metric() == null || row.outcome() == null || !List.of("PASSED", "FAILED", "ERROR").contains(row.outcome())
                    || ("ERROR".equals(row.outcome()) != (row.score() == null))) {
                throw new IOException(file + ": row " + index + " is malformed: it needs a metric, an outcome of PASSED, FAILED or ERROR,"
                        + " and a score unless it is an ERROR");
            }
            rows.add(row);
        }
        List<RunReport.ScoreChange> changes = new ArrayList<>();
        for (JsonNode n : root.path("baselineChanges")) {
            changes.add(new RunReport.ScoreChange(n.path("caseId").asText(null), n.path("metric").asText(null),
                    n.path("testName").asText(null), n.path("before").isNumber() ? n.path("before").asInt() : null,
                    n.path("after").isNumber() ? n.path("after").asInt() : null, n.path("drop").asBoolean()));
        }
        String generatedAt = root.path("generatedAt").asText(null);
        RunReport rebuilt = RunReports.build(rows, changes, java.time.Instant.EPOCH);
        return new RunReport(version, generatedAt, rebuilt.rows(), rebuilt.metrics(), changes, rebuilt.totals());
    }

    /** The run id recorded in a report, or {@code null}. */
    public static String runIdOf(Path file) throws IOException {
        try {
            return JSON.readTree(Files.readString(file, StandardCharsets.UTF_8)).path("runId").asText(null);
        } catch (JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void stats(ObjectNode n, MetricStats s) {
        n.put("count", s.count());
        n.put("passed", s.passed());
        n.put("failed", s.failed());
        n.put("errors", s.errors());
        number(n, "mean", s.mean());
        number(n, "variance", s.variance());
        number(n, "p90", s.p90());
        number(n, "median", s.median());
        number(n, "min", s.min());
        number(n, "max", s.max());
        number(n, "passRate", s.passRate());
    }

    private static void number(ObjectNode n, String field, Double value) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            n.putNull(field);
        } else {
            n.put(field, value);
        }
    }
}
