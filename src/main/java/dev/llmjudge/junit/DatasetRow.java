package dev.llmjudge.junit;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.assertj.AnswerAssert;
import dev.llmjudge.assertj.LlmJudgeAssertions;
import dev.llmjudge.judge.EvaluationCase;

/**
 * One row of an evaluation dataset read by {@link JudgeDataset}.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @JudgeDataset("datasets/support.csv")
 * void answersLikeTheReference(DatasetRow row) {
 *     row.assertThatPrediction().judgedBy(Metrics.answerSimilarity()).withScoreAtLeast(4);
 * }
 * }</pre>
 *
 * @param id the row's {@code id}, or {@code null}
 * @param question the question ({@code question} or {@code inputs}), or {@code null}
 * @param groundTruth the reference answer ({@code ground_truth}), or {@code null}
 * @param prediction the answer under test ({@code prediction}, {@code predictions} or {@code answer}), or {@code null}
 * @param context the context the answer should rest on ({@code context}), or {@code null}
 * @param source the dataset as named in the annotation
 * @param line the line the row starts on (1-based)
 */
public record DatasetRow(String id, String question, String groundTruth, String prediction, String context, String source, int line) {
    /** Display names are shortened to this many characters. */
    public static final int DISPLAY_NAME_LIMIT = 60;

    /** The row as an evaluation case. */
    public EvaluationCase evaluationCase() {
        return new EvaluationCase(question, prediction, groundTruth, context);
    }

    /**
     * Starts judged assertions on the prediction, with the question, ground truth and context of
     * the row already set, for {@code judgedBy(metric)}.
     */
    @CheckReturnValue
    public AnswerAssert assertThatPrediction() {
        return LlmJudgeAssertions.assertThatAnswer(prediction).withQuestion(question).withGroundTruth(groundTruth).withContext(context);
    }

    /** The name of the row's invocation: the question, shortened (else the id, else the prediction). */
    public String displayName() {
        String text = question != null ? question : id != null ? id : prediction != null ? prediction : source + ":" + line;
        return TestNames.shorten(text, DISPLAY_NAME_LIMIT);
    }

    @Override
    public String toString() {
        return displayName();
    }
}
