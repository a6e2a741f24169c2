package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.internal.Arguments;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;

/**
 * A comparison of the answer with a reference answer that still needs its question (and, if not
 * {@code pairwise_preference}, its pairwise metric); only {@link #forQuestion} goes on:
 *
 * <pre>{@code
 * assertThatAnswer(candidate).comparedTo(mainAnswer).forQuestion(question).winsOrTies();
 * assertThatAnswer(candidate).comparedTo(mainAnswer).judgedBy(moreConcise).forQuestion(question).wins();
 * }</pre>
 */
public final class PairwiseComparison {
    private final AnswerAssert owner;
    private final String reference;
    private Metric metric = Metrics.pairwisePreference();

    PairwiseComparison(AnswerAssert owner, String reference) {
        this.owner = owner;
        this.reference = reference;
    }

    /** Compares on {@code pairwiseMetric} (built with {@link Metric#pairwiseBuilder}) instead of {@code pairwise_preference}. */
    @CheckReturnValue
    public PairwiseComparison judgedBy(Metric pairwiseMetric) {
        this.metric = Arguments.requireMetric(pairwiseMetric, "comparedTo(reference).judgedBy(null)",
                "a pairwise one such as Metrics.pairwisePreference() or one built with Metric.pairwiseBuilder");
        return this;
    }

    /**
     * Sets the question both answers respond to; the comparison then states what it expects.
     *
     * @throws IllegalArgumentException when the question or an answer is missing or blank, or the metric is not pairwise
     */
    @CheckReturnValue
    public PairwiseExpectation forQuestion(String question) {
        return owner.comparison(metric, question, reference);
    }
}
