package dev.llmjudge.report;

import java.util.List;
import java.util.Map;

/**
 * Everything one run's report shows: every judged check, the aggregates and, when a baseline
 * was given, how scores moved. The JSON report is this record, versioned by
 * {@link #schemaVersion()}.
 *
 * @param schemaVersion version of the JSON schema ({@value #SCHEMA_VERSION})
 * @param generatedAt when the report was written (ISO-8601)
 * @param rows every judged check, errors included
 * @param metrics aggregates per metric over the whole run
 * @param baselineChanges cases whose score differs from the baseline run (empty without a baseline)
 * @param totals the run's totals
 */
public record RunReport(
        int schemaVersion,
        String generatedAt,
        List<ReportRow> rows,
        Map<String, MetricStats> metrics,
        List<ScoreChange> baselineChanges,
        Totals totals) {

    /** The current JSON schema version. */
    public static final int SCHEMA_VERSION = 1;

    public RunReport {
        rows = List.copyOf(rows);
        metrics = Map.copyOf(metrics);
        baselineChanges = List.copyOf(baselineChanges);
    }

    /**
     * The run's totals.
     *
     * @param verdicts checks that got a verdict
     * @param cached verdicts read from the cache
     * @param judged verdicts judged in this run
     * @param belowThreshold checks whose score was below the threshold
     * @param errors checks with no verdict
     * @param tokens tokens spent by verdicts judged in this run
     * @param estimatedCostUsd estimated cost of this run's judge calls in US dollars, or {@code null} when the
     *     model's price is unknown
     */
    public record Totals(int verdicts, int cached, int judged, int belowThreshold, int errors, long tokens, Double estimatedCostUsd) {
    }

    /**
     * A case whose score changed against the baseline.
     *
     * @param caseId stable identity of the case across runs (metric and case content, not the judge model)
     * @param metric the metric's name
     * @param testName the test's display path
     * @param before the baseline's score, or {@code null} when the case is new
     * @param after this run's score, or {@code null} when the case errored or disappeared
     * @param drop whether the score went down
     */
    public record ScoreChange(String caseId, String metric, String testName, Integer before, Integer after, boolean drop) {
    }
}
