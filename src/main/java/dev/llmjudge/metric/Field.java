package dev.llmjudge.metric;

/**
 * A piece of an evaluation case that a metric reads.
 *
 * <p>The names follow MLflow's vocabulary: {@code input} is the question, {@code output}
 * the answer under test, {@code target} the ground truth and {@code context} the retrieved
 * text the answer should rest on.
 */
public enum Field {
    /** The question or prompt that the system under test answered. */
    INPUT("question"),
    /** The answer produced by the system under test. */
    OUTPUT("answer"),
    /** The reference answer (ground truth). */
    TARGET("ground truth"),
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
}
