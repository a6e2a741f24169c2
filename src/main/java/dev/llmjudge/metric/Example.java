package dev.llmjudge.metric;

import java.util.Objects;

/**
 * A graded few-shot example shown to the judge: an evaluation case, its score and why.
 *
 * <pre>{@code
 * Example.builder()
 *     .question("What is MLflow?")
 *     .answer("MLflow is an open-source platform for the ML lifecycle.")
 *     .groundTruth("MLflow is an open-source platform for managing the end-to-end ML lifecycle.")
 *     .score(4)
 *     .justification("Same meaning, less detail.")
 *     .build();
 * }</pre>
 *
 * The fields a metric does not read may be {@code null}; the answer and the justification may not.
 */
public record Example(String question, String answer, String groundTruth, String context, int score, String justification) {
    public Example {
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(justification, "justification");
    }

    /** The value of one field of this example, or {@code null} when it is not set. */
    public String get(Field field) {
        return switch (field) {
            case QUESTION -> question;
            case ANSWER -> answer;
            case GROUND_TRUTH -> groundTruth;
            case CONTEXT -> context;
        };
    }

    /** Starts an example. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link Example}; {@link #answer}, {@link #score} and {@link #justification} are required. */
    public static final class Builder {
        private String question;
        private String answer;
        private String groundTruth;
        private String context;
        private Integer score;
        private String justification;

        private Builder() {
        }

        public Builder question(String question) {
            this.question = question;
            return this;
        }

        public Builder answer(String answer) {
            this.answer = answer;
            return this;
        }

        public Builder groundTruth(String groundTruth) {
            this.groundTruth = groundTruth;
            return this;
        }

        public Builder context(String context) {
            this.context = context;
            return this;
        }

        public Builder score(int score) {
            this.score = score;
            return this;
        }

        public Builder justification(String justification) {
            this.justification = justification;
            return this;
        }

        public Example build() {
            if (answer == null || score == null || justification == null) {
                throw new IllegalStateException("an example needs an answer, a score and a justification");
            }
            return new Example(question, answer, groundTruth, context, score, justification);
        }
    }
}
