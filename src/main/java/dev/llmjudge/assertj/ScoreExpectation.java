package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.embedding.EmbeddingMetrics;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.metric.Metric;

/**
 * A judged check that has named its metric and case and now states its threshold; nothing else
 * can follow it, so a check that never states one does not compile into a chain. Before the
 * threshold, it may say how many samples its verdict takes:
 *
 * <pre>{@code
 * assertThatAnswer(answer).isSimilarTo(truth).withScoreAtLeast(4);
 * assertThatAnswer(answer).isSimilarTo(truth).sampled(5).withScoreAtLeast(4);
 * assertThatAnswer(answer).meets("never quotes a price").passes();
 * }</pre>
 *
 * Both threshold methods judge the check (or read its recorded verdict), publish its outcome and
 * return the {@link AnswerAssert}, so further checks of the same answer can follow.
 */
public final class ScoreExpectation {
    private final AnswerAssert.Started started;
    private boolean stated;
    /** The samples the check asked for, {@code 0}: as configured. */
    private int samples;

    ScoreExpectation(AnswerAssert.Started started) {
        this.started = started;
    }

    /**
     * Makes the verdict of this check take {@code samples} samples, whatever {@code llmjudge.judge.samples}
     * says: its score is their median, and the check is unstable when they fall on both sides of
     * its threshold ({@code llmjudge.judge.on-unstable} says what an unstable check does).
     *
     * @throws IllegalArgumentException when {@code samples} is not 1 to {@value JudgeRequest#MAX_SAMPLES}, or the metric is
     *     judged by the embedding model, which gives the same score every time
     */
    @CheckReturnValue
    public ScoreExpectation sampled(int samples) {
        Metric metric = started.metric();
        if (stated || this.samples != 0) {
            throw new IllegalStateException("sampled(" + samples + "): " + (stated ? "this check has already stated its threshold"
                    : "this check already takes " + this.samples + " samples") + "; begin another check for another count");
        }
        if (samples < 1 || samples > JudgeRequest.MAX_SAMPLES) {
            stated = true;
            throw started.reject(null, new IllegalArgumentException("sampled(" + samples + "): a verdict takes 1 to " + JudgeRequest.MAX_SAMPLES
                    + " samples"));
        }
        if (samples > 1 && EmbeddingMetrics.isEmbeddingMetric(metric)) {
            stated = true;
            throw started.reject(null, new IllegalArgumentException("sampled(" + samples + "): " + metric.name() + " is judged by an"
                    + " embedding model, which gives the same score every time, so its samples could never differ: leave sampled(n) out"));
        }
        this.samples = samples;
        return this;
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
        return started.judge(threshold, samples);
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
        return started.judge(threshold, samples);
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
