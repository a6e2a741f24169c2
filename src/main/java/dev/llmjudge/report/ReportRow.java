package dev.llmjudge.report;

import dev.llmjudge.judge.CheckResult;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Verdict;

/**
 * One judged check as the report shows it: a flat, serialisable row.
 *
 * @param testId JUnit unique id of the test, or {@code null}
 * @param testName the test's display path, or {@code null}
 * @param caseKey where the test comes from, stable across runs, or {@code null} outside a test (see {@link CaseIds})
 * @param ordinal the check's number among its test's checks of the same metric, from 1
 * @param description the assertion's {@code as(...)} description, or {@code null}
 * @param outcome {@code PASSED}, {@code FAILED} or {@code ERROR}
 * @param metric the metric's name
 * @param metricVersion the metric's version, or {@code null} for an error
 * @param score the score, or {@code null} for an error
 * @param minScore the rubric's lowest score, or {@code null} for an error
 * @param maxScore the rubric's highest score, or {@code null} for an error
 * @param threshold the threshold applied, or {@code null}
 * @param justification the judge's justification, or {@code null} for an error
 * @param question the case's question, or {@code null}
 * @param answer the answer under test
 * @param groundTruth the ground truth, or {@code null}
 * @param context the context, or {@code null}
 * @param judgeModel the judge model, or {@code null} for an error
 * @param cached whether the verdict was recorded before this run, or {@code null} for an error
 * @param latencyMillis the judge's latency when the verdict was produced, or {@code null}
 * @param promptTokens prompt tokens, or {@code null}
 * @param completionTokens completion tokens, or {@code null}
 * @param errorReason why there was no verdict, or {@code null}
 * @param errorMessage the error's message, or {@code null}
 * @param cacheFile the verdict file, or {@code null}
 * @param at when the check finished (ISO-8601)
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
        String at) {

    /** The row for a check. */
    public static ReportRow of(CheckResult r) {
        Verdict v = r.verdict();
        EvaluationCase c = r.evaluationCase();
        return new ReportRow(r.testId(), r.testName(), r.caseKey(), r.ordinal(), r.description(), r.outcome().name(), r.metric(),
                v == null ? null : v.metricVersion(), v == null ? null : v.score(), v == null ? null : v.minScore(),
                v == null ? null : v.maxScore(), r.threshold(), v == null ? null : v.justification(),
                c == null ? null : c.question(), c == null ? null : c.answer(), c == null ? null : c.groundTruth(),
                c == null ? null : c.context(), v == null ? null : v.judgeModel(), v == null ? null : v.cached(),
                v == null ? null : v.latency().toMillis(), v == null ? null : v.usage().promptTokens(),
                v == null ? null : v.usage().completionTokens(), r.errorReason() == null ? null : r.errorReason().name(),
                r.errorMessage(), v == null ? null : v.cacheFile(), r.at().toString());
    }
}
