package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.metric.Metric;

/**
 * A judged check that has named its metric and case and now states its threshold; nothing else
 * can follow it, so a check that never states one does not compile into a chain:
 *
 * <pre>{@code
 * assertThatAnswer(answer).isSimilarTo(truth).withScoreAtLeast(4);
 * assertThatAnswer(answer).meets("never quotes a price").passes();
 * }</pre>
 *
 * Both methods judge the check (or read its recorded verdict), publish its outcome and return the
 * {@link AnswerAssert}, so further checks of the same answer can follow.
 */
public final class ScoreExpectation {
    private final AnswerAssert.Started started;
    private boolean stated;

    ScoreExpectation(AnswerAssert.Started started) {
        this.started = started;
    }

    /**
     * Judges the check and fails unless the score is at least {@code threshold}.
     *
     * @throws IllegalArgumentException when the threshold is outside the metric's rubric
     * @throws JudgeException when the judge could not give a verdict (the test errors)
     */
    @CanIgnoreReturnValue
    public AnswerAssert withScoreAtLeast(int threshold) {
        Metric metric = state("withScoreAtLeast(" + threshold + ")");
        if (threshold < metric.minScore() || threshold > metric.maxScore()) {
            throw started.reject(threshold, new IllegalArgumentException("threshold " + threshold + " is outside the rubric of "
                    + metric.name() + " (" + metric.minScore() + " to " + metric.maxScore() + "): choose a score the judge can give"));
        }
        return started.judge(threshold);
    }

    /**
     * Judges the check against the metric's own pass threshold (pass/fail metrics such as
     * {@link AnswerAssert#meets(String)}).
     *
     * @throws IllegalStateException when the metric has no pass threshold: use {@link #withScoreAtLeast(int)}
     * @throws JudgeException when the judge could not give a verdict (the test errors)
     */
    @CanIgnoreReturnValue
    public AnswerAssert passes() {
        Metric metric = started.metric();
        Integer threshold = metric.passThreshold();
        if (threshold == null) {
            throw new IllegalStateException("metric " + metric.name() + " is scored " + metric.minScore() + " to " + metric.maxScore()
                    + " and has no pass threshold: use withScoreAtLeast(n) instead of passes()");
        }
        state("passes()");
        return started.judge(threshold);
    }

    private Metric state(String call) {
        if (stated) {
            throw new IllegalStateException(call + ": this check has already stated its threshold; begin another check for another bar,"
                    + " e.g. isSimilarTo(truth).withScoreAtLeast(n)");
        }
        stated = true;
        return started.metric();
    }
}
