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
 * @param id the row's {@code id}, or {@code null}
 * @param question the question ({@code question} or {@code inputs}), or {@code null}
 * @param groundTruth the reference answer ({@code ground_truth}), or {@code null}
 * @param answer the answer under test ({@code answer}, or MLflow's {@code prediction} / {@code predictions}), or {@code null}
 * @param context the context the answer should rest on ({@code context}), or {@code null}
 * @param source the dataset as named in the annotation
 * @param line the line the row starts on (1-based)
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
