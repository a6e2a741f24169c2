package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.metric.Metric;

/**
 * A pairwise comparison that states what it expects of the candidate; nothing else can follow it.
 * Each judges the comparison in both orders (candidate first, then reference first), each order a
 * verdict recorded like any other: the candidate wins only when both orders prefer it, loses only
 * when both prefer the reference, and ties otherwise (position-inconsistent when the orders disagree).
 *
 * <pre>{@code
 * assertThatAnswer(candidate).comparedTo(mainAnswer).forQuestion(question).winsOrTies();
 * }</pre>
 */
public final class PairwiseExpectation {
    private final AnswerAssert.Started started;
    private boolean stated;

    PairwiseExpectation(AnswerAssert.Started started) {
        this.started = started;
    }

    /**
     * Fails unless the candidate wins or ties: fails only when both orders prefer the reference.
     *
     * @throws JudgeException when the judge could not give a verdict for either order (the test errors)
     */
    @CanIgnoreReturnValue
    public AnswerAssert winsOrTies() {
        state("winsOrTies()");
        return started.judge(Metric.PAIRWISE_TIE, 0);
    }

    /**
     * Fails unless the candidate wins: both orders prefer it.
     *
     * @throws JudgeException when the judge could not give a verdict for either order (the test errors)
     */
    @CanIgnoreReturnValue
    public AnswerAssert wins() {
        state("wins()");
        return started.judge(Metric.PAIRWISE_FIRST_BETTER, 0);
    }

    private void state(String call) {
        if (stated) {
            throw new IllegalStateException(call + ": this comparison has already stated what it expects; begin another with comparedTo(reference)");
        }
        stated = true;
    }
}
