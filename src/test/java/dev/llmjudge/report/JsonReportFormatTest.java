package dev.llmjudge.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmjudge.judge.Secrets;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code report.json} is written with Jackson's streaming generator, so that writing a report
 * does not load Jackson's data binding; the text is exactly what data binding writes for the
 * same tree (this test builds that tree the straightforward way and compares).
 */
class JsonReportFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void should_write_exactly_what_data_binding_writes_for_the_same_report() throws Exception {
        List<RunReport> reports = List.of(ReportFixtures.mixedRun(), ReportFixtures.errorsOnly(),
                RunReports.build(List.of(), new RunReport.BaselineComparison("b.json", List.of(new RunReport.ScoreChange("abc",
                        "answer_similarity", "T > a()", 5, null, true, "A.", "B.", "Fine.", null)), List.of(), List.of()),
                        Instant.parse("2025-01-31T10:15:30Z")));
        for (RunReport report : reports) {
            assertThat(JsonReport.toJson(report, "run-7")).isEqualTo(withDataBinding(report, "run-7"));
            assertThat(JsonReport.toJson(report, null)).isEqualTo(withDataBinding(report, null));
        }
    }

    private static String withDataBinding(RunReport report, String runId) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", JsonReport.SCHEMA);
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
        root.set("baseline", JSON.valueToTree(report.baseline()));
        ArrayNode rows = root.putArray("rows");
        for (ReportRow r : report.rows()) {
            ObjectNode n = rows.addObject();
            n.put("caseId", CaseIds.of(r));
            n.setAll((ObjectNode) JSON.valueToTree(r));
            if (r.errorMessage() != null) {
                n.put("errorMessage", Secrets.redact(r.errorMessage()));
            }
        }
        return JSON.writeValueAsString(root) + "\n";
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
