package dev.llmjudge.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.llmjudge.judge.JsonText;
import dev.llmjudge.judge.Secrets;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON report ({@code report.json}): a documented, versioned schema that later runs read
 * back as their baseline. Field order is stable; absent values are {@code null}; figures that
 * do not exist (the mean of no score) are {@code null}.
 *
 * <pre>{@code
 * {
 *   "schema": "llm-judge-report",
 *   "schemaVersion": 2,
 *   "generatedAt": "2025-01-31T10:15:30Z",
 *   "runId": "surefire-20250131101502120",
 *   "totals": {"verdicts": 42, "cached": 38, "judged": 4, "belowThreshold": 1, "errors": 0,
 *              "tokens": 12345, "estimatedCostUsd": 0.02},
 *   "metrics": {"answer_similarity": {"count": 42, "passed": 41, "failed": 1, "errors": 0, "mean": 4.4,
 *              "variance": 0.3, "p90": 5.0, "median": 5.0, "min": 2.0, "max": 5.0, "passRate": 0.976}},
 *   "classes": {"com.example.SupportBotTest": {"answer_similarity": { ...same fields... }}},
 *   "baseline": {"file": "baseline/report.json",
 *              "changes": [{"caseId": "3f2a9c0d41b7e8aa", "metric": "answer_similarity",
 *                "testName": "SupportBotTest > refund policy", "before": 5, "after": 3, "drop": true,
 *                "answerBefore": "...", "answerAfter": "...", "justificationBefore": "...", "justificationAfter": "..."}],
 *              "newCases": [{"caseId": "...", "metric": "...", "testName": "...", "score": 4, "answer": "..."}],
 *              "goneCases": [ ...same fields... ]},
 *   "rows": [{"caseId": "3f2a9c0d41b7e8aa", "testId": "[engine:junit-jupiter]/...", "testName": "...",
 *              "caseKey": "class:com.example.SupportBotTest/method:refund()", "ordinal": 1,
 *              "description": null, "outcome": "PASSED", "metric": "answer_similarity", ...every ReportRow field...}]
 * }
 * }</pre>
 *
 * {@code baseline} is {@code null} when no baseline was given. A case's {@code caseId} is
 * derived from its {@code caseKey}, metric and {@code ordinal} ({@link CaseIds}).
 *
 * Readers accept this schema version and ignore fields they do not know; any other version is
 * refused with a message that says what to do. Version 1 identified a case by its content, so
 * its reports cannot be lined up with this version's cases.
 *
 * <p>Written with Jackson's streaming generator and its default pretty printer (the layout data
 * binding gives with {@code INDENT_OUTPUT}) and read with a small parser, so that writing a
 * report at the end of a run does not load Jackson's data binding, which takes a cold JVM a few
 * hundred milliseconds.
 */
public final class JsonReport {
    /** The value of the {@code schema} field. */
    public static final String SCHEMA = "llm-judge-report";

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonReport() {
    }

