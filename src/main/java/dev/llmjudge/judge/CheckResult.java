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
 * @param caseKey where the test comes from, stable across runs (see {@link CheckRecorder.TestIdentity#caseKey()}),
 *     or {@code null} outside a test
 * @param ordinal the check's number among its test's checks of the same metric, from 1
 * @param description the assertion's {@code as(...)} description, or {@code null}
 * @param metric the metric's name
 * @param evaluationCase the graded case
 * @param threshold the threshold applied, or {@code null} when the check errored before one was
 * @param outcome passed, failed (below threshold) or error (no verdict)
 * @param verdict the verdict, or {@code null} for an error
 * @param errorReason why there was no verdict, or {@code null}
 * @param errorMessage the error's message, or {@code null}
 * @param at when the check finished
 *
 * <p>A check result never holds a known API key: the case's text, the description, the error
 * message and the justification are redacted when it is made ({@link Secrets#redact(String)}),
 * so everything built from it (report entries, report files) is too, even when the system under
 * test put a key in its answer.
 */
public record CheckResult(
        String testId,
        String testName,
        String caseKey,
        int ordinal,
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
        description = Secrets.redact(description);
        errorMessage = Secrets.redact(errorMessage);
        evaluationCase = evaluationCase == null ? null : new EvaluationCase(Secrets.redact(evaluationCase.question()),
                Secrets.redact(evaluationCase.answer()), Secrets.redact(evaluationCase.groundTruth()), Secrets.redact(evaluationCase.context()));
        verdict = verdict == null ? null : verdict.withJustification(Secrets.redact(verdict.justification()));
        if ((outcome == Outcome.ERROR) != (verdict == null)) {
            throw new IllegalArgumentException("an error has no verdict, and every other outcome has one");
        }
    }

    public Optional<Verdict> verdictValue() {
        return Optional.ofNullable(verdict);
    }
}
