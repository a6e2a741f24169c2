package dev.llmjudge.judge;

import dev.llmjudge.metric.Field;

/**
 * One case to grade: the answer under test and whatever the metric compares it with.
 *
 * <pre>{@code
 * EvaluationCase c = EvaluationCase.ofAnswer("MLflow is an ML platform.")
 *     .withQuestion("What is MLflow?")
 *     .withGroundTruth("MLflow is an open-source platform for the ML lifecycle.");
 * }</pre>
 *
 * @param question the question (MLflow's {@code inputs}), or {@code null}
 * @param answer the answer under test (MLflow's {@code predictions})
 * @param groundTruth the reference answer (MLflow's {@code targets}), or {@code null}
 * @param context retrieved context the answer should rest on, or {@code null}
 */
public record EvaluationCase(String question, String answer, String groundTruth, String context) {

    /** A case with only the answer set. */
    public static EvaluationCase ofAnswer(String answer) {
        return new EvaluationCase(null, answer, null, null);
    }

    public EvaluationCase withQuestion(String value) {
        return new EvaluationCase(value, answer, groundTruth, context);
    }

    public EvaluationCase withGroundTruth(String value) {
        return new EvaluationCase(question, answer, value, context);
    }

    public EvaluationCase withContext(String value) {
        return new EvaluationCase(question, answer, groundTruth, value);
    }

    /** The value of the given field, or {@code null}. */
    public String get(Field field) {
        return switch (field) {
            case QUESTION -> question;
            case ANSWER -> answer;
            case GROUND_TRUTH -> groundTruth;
            case CONTEXT -> context;
        };
    }
}
