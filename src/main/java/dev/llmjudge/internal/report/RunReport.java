package dev.llmjudge.internal.report;

import dev.llmjudge.internal.check.CallOutsideCheck;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one run's report shows: which run it is ({@link RunInfo}), every check, the
 * aggregates per metric, the totals, with a baseline ({@code null} without) how the cases moved,
 * what the reader should be warned of (such as {@link SelfPreference}), every gate evaluated
 * ({@link GateResult}), the calibrations of the judge against human labels, the verdict files no check read ({@link VerdictFiles}),
 * with a run history the last runs ({@link RunHistory}), and the billed judge calls no row holds ({@link CallOutsideCheck}), which
 * the totals count. {@code report.json} is this record, but for the
 * history, which lives in its own directory.
 */
public record RunReport(
        int schemaVersion,
        String generatedAt,
        List<ReportRow> rows,
        Map<String, MetricStats> metrics,
        BaselineComparison baseline,
        Totals totals,
        List<Warning> warnings,
        List<CalibrationEntry> calibrations,
        RunInfo run,
        List<GateResult> gates,
        VerdictFiles verdictFiles,
        List<RunHistory.RunSummary> history,
        List<CallOutsideCheck> callsOutsideChecks) {

    /** The current JSON schema version. */
    public static final int SCHEMA_VERSION = 2;

    public RunReport {
        rows = List.copyOf(rows);
        metrics = Map.copyOf(metrics);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        calibrations = calibrations == null ? List.of() : List.copyOf(calibrations);
        run = run == null ? RunInfo.UNKNOWN : run;
        gates = gates == null ? List.of() : List.copyOf(gates);
        verdictFiles = verdictFiles == null ? VerdictFiles.NONE : verdictFiles;
        history = history == null ? List.of() : List.copyOf(history);
        callsOutsideChecks = callsOutsideChecks == null ? List.of() : List.copyOf(callsOutsideChecks);
    }

    /**
     * Which run this is: its id ({@code null} when not known), the commit it tested ({@code null}
     * when the build does not say) and the address of its CI run page ({@code null} outside CI).
     */
    public record RunInfo(String id, String commit, String ciRun) {
        /** A run nothing is known about. */
        public static final RunInfo UNKNOWN = new RunInfo(null, null, null);
    }

    /** The judge models that gave this run's verdicts, in name order; empty when no check was scored. */
    public List<String> judgeModels() {
        return rows.stream().filter(ReportRow::scored).map(ReportRow::judgeModel).filter(Objects::nonNull).distinct().sorted().toList();
    }

    /** The gates that failed, in the order they were evaluated. */
    public List<GateResult> failedGates() {
        return gates.stream().filter(g -> !g.passed()).toList();
    }

    /** The report with these gates, verdict files and history instead of its own. */
    public RunReport with(List<GateResult> gates, VerdictFiles verdictFiles, List<RunHistory.RunSummary> history) {
        return new RunReport(schemaVersion, generatedAt, rows, metrics, baseline, totals, warnings, calibrations, run, gates, verdictFiles, history,
                callsOutsideChecks);
    }

    /** Something about the whole run the reader should know before trusting its scores; {@code kind} names it, e.g. {@value SelfPreference#KIND}. */
    public record Warning(String kind, String message) {
    }

    /**
     * The run's totals; tokens and cost are those of this run's judge calls, failed ones included (e.g. invalid replies are
     * billed) and those outside checks ({@link CallOutsideCheck}), the cost {@code null} when a price is unknown or the
     * server did not report the usage of a reply; {@code unstable} counts the checks whose samples fell on both sides of
     * their threshold, aborted ones included; {@code unreportedReplies} counts the replies of those calls whose server
     * reported no usage, whose tokens {@code tokens} cannot include.
     */
    public record Totals(int verdicts, int cached, int judged, int belowThreshold, int errors, int skipped, long tokens,
            Double estimatedCostUsd, int unstable, int unreportedReplies) {
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
