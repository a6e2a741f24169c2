package dev.llmjudge.internal.report;

import dev.llmjudge.internal.AtomicFiles;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.util.StdConverter;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.check.CallOutsideCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The JSON report ({@code report.json}, schema in docs/junit.md), written and read by Jackson's
 * data binding of the report's records, fields in their order. Later runs read it back as their
 * baseline; a reader ignores fields it does not know and refuses another schema version, saying
 * what to do. Figures that do not exist (the mean of no score) are {@code null}.
 */
public final class JsonReport {
    /** The value of the {@code schema} field. */
    public static final String SCHEMA = "llm-judge-report";

    /** A whole number is read only from a JSON integer, never from text or a fraction. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Integer, integers -> integers.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withConfigOverride(List.class, lists -> lists.setSetterInfo(JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY)))
            .addModule(new SimpleModule().addSerializer(Double.class, new FigureSerializer()).addSerializer(double.class, new FigureSerializer()))
            .addMixIn(MetricStats.class, StatsWithoutTheirMetric.class)
            .addMixIn(ReportRow.class, RowWithRedactedError.class)
            .build();

    private JsonReport() {
    }

    /**
     * The report as written: which run, why it is red (the gates), then the figures, the baseline, the calibrations, the verdict
     * files, the billed calls outside checks and every row.
     */
    private record Document(String schema, int schemaVersion, String generatedAt, String runId, String shard, Integer keyFormat,
            RunHeader.JudgeSettings judge, List<RunHeader.MergedReport> mergedFrom, String commit, String ciRun,
            List<String> judgeModels, List<GateResult> gates, RunReport.Totals totals, List<RunReport.Warning> warnings,
            Map<String, MetricStats> metrics, Map<String, Map<String, MetricStats>> classes, Map<String, Map<String, MetricStats>> datasets,
            RunReport.BaselineComparison baseline, List<CalibrationEntry> calibrations, VerdictFiles verdictFiles,
            List<CallOutsideCheck> callsOutsideChecks, List<Row> rows) {
    }

    /** One row: its case id, then every field of {@link ReportRow} in order. */
    private record Row(String caseId, @JsonUnwrapped ReportRow row) {
    }

    /** What a reader looks at first, to know whether it can read the rest. */
    private record Header(Object schema, Object schemaVersion) {
    }

    /** What a reader takes from a report of this schema version; the aggregates are computed again from the rows. */
    private record Content(String generatedAt, String runId, String shard, Integer keyFormat, RunHeader.JudgeSettings judge,
            List<RunHeader.MergedReport> mergedFrom, String commit, String ciRun, List<GateResult> gates, List<ReportRow> rows,
            RunReport.BaselineComparison baseline, List<RunReport.Warning> warnings, List<CalibrationEntry> calibrations,
            VerdictFiles verdictFiles, List<CallOutsideCheck> callsOutsideChecks) {
    }

    /** A report read back from {@code file}: what its header says about the run, and the report. */
    public record ReportFile(Path file, RunHeader header, RunReport report) {
    }

    /** The aggregates of a metric are written under its name, so not again inside. */
    @JsonIgnoreProperties("metric")
    private interface StatsWithoutTheirMetric {
    }

    /** A row's error message is written without known API keys. */
    private abstract static class RowWithRedactedError {
        @JsonSerialize(converter = Redacted.class)
        abstract String errorMessage();
    }

    private static final class Redacted extends StdConverter<String, String> {
        @Override
        public String convert(String text) {
            return Secrets.redact(text);
        }
    }

    /** {@code NaN} (the mean of no score) is written as {@code null}. */
    private static final class FigureSerializer extends StdSerializer<Double> {
        private static final long serialVersionUID = 1L;

