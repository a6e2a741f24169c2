package dev.llmjudge.metric;

/**
 * A piece of an evaluation case that a metric reads, in the library's one vocabulary: the
 * question, the answer under test, the ground truth and the context. (MLflow calls the first
 * three {@code inputs}, {@code predictions} and {@code targets}; datasets accept those names.)
 */
public enum Field {
    /** The question or prompt that the system under test answered. */
    QUESTION("question"),
    /** The answer produced by the system under test. */
    ANSWER("answer"),
    /** The reference answer. */
    GROUND_TRUTH("ground truth"),
    /** The context (for example retrieved documents) the answer should be grounded in. */
    CONTEXT("context");

    private final String label;

    Field(String label) {
        this.label = label;
    }

    /** The human-readable name used in prompts and messages, e.g. {@code "ground truth"}. */
    public String label() {
        return label;
    }

    /** The name in JSON (prompts, verdict files, cache keys), e.g. {@code ground_truth}. */
    public String jsonName() {
        return label.replace(' ', '_');
    }
}