    /** The report as JSON text. {@code runId} may be {@code null}. */
    public static String toJson(RunReport report, String runId) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeNumberField("schemaVersion", report.schemaVersion());
            g.writeStringField("generatedAt", report.generatedAt());
            g.writeStringField("runId", runId);
            RunReport.Totals t = report.totals();
            g.writeObjectFieldStart("totals");
            g.writeNumberField("verdicts", t.verdicts());
            g.writeNumberField("cached", t.cached());
            g.writeNumberField("judged", t.judged());
            g.writeNumberField("belowThreshold", t.belowThreshold());
            g.writeNumberField("errors", t.errors());
            g.writeNumberField("tokens", t.tokens());
            number(g, "estimatedCostUsd", t.estimatedCostUsd());
            g.writeEndObject();
            g.writeObjectFieldStart("metrics");
            for (Map.Entry<String, MetricStats> m : new TreeMap<>(report.metrics()).entrySet()) {
                stats(g, m.getKey(), m.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("classes");
            for (Map.Entry<String, Map<String, MetricStats>> c : RunReports.byTestClass(report.rows()).entrySet()) {
                g.writeObjectFieldStart(c.getKey());
                for (Map.Entry<String, MetricStats> m : c.getValue().entrySet()) {
                    stats(g, m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            baseline(g, report.baseline());
            g.writeArrayFieldStart("rows");
            for (ReportRow r : report.rows()) {
                row(g, r);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the report", e);
        }
        return out + "\n";
    }

    /** One row: its case id, then every field of {@link ReportRow} in order, the error message without secrets. */
    private static void row(JsonGenerator g, ReportRow r) throws IOException {
        g.writeStartObject();
        g.writeStringField("caseId", CaseIds.of(r));
        g.writeStringField("testId", r.testId());
        g.writeStringField("testName", r.testName());
        g.writeStringField("caseKey", r.caseKey());
        g.writeNumberField("ordinal", r.ordinal());
        g.writeStringField("description", r.description());
        g.writeStringField("outcome", r.outcome());
        g.writeStringField("metric", r.metric());
        g.writeStringField("metricVersion", r.metricVersion());
        integer(g, "score", r.score());
        integer(g, "minScore", r.minScore());
        integer(g, "maxScore", r.maxScore());
        integer(g, "threshold", r.threshold());
        g.writeStringField("justification", r.justification());
        g.writeStringField("question", r.question());
        g.writeStringField("answer", r.answer());
        g.writeStringField("groundTruth", r.groundTruth());
        g.writeStringField("context", r.context());
        g.writeStringField("judgeModel", r.judgeModel());
        if (r.cached() == null) {
            g.writeNullField("cached");
        } else {
            g.writeBooleanField("cached", r.cached());
        }
        whole(g, "latencyMillis", r.latencyMillis());
        whole(g, "promptTokens", r.promptTokens());
        whole(g, "completionTokens", r.completionTokens());
        g.writeStringField("errorReason", r.errorReason());
        g.writeStringField("errorMessage", r.errorMessage() == null ? null : Secrets.redact(r.errorMessage()));
        g.writeStringField("cacheFile", r.cacheFile());
        g.writeStringField("at", r.at());
        g.writeEndObject();
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
        Map<?, ?> root = parse(file);
        if (!SCHEMA.equals(root.get("schema"))) {
            throw new IOException(file + " is not an llm-judge report (no \"schema\": \"" + SCHEMA + "\")");
        }
        int version = root.get("schemaVersion") instanceof Integer v ? v : -1;
        if (version == 1) {
            throw new IOException(file + " has report schema version 1, which identified a case by its answer's text; this version of"
                    + " llm-judge identifies a case by its test and reads version " + RunReport.SCHEMA_VERSION + ". Write a new baseline:"
                    + " run the suite once with this version on the baseline's commit (e.g. main) and point llmjudge.report.baseline"
                    + " at its target/llm-judge/report.json.");
        }
        if (version != RunReport.SCHEMA_VERSION) {
            throw new IOException(file + " has report schema version " + version + "; this version of llm-judge reads version "
                    + RunReport.SCHEMA_VERSION + ": write the report again with this version of llm-judge");
        }
        List<ReportRow> rows = new ArrayList<>();
        int index = 0;
        for (Object n : list(root.get("rows"))) {
            index++;
            ReportRow row;
            try {
                Map<?, ?> m = (Map<?, ?>) n;
                row = new ReportRow(text(m, "testId"), text(m, "testName"), text(m, "caseKey"), ordinal(m), text(m, "description"),
                        text(m, "outcome"), text(m, "metric"),
                        text(m, "metricVersion"), integer(m, "score"), integer(m, "minScore"), integer(m, "maxScore"),
                        integer(m, "threshold"), text(m, "justification"), text(m, "question"), text(m, "answer"),
                        text(m, "groundTruth"), text(m, "context"), text(m, "judgeModel"), bool(m, "cached"), whole(m, "latencyMillis"),
                        whole(m, "promptTokens"), whole(m, "completionTokens"), text(m, "errorReason"), text(m, "errorMessage"),
                        text(m, "cacheFile"), text(m, "at"));
            } catch (ClassCastException | IllegalArgumentException e) {
                throw new IOException(file + ": row " + index + " is malformed: " + e.getMessage(), e);
            }
            if (row.metric() == null || row.outcome() == null || !List.of("PASSED", "FAILED", "ERROR").contains(row.outcome())
                    || ("ERROR".equals(row.outcome()) != (row.score() == null))) {
                throw new IOException(file + ": row " + index + " is malformed: it needs a metric, an outcome of PASSED, FAILED or ERROR,"
                        + " and a score unless it is an ERROR");
            }
            rows.add(row);
        }
        RunReport.BaselineComparison baseline = readBaseline(file, root.get("baseline"));
        String generatedAt = root.get("generatedAt") instanceof String at ? at : null;
        RunReport rebuilt = RunReports.build(rows, baseline, java.time.Instant.EPOCH);
        return new RunReport(version, generatedAt, rebuilt.rows(), rebuilt.metrics(), baseline, rebuilt.totals());
    }

    /** The run id recorded in a report, or {@code null}. */
    public static String runIdOf(Path file) throws IOException {
        return parse(file).get("runId") instanceof String runId ? runId : null;
    }

    private static Map<?, ?> parse(Path file) throws IOException {
        Object parsed;
        try {
            parsed = JsonText.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> root)) {
            throw new IOException(file + " is not an llm-judge report (no \"schema\": \"" + SCHEMA + "\")");
        }
        return root;
    }

    private static void baseline(JsonGenerator g, RunReport.BaselineComparison b) throws IOException {
        if (b == null) {
            g.writeNullField("baseline");
            return;
        }
        g.writeObjectFieldStart("baseline");
        g.writeStringField("file", b.file());
        g.writeArrayFieldStart("changes");
        for (RunReport.ScoreChange ch : b.changes()) {
            g.writeStartObject();
            g.writeStringField("caseId", ch.caseId());
            g.writeStringField("metric", ch.metric());
            g.writeStringField("testName", ch.testName());
            integer(g, "before", ch.before());
            integer(g, "after", ch.after());
            g.writeBooleanField("drop", ch.drop());
            g.writeStringField("answerBefore", ch.answerBefore());
            g.writeStringField("answerAfter", ch.answerAfter());
            g.writeStringField("justificationBefore", ch.justificationBefore());
            g.writeStringField("justificationAfter", ch.justificationAfter());
            g.writeEndObject();
        }
        g.writeEndArray();
        cases(g, "newCases", b.newCases());
        cases(g, "goneCases", b.goneCases());
        g.writeEndObject();
    }

    private static void cases(JsonGenerator g, String field, List<RunReport.BaselineCase> cases) throws IOException {
        g.writeArrayFieldStart(field);
        for (RunReport.BaselineCase c : cases) {
            g.writeStartObject();
            g.writeStringField("caseId", c.caseId());
            g.writeStringField("metric", c.metric());
            g.writeStringField("testName", c.testName());
            integer(g, "score", c.score());
            g.writeStringField("answer", c.answer());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static RunReport.BaselineComparison readBaseline(Path file, Object value) throws IOException {
        if (value == null) {
            return null;
        }
        try {
            Map<?, ?> b = (Map<?, ?>) value;
            List<RunReport.ScoreChange> changes = new ArrayList<>();
            for (Object n : list(b.get("changes"))) {
                Map<?, ?> m = (Map<?, ?>) n;
                changes.add(new RunReport.ScoreChange(text(m, "caseId"), text(m, "metric"), text(m, "testName"), integer(m, "before"),
                        integer(m, "after"), Boolean.TRUE.equals(bool(m, "drop")), text(m, "answerBefore"), text(m, "answerAfter"),
                        text(m, "justificationBefore"), text(m, "justificationAfter")));
            }
            return new RunReport.BaselineComparison(text(b, "file"), changes, readCases(b.get("newCases")), readCases(b.get("goneCases")));
        } catch (ClassCastException | IllegalArgumentException e) {
            throw new IOException(file + ": the baseline comparison is malformed: " + e.getMessage(), e);
        }
    }

    private static List<RunReport.BaselineCase> readCases(Object value) {
        List<RunReport.BaselineCase> cases = new ArrayList<>();
        for (Object n : list(value)) {
            Map<?, ?> m = (Map<?, ?>) n;
            cases.add(new RunReport.BaselineCase(text(m, "caseId"), text(m, "metric"), text(m, "testName"), integer(m, "score"),
                    text(m, "answer")));
        }
        return cases;
    }

    /** A row's ordinal: 1 when absent. */
    private static int ordinal(Map<?, ?> m) {
        Integer ordinal = integer(m, "ordinal");
        return ordinal == null ? 1 : ordinal;
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }

    /** A text member; other scalars are taken as their text, as data binding would. */
    private static String text(Map<?, ?> m, String field) {
        Object value = m.get(field);
        if (value instanceof Map || value instanceof List) {
            throw new IllegalArgumentException(field + " is not text");
        }
        return value == null ? null : String.valueOf(value);
    }

    private static Integer integer(Map<?, ?> m, String field) {
        Object value = m.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer i) {
            return i;
        }
        throw new IllegalArgumentException(field + " is not a whole number: " + value);
    }

    private static Long whole(Map<?, ?> m, String field) {
        Object value = m.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        throw new IllegalArgumentException(field + " is not a whole number: " + value);
    }

    private static Boolean bool(Map<?, ?> m, String field) {
        Object value = m.get(field);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        throw new IllegalArgumentException(field + " is not true or false: " + value);
    }

    private static void stats(JsonGenerator g, String name, MetricStats s) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("count", s.count());
        g.writeNumberField("passed", s.passed());
        g.writeNumberField("failed", s.failed());
        g.writeNumberField("errors", s.errors());
        number(g, "mean", s.mean());
        number(g, "variance", s.variance());
        number(g, "p90", s.p90());
        number(g, "median", s.median());
        number(g, "min", s.min());
        number(g, "max", s.max());
        number(g, "passRate", s.passRate());
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String field, Double value) throws IOException {
        if (value == null || value.isNaN() || value.isInfinite()) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value.doubleValue());
        }
    }

    private static void integer(JsonGenerator g, String field, Integer value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value.intValue());
        }
    }

    private static void whole(JsonGenerator g, String field, Long value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, value.longValue());
        }
    }
}
