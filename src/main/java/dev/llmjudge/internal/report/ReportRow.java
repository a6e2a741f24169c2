package dev.llmjudge.internal.report;

import dev.llmjudge.internal.check.Check;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Verdict;
import java.time.Instant;

/**
 * One check's outcome as the report, the aggregates, the gates and the baseline read it, the same
 * whether made in this run or read back from a {@code report.json}. The verdict's fields are
 * {@code null} for an error or a skip, whose message (or reason) is {@code errorMessage};
 * {@code caseKey} is {@code null} outside a test; {@code dataset} names the {@code @JudgeDataset}
 * file of the row the test received, or is {@code null}.
 */
public record ReportRow(
        String testId,
        String testName,
        String caseKey,
        int ordinal,
        String description,
        String outcome,
        String metric,
        String metricVersion,
        Integer score,
        Integer minScore,
        Integer maxScore,
        Integer threshold,
        String justification,
        String question,
        String answer,
        String groundTruth,
        String context,
        String judgeModel,
        Boolean cached,
        Long latencyMillis,
        Long promptTokens,
        Long completionTokens,
        String errorReason,
        String errorMessage,
        String cacheFile,
        String at,
        String dataset) {

    public static final String PASSED = "PASSED";
    public static final String FAILED = "FAILED";
    public static final String ERROR = "ERROR";
    public static final String SKIPPED = "SKIPPED";

    /** A row that did not come from a dataset. */
    public ReportRow(String testId, String testName, String caseKey, int ordinal, String description, String outcome, String metric,
            String metricVersion, Integer score, Integer minScore, Integer maxScore, Integer threshold, String justification, String question,
            String answer, String groundTruth, String context, String judgeModel, Boolean cached, Long latencyMillis, Long promptTokens,
            Long completionTokens, String errorReason, String errorMessage, String cacheFile, String at) {
        this(testId, testName, caseKey, ordinal, description, outcome, metric, metricVersion, score, minScore, maxScore, threshold,
                justification, question, answer, groundTruth, context, judgeModel, cached, latencyMillis, promptTokens, completionTokens,
                errorReason, errorMessage, cacheFile, at, null);
    }

    /** The row of a check's outcome. */
    public static ReportRow of(CheckOutcome outcome) {
        Check check = outcome.check();
        EvaluationCase c = check.evaluationCase();
        CheckRecorder.TestIdentity test = check.test();
        Verdict v = outcome.verdict();
        CheckOutcome.Errored error = outcome instanceof CheckOutcome.Errored e ? e : null;
        CheckOutcome.Skipped skipped = outcome instanceof CheckOutcome.Skipped s ? s : null;
        String name = outcome instanceof CheckOutcome.Passed ? PASSED : outcome instanceof CheckOutcome.Failed ? FAILED
                : skipped != null ? SKIPPED : ERROR;
        return new ReportRow(test == null ? null : test.id(), test == null ? null : test.name(), test == null ? null : test.caseKey(),
                check.ordinal(), check.description(), name, check.metric().name(),
                v == null ? null : v.metricVersion(), v == null ? null : v.score(), v == null ? null : v.minScore(),
                v == null ? null : v.maxScore(), check.threshold(), v == null ? null : v.justification(),
                c.question(), c.answer(), c.groundTruth(), c.context(), v == null ? null : v.judgeModel(), v == null ? null : v.cached(),
                v == null ? null : v.latency().toMillis(), v == null ? null : v.usage().promptTokens(),
                v == null ? null : v.usage().completionTokens(), error == null || error.reason() == null ? null : error.reason().name(),
                error != null ? error.message() : skipped != null ? skipped.reason() : null, v == null ? null : v.cacheFile(),
                Instant.now().toString(), test == null ? null : test.dataset());
    }

    /** Whether the check was skipped: not judged on purpose, never a score and never an error. */
    public boolean skipped() {
        return SKIPPED.equals(outcome);
    }

    /** Whether the check has a score (it passed or failed); an error or a skip is never a score. */
    public boolean scored() {
        return score != null;
    }
}
