package dev.llmjudge.metric;

/**
 * One level of a grading rubric: the score and what an answer must show to earn it.
 *
 * <pre>{@code
 * new GradingLevel(5, "The answer has the same meaning as the ground truth.")
 * }</pre>
 */
public record GradingLevel(int score, String description) {
    public GradingLevel {
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("grading level " + score + " has a " + (description == null ? "null" : "blank")
                    + " description: describe what an answer at this level looks like");
        }
    }
}
