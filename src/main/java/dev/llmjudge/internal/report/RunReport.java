package dev.llmjudge.internal.report;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one run's report shows: every check, the aggregates per metric, the totals, with a
 * baseline ({@code null} without) how the cases moved, what the reader should be warned of (such
 * as {@link SelfPreference}) and the calibrations of the judge against human labels.
 * {@code report.json} is this record.
 */
public record RunReport(
        int schemaVersion,
        String generatedAt,
        List<ReportRow> rows,
        Map<String, MetricStats> metrics,
        BaselineComparison baseline,
        Totals totals,
        List<Warning> warnings,
        List<CalibrationEntry> calibrations) {

    /** The current JSON schema version. */
    public static final int SCHEMA_VERSION = 2;

    public RunReport {
        rows = List.copyOf(rows);
        metrics = Map.copyOf(metrics);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        calibrations = calibrations == null ? List.of() : List.copyOf(calibrations);
    }

    /** A report without warnings or calibrations. */
    public RunReport(int schemaVersion, String generatedAt, List<ReportRow> rows, Map<String, MetricStats> metrics,
            BaselineComparison baseline, Totals totals) {
        this(schemaVersion, generatedAt, rows, metrics, baseline, totals, List.of(), List.of());
    }

    /** Something about the whole run the reader should know before trusting its scores; {@code kind} names it, e.g. {@value SelfPreference#KIND}. */
    public record Warning(String kind, String message) {
    }

    /**
     * The run's totals; tokens and cost are those of this run's judge calls, the cost {@code null} when a price is unknown;
     * {@code unstable} counts the checks whose samples fell on both sides of their threshold, aborted ones included.
     */
    public record Totals(int verdicts, int cached, int judged, int belowThreshold, int errors, int skipped, long tokens,
            Double estimatedCostUsd, int unstable) {
        /** Totals of a run without an unstable check. */
        public Totals(int verdicts, int cached, int judged, int belowThreshold, int errors, int skipped, long tokens, Double estimatedCostUsd) {
            this(verdicts, cached, judged, belowThreshold, errors, skipped, tokens, estimatedCostUsd, 0);
        }
    }

    /** This run against the baseline report {@code file}: the cases in both that changed, those new and those gone. */
    public record BaselineComparison(String file, List<ScoreChange> changes, List<BaselineCase> newCases, List<BaselineCase> goneCases) {
        public BaselineComparison {
            changes = List.copyOf(changes);
            newCases = List.copyOf(newCases);
            goneCases = List.copyOf(goneCases);
        }
    }

    /** A case in both runs whose score or answer changed; a score is {@code null} where the run had only errors. */
    public record ScoreChange(String caseId, String metric, String testName, Integer before, Integer after, boolean drop,
            String answerBefore, String answerAfter, String justificationBefore, String justificationAfter) {
        /** Whether the answer differs from the baseline's (else the same answer was judged again). */
        public boolean answerChanged() {
            return !Objects.equals(answerBefore, answerAfter);
        }
    }

    /** A case that only one of the two runs has, with its score ({@code null} for an error) and answer there. */
    public record BaselineCase(String caseId, String metric, String testName, Integer score, String answer) {
        static BaselineCase of(String caseId, ReportRow row) {
            return new BaselineCase(caseId, row.metric(), row.testName(), row.score(), row.answer());
        }
    }
}
