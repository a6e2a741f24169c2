package dev.llmjudge.metric;

import java.util.Objects;

/**
 * A graded few-shot example shown to the judge: an evaluation case, its score and why.
 *
 * <pre>{@code
 * Example.builder()
 *     .input("What is MLflow?")
 *     .output("MLflow is an open-source platform for the ML lifecycle.")
 *     .target("MLflow is an open-source platform for managing the end-to-end ML lifecycle.")
 *     .score(4)
 *     .justification("Same meaning, less detail.")
 *     .build();
 * }</pre>
 *
 * @param input the question, or {@code null} when the metric does not use it
 * @param output the answer being graded
 * @param target the ground truth, or {@code null}
 * @param context the context, or {@code null}
 * @param score the score the example earns
 * @param justification why it earns that score
 */
public record Example(String input, String output, String target, String context, int score, String justification) {
    public Example {
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(justification, "justification");
    }

    /** The value of one field of this example, or {@code null} when it is not set. */
    public String get(Field field) {
        return switch (field) {
            case INPUT -> input;
            case OUTPUT -> output;
            case TARGET -> target;
            case CONTEXT -> context;
        };
    }

    /** Starts an example. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link Example}; {@link #output}, {@link #score} and {@link #justification} are required. */
    public static final class Builder {
        private String input;
        private String output;
        private String target;
        private String context;
        private Integer score;
        private String justification;

        private Builder() {
        }

        public Builder input(String input) {
            this.input = input;
            return this;
        }

        public Builder output(String output) {
            this.output = output;
            return this;
        }

        public Builder target(String target) {
            this.target = target;
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
            if (output == null || score == null || justification == null) {
                throw new IllegalStateException("an example needs output, score and justification");
            }
            return new Example(input, output, target, context, score, justification);
        }
    }
}
