package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.llmjudge.embedding.EmbeddingMetrics;
import dev.llmjudge.judge.JudgeException;

/**
 * An offline similarity check ({@link AnswerAssert#isSemanticallySimilarTo}) that now states its
 * bound on the cosine similarity:
 *
 * <pre>{@code
 * assertThatAnswer(answer).isSemanticallySimilarTo(truth).withCosineAtLeast(0.8);
 * }</pre>
 */
public final class CosineExpectation {
    private final AnswerAssert.Started started;
    private boolean stated;

    CosineExpectation(AnswerAssert.Started started) {
        this.started = started;
    }

    /**
     * Judges the check and fails unless the cosine similarity is at least {@code minCosine}, in
     * hundredths: {@code withCosineAtLeast(0.8)} is a score of at least 80 on the 0-100 scale of
     * {@code semantic_similarity}.
     *
     * @throws IllegalArgumentException when {@code minCosine} is outside 0..1 or has more than two decimals
     * @throws JudgeException when the embedding model is not available (the test errors)
     */
    @CanIgnoreReturnValue
    public AnswerAssert withCosineAtLeast(double minCosine) {
        if (stated) {
            throw new IllegalStateException("withCosineAtLeast(" + minCosine + "): this check has already stated its bound; begin another"
                    + " check for another bar");
        }
        stated = true;
        int threshold;
        try {
            threshold = EmbeddingMetrics.thresholdOf(minCosine);
        } catch (IllegalArgumentException e) {
            throw started.reject(null, e);
        }
        return started.judge(threshold, 0);
    }
}
