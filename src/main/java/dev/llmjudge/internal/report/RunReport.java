package dev.llmjudge.internal.report;

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
 * @param baseline how this run compares with the baseline run, or {@code null} when no baseline was given
 * @param totals the run's totals
 */
public record RunReport(
        int schemaVersion,
        String generatedAt,
        List<ReportRow> rows,
        Map<String, MetricStats> metrics,
        BaselineComparison baseline,
        Totals totals) {

    /** The current JSON schema version. */
    public static final int SCHEMA_VERSION = 2;

    public RunReport {
        rows = List.copyOf(rows);
        metrics = Map.copyOf(metrics);
    }

    /**
     * The run's totals.
     *
     * @param verdicts checks that got a verdict
     * @param cached verdicts read from the cache
     * @param judged verdicts judged in this run
     * @param belowThreshold checks whose score was below the threshold
     * @param errors checks with no verdict
     * @param skipped checks not judged on purpose, their tests skipped
     * @param tokens tokens spent by verdicts judged in this run
     * @param estimatedCostUsd estimated cost of this run's judge calls in US dollars, or {@code null} when the
     *     model's price is unknown
     */
    public record Totals(int verdicts, int cached, int judged, int belowThreshold, int errors, int skipped, long tokens,
            Double estimatedCostUsd) {
    }

    /**
     * This run against a baseline run.
     *
     * @param file the baseline report, as configured
     * @param changes cases in both runs whose score or answer changed
     * @param newCases cases of this run that the baseline does not have
     * @param goneCases cases of the baseline that this run does not have
     */
    public record BaselineComparison(String file, List<ScoreChange> changes, List<BaselineCase> newCases, List<BaselineCase> goneCases) {
        public BaselineComparison {
            changes = List.copyOf(changes);
            newCases = List.copyOf(newCases);
            goneCases = List.copyOf(goneCases);
        }
    }

    /**
     * A case in both runs whose score or answer changed.
     *
     * @param caseId stable identity of the case across runs (see {@link CaseIds}: its test, metric and ordinal)
     * @param metric the metric's name
     * @param testName the test's display path
     * @param before the baseline's score, or {@code null} when the baseline had only errors
     * @param after this run's score, or {@code null} when the case errored
     * @param drop whether the score went down
     * @param answerBefore the baseline's answer
     * @param answerAfter this run's answer
     * @param justificationBefore the baseline's justification, or {@code null}
     * @param justificationAfter this run's justification, or {@code null}
     */
    public record ScoreChange(String caseId, String metric, String testName, Integer before, Integer after, boolean drop,
            String answerBefore, String answerAfter, String justificationBefore, String justificationAfter) {
        /** Whether the answer differs from the baseline's (else the same answer was judged again). */
        public boolean answerChanged() {
            return !java.util.Objects.equals(answerBefore, answerAfter);
        }
    }

    /**
     * A case that only one of the two runs has.
     *
     * @param caseId the case's identity
     * @param metric the metric's name
     * @param testName the test's display path
     * @param score its score in the run that has it, or {@code null} for an error
     * @param answer its answer in the run that has it
     */
    public record BaselineCase(String caseId, String metric, String testName, Integer score, String answer) {
        static BaselineCase of(String caseId, ReportRow row) {
            return new BaselineCase(caseId, row.metric(), row.testName(), row.score(), row.answer());
        }
    }
}
