package dev.llmjudge.junit;

import dev.llmjudge.internal.Texts;
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
 *     row.assertThatAnswer().judgedBy(Metrics.answerSimilarity()).withScoreAtLeast(4);
 * }
 * }</pre>
 *
 * Each field is the column of its name or alias (see {@link JudgeDataset}), {@code null} when
 * absent; {@code source} is the dataset as the annotation names it, {@code line} where the row starts.
 */
public record DatasetRow(String id, String question, String groundTruth, String answer, String context, String source, int line) {
    /** Display names are shortened to this many characters. */
    public static final int DISPLAY_NAME_LIMIT = 60;

    /** The row as an evaluation case. */
    public EvaluationCase evaluationCase() {
        return new EvaluationCase(question, answer, groundTruth, context);
    }

    /**
     * Starts judged assertions on the answer, with the question, ground truth and context of
     * the row already set, for {@code judgedBy(metric)}.
     */
    @CheckReturnValue
    public AnswerAssert assertThatAnswer() {
        return LlmJudgeAssertions.assertThatAnswer(answer).withQuestion(question).withGroundTruth(groundTruth).withContext(context);
    }

    /** The name of the row's invocation: the question, shortened (else the id, else the answer). */
    public String displayName() {
        String text = question != null ? question : id != null ? id : answer != null ? answer : source + ":" + line;
        return Texts.oneLine(text, DISPLAY_NAME_LIMIT);
    }

    @Override
    public String toString() {
        return displayName();
    }
}