        FigureSerializer() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator g, SerializerProvider provider) throws IOException {
            if (value.isNaN() || value.isInfinite()) {
                g.writeNull();
            } else {
                g.writeNumber(value.doubleValue());
            }
        }
    }

    /** The report as JSON text. {@code runId} may be {@code null}, for the report's own. */
    public static String toJson(RunReport report, String runId) {
        return toJson(report, RunHeader.of(runId));
    }

    /** The report as JSON text, with what {@code header} says about the run. */
    public static String toJson(RunReport report, RunHeader header) {
        List<Row> rows = report.rows().stream().map(r -> new Row(CaseIds.of(r), r)).toList();
        RunReport.RunInfo run = report.run();
        Document document = new Document(SCHEMA, report.schemaVersion(), report.generatedAt(), header.runId() == null ? run.id() : header.runId(),
                header.shard(), header.keyFormat(), header.judge(), header.mergedFrom(), run.commit(), run.ciRun(), report.judgeModels(),
                report.gates(), report.totals(), report.warnings(), new TreeMap<>(report.metrics()), RunReports.byTestClass(report.rows()),
                RunReports.byDataset(report.rows()), report.baseline(), report.calibrations(), report.verdictFiles(),
                report.callsOutsideChecks(), rows);
        try {
            return JSON.writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialise the report", e);
        }
    }

    /** Writes the report atomically. */
    public static void write(RunReport report, String runId, Path file) throws IOException {
        write(report, RunHeader.of(runId), file);
    }

    /** Writes the report atomically, with what {@code header} says about the run. */
    public static void write(RunReport report, RunHeader header, Path file) throws IOException {
        AtomicFiles.write(file, toJson(report, header).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a report written by {@link #write}; throws when the file cannot be read, is not a report, or has another schema version. */
    public static RunReport read(Path file) throws IOException {
        return readFile(file).report();
    }

    /** Reads a report and its header, as {@link #read} does. */
    public static ReportFile readFile(Path file) throws IOException {
        return parse(file, Files.readAllBytes(file));
    }

    /** Reads the report {@code json}, as {@link #readFile} does; {@code file} names it in the messages of a report it refuses. */
    public static ReportFile parse(Path file, byte[] json) throws IOException {
        Header header = header(file, json);
        int version = header.schemaVersion() instanceof Integer v ? v : -1;
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
        Content content;
        try {
            content = JSON.readValue(json, Content.class);
        } catch (JsonMappingException e) {
            throw new IOException(file + misfit(e), e);
        }
        List<ReportRow> rows = content.rows() == null ? List.of() : content.rows();
        for (int i = 0; i < rows.size(); i++) {
            ReportRow row = rows.get(i);
            String outcome = row == null ? null : row.outcome();
            boolean scored = ReportRow.PASSED.equals(outcome) || ReportRow.FAILED.equals(outcome);
            boolean unscored = ReportRow.ERROR.equals(outcome) || ReportRow.SKIPPED.equals(outcome);
            if (row == null || row.metric() == null || !(scored || unscored) || scored != (row.score() != null)
                    || row.weightedScore() != null && !scored) {
                throw new IOException(file + ": row " + (i + 1) + " is malformed: it needs a metric, an outcome of PASSED, FAILED, ERROR or"
                        + " SKIPPED, and a score (and any weightedScore) exactly when it PASSED or FAILED");
            }
        }
        List<CallOutsideCheck> calls = content.callsOutsideChecks() == null ? List.of() : content.callsOutsideChecks();
        for (int i = 0; i < calls.size(); i++) {
            CallOutsideCheck call = calls.get(i);
            if (call == null || call.promptTokens() < 0 || call.cachedPromptTokens() < 0 || call.completionTokens() < 0) {
                throw new IOException(file + ": call outside checks " + (i + 1) + " is malformed: it needs what it was for, a metric and"
                        + " token counts of 0 or more");
            }
        }
        RunReport rebuilt = RunReports.builder(rows).baseline(content.baseline()).generatedAt(Instant.EPOCH).callsOutsideChecks(calls)
                .build();
        return new ReportFile(file, new RunHeader(content.runId(), content.shard(), content.keyFormat(), content.judge(), content.mergedFrom()),
                new RunReport(version, content.generatedAt(), rebuilt.rows(), rebuilt.metrics(), content.baseline(), rebuilt.totals(),
                        content.warnings(), content.calibrations(), new RunReport.RunInfo(content.runId(), content.commit(), content.ciRun()),
                        content.gates(), content.verdictFiles(), List.of(), calls));
    }

    private static Header header(Path file, byte[] json) throws IOException {
        Header header;
        try {
            header = JSON.readValue(json, Header.class);
        } catch (JsonMappingException e) {
            header = null;
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            throw new IOException(file + " is not valid JSON: " + withoutSource(e.getOriginalMessage())
                    + (where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr()), e);
        }
        if (header == null || !SCHEMA.equals(header.schema())) {
            throw new IOException(file + " is not an llm-judge report (no \"schema\": \"" + SCHEMA + "\")");
        }
        return header;
    }

    /** Where a value does not fit its record, e.g. {@code ": row 2 is malformed: score (...)"}, and what Jackson found there. */
    private static String misfit(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        String problem = withoutSource(e.getOriginalMessage());
        if (path.size() >= 2 && "rows".equals(path.get(0).getFieldName()) && path.get(1).getIndex() >= 0) {
            String field = pathText(path.subList(2, path.size()));
            return ": row " + (path.get(1).getIndex() + 1) + " is malformed" + (field.isEmpty() ? "" : ": " + field) + " (" + problem + ")";
        }
        if (!path.isEmpty() && "baseline".equals(path.get(0).getFieldName())) {
            String field = pathText(path.subList(1, path.size()));
            return ": the baseline comparison is malformed" + (field.isEmpty() ? "" : ": " + field) + " (" + problem + ")";
        }
        return " is malformed: " + pathText(path) + " (" + problem + ")";
    }

    /** A path into the document, e.g. {@code changes[0].before}. */
    private static String pathText(List<JsonMappingException.Reference> path) {
        return path.stream().map(step -> step.getFieldName() != null ? step.getFieldName() : "[" + step.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** Jackson's description of a problem without its account of the source (the message names the file). */
    private static String withoutSource(String problem) {
        return problem.replaceAll(" \\([^()]*\\[Source: [^\\]]*\\]\\)", "");
    }
}
