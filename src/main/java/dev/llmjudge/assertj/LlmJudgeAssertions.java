package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CheckReturnValue;

/**
 * The entry point: one static import and an answer is judged like any other AssertJ subject.
 *
 * <pre>{@code
 * import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
 *
 * assertThatAnswer(prediction).isSimilarTo(groundTruth).withScoreAtLeast(4);
 * }</pre>
 */
public final class LlmJudgeAssertions {
    private LlmJudgeAssertions() {
    }

    /**
     * Starts assertions on an answer produced by the system under test.
     *
     * @param answer the answer; {@code null} or blank is rejected when a check is made
     */
    @CheckReturnValue
    public static AnswerAssert assertThatAnswer(String answer) {
        return new AnswerAssert(answer);
    }
}
