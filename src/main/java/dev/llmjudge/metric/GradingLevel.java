package dev.llmjudge.metric;

import java.util.Objects;

/**
 * One level of a grading rubric: the score and what an answer must show to earn it.
 *
 * <pre>{@code
 * new GradingLevel(5, "The answer has the same meaning as the ground truth.")
 * }</pre>
 */
public record GradingLevel(int score, String description) {
    public GradingLevel {
        Objects.requireNonNull(description, "description");
        if (description.isBlank()) {
            throw new IllegalArgumentException("grading level " + score + " has a blank description: describe what an answer at this level looks like");
        }
    }
}
