package dev.llmjudge.internal.check;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.Texts;
import dev.llmjudge.metric.Metric;
import java.util.Objects;

/**
 * One judged check as the test wrote it: its test ({@code null} outside one), its ordinal, the
 * metric, the case and the threshold ({@code null} when rejected before stating one), and whether it
 * is a pairwise comparison (its case's ground truth is then the reference answer), also when it was
 * rejected for a metric that is not pairwise. The case and the description are redacted here, so
 * that everything built from a check is too.
 */
public record Check(CheckRecorder.TestIdentity test, int ordinal, String description, Metric metric, EvaluationCase evaluationCase,
        Integer threshold, boolean comparison) {

    public Check {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(evaluationCase, "evaluationCase");
        description = description == null || description.isEmpty() ? null : Secrets.redact(description);
        evaluationCase = new EvaluationCase(Secrets.redact(evaluationCase.question()), Secrets.redact(evaluationCase.answer()),
                Secrets.redact(evaluationCase.groundTruth()), Secrets.redact(evaluationCase.context()));
    }

    /** A check of one answer made now on the current thread, attributed to the test it runs. */
    public static Check made(String description, Metric metric, EvaluationCase evaluationCase, Integer threshold) {
        return made(description, metric, evaluationCase, threshold, false);
    }

    /** A check made now on the current thread, attributed to the test it runs; {@code comparison} for a pairwise comparison. */
    public static Check made(String description, Metric metric, EvaluationCase evaluationCase, Integer threshold, boolean comparison) {
        CheckRecorder.TestIdentity test = CheckRecorder.currentTest();
        return new Check(test, CheckRecorder.nextOrdinal(test, metric.name()), description, metric, evaluationCase, threshold, comparison);
    }

    /** E.g. {@code answer_similarity on answer "Paris..."}. */
    public String describe() {
        return metric.name() + " on answer " + Texts.quoted(String.valueOf(evaluationCase.answer()), 40);
    }
}
