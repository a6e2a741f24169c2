package dev.llmjudge.judge;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one judged check, as the report shows it: which test made it, the case, the
 * threshold, and either the verdict or why there was none.
 *
 * @param testId the JUnit unique id of the test that made the check, or {@code null} outside a test
 * @param testName the test's display path, e.g. {@code SupportBotTest > refund policy}, or {@code null}
 * @param description the assertion's {@code as(...)} description, or {@code null}
 * @param metric the metric's name
 * @param evaluationCase the graded case
 * @param threshold the threshold applied, or {@code null} when the check errored before one was
 * @param outcome passed, failed (below threshold) or error (no verdict)
 * @param verdict the verdict, or {@code null} for an error
 * @param errorReason why there was no verdict, or {@code null}
 * @param errorMessage the error's message, or {@code null}
 * @param at when the check finished
 */
public record CheckResult(
        String testId,
        String testName,
        String description,
        String metric,
        EvaluationCase evaluationCase,
        Integer threshold,
        Outcome outcome,
        Verdict verdict,
        JudgeException.Reason errorReason,
        String errorMessage,
        Instant at) {

    /** What a judged check came to. An error is never a score. */
    public enum Outcome {
        /** The score met the threshold. */
        PASSED,
        /** The score was below the threshold: the test failed. */
        FAILED,
        /** No verdict could be had: the test errored. */
        ERROR
    }

    public CheckResult {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(at, "at");
        if ((outcome == Outcome.ERROR) != (verdict == null)) {
            throw new IllegalArgumentException("an error has no verdict, and every other outcome has one");
        }
    }

    public Optional<Verdict> verdictValue() {
        return Optional.ofNullable(verdict);
    }
}
