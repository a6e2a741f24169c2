package dev.llmjudge.internal.check;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.metric.Metric;
import java.util.Objects;

/**
 * One judged check as the test wrote it: where it was made, the metric, the case and the bar.
 *
 * <p>A check never holds a known API key: the case's text and the description are redacted when
 * it is made ({@link Secrets#redact(String)}), so everything built from it (failure messages,
 * report entries, report files) is too, even when the system under test put a key in its answer.
 *
 * @param test the test that made the check, or {@code null} outside a test
 * @param ordinal the check's number among its test's checks of the same metric, from 1
 * @param description the assertion's {@code as(...)} description, or {@code null}
 * @param metric the metric
 * @param evaluationCase the case to grade (redacted)
 * @param threshold the score the check asks for, or {@code null} when it was rejected before stating one
 */
public record Check(CheckRecorder.TestIdentity test, int ordinal, String description, Metric metric, EvaluationCase evaluationCase,
        Integer threshold) {

    public Check {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(evaluationCase, "evaluationCase");
        description = description == null || description.isEmpty() ? null : Secrets.redact(description);
        evaluationCase = new EvaluationCase(Secrets.redact(evaluationCase.question()), Secrets.redact(evaluationCase.answer()),
                Secrets.redact(evaluationCase.groundTruth()), Secrets.redact(evaluationCase.context()));
    }

    /**
     * A check made now on the current thread: attributed to the test it runs, numbered among that
     * test's checks of {@code metric}.
     */
    public static Check made(String description, Metric metric, EvaluationCase evaluationCase, Integer threshold) {
        CheckRecorder.TestIdentity test = CheckRecorder.currentTest();
        return new Check(test, CheckRecorder.nextOrdinal(test, metric.name()), description, metric, evaluationCase, threshold);
    }
}
