package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.metric.Metric;

/**
 * A pairwise comparison that states what it expects of the candidate; nothing else can follow it.
 * Each judges the comparison in both orders (candidate first, then reference first), each order a
 * verdict recorded like any other: the candidate wins only when both orders prefer it, loses only
 * when both prefer the reference, and ties otherwise (position-inconsistent when the orders disagree).
 *
 * <pre>{@code
 * assertThatAnswer(candidate).comparedTo(mainAnswer).forQuestion(question).winsOrTies();
 * assertThatAnswer(candidate).comparedTo(mainAnswer).forQuestion(question).sampled(3).wins();
 * }</pre>
 */
public final class PairwiseExpectation {
    private final AnswerAssert.Started started;
    private boolean stated;
    /** The samples each order's verdict takes, {@code 0}: as configured. */
    private int samples;

    PairwiseExpectation(AnswerAssert.Started started) {
        this.started = started;
    }

    /**
     * Makes each order's verdict take {@code samples} samples, whatever {@code llmjudge.judge.samples} says: sample
     * {@code i} of both orders makes sample {@code i} of the comparison, the comparison comes to the median of those, and
     * it is unstable when they fall on both sides of what it expects.
     *
     * @throws IllegalArgumentException when {@code samples} is not 1 to {@value JudgeRequest#MAX_SAMPLES}
     */
    @CheckReturnValue
    public PairwiseExpectation sampled(int samples) {
        if (stated || this.samples != 0) {
            throw new IllegalStateException("sampled(" + samples + "): " + (stated ? "this comparison has already stated what it expects"
                    : "this comparison already takes " + this.samples + " samples") + "; begin another with comparedTo(reference)");
        }
        if (samples < 1 || samples > JudgeRequest.MAX_SAMPLES) {
            stated = true;
            throw started.reject(null, new IllegalArgumentException("sampled(" + samples + "): a verdict takes 1 to " + JudgeRequest.MAX_SAMPLES
                    + " samples"));
        }
        this.samples = samples;
        return this;
    }

    /**
     * Fails unless the candidate wins or ties: fails only when both orders prefer the reference.
     *
     * @throws JudgeException when the judge could not give a verdict for either order (the test errors)
     */
    @CanIgnoreReturnValue
    public AnswerAssert winsOrTies() {
        state("winsOrTies()");
        return started.judge(Metric.PAIRWISE_TIE, samples);
    }

    /**
     * Fails unless the candidate wins: both orders prefer it.
     *
     * @throws JudgeException when the judge could not give a verdict for either order (the test errors)
     */
    @CanIgnoreReturnValue
    public AnswerAssert wins() {
        state("wins()");
        return started.judge(Metric.PAIRWISE_FIRST_BETTER, samples);
    }

    private void state(String call) {
        if (stated) {
            throw new IllegalStateException(call + ": this comparison has already stated what it expects; begin another with comparedTo(reference)");
        }
        stated = true;
    }
}
