package dev.llmjudge.metric;

import java.util.List;

/**
 * The evaluation steps a judge follows for a plain-language criterion (G-Eval): written by the
 * judge once, stored in a small file beside the verdicts, reviewed like a verdict and replayed
 * from then on (see {@link Metrics#withSteps}). The steps are part of the metric, and so of every
 * verdict's cache key: other steps, other verdicts.
 *
 * <pre>{@code
 * EvaluationSteps steps = new EvaluationSteps("answers in a polite tone",
 *     List.of("Read the answer.", "Note any rude or curt wording.", "Score by how polite it reads."));
 * }</pre>
 *
 * @param criterion the criterion the steps are for, as the test wrote it
 * @param steps the steps in order; empty while the judge has not written them yet
 */
public record EvaluationSteps(String criterion, List<String> steps) {
    public EvaluationSteps {
        if (criterion == null || criterion.isBlank()) {
            throw new IllegalArgumentException((criterion == null ? "criterion is null" : "criterion is blank")
                    + ": describe what the answer must do, e.g. \"answers in a polite tone\"");
        }
        if (steps == null) {
            throw new IllegalArgumentException("the evaluation steps for '" + criterion + "' are null: pass the steps in order, e.g."
                    + " List.of(\"Read the answer.\", \"Score by how polite it reads.\"), or EvaluationSteps.pending(criterion) while"
                    + " the judge has not written them");
        }
        for (int i = 0; i < steps.size(); i++) {
            String step = steps.get(i);
            if (step == null || step.isBlank()) {
                throw new IllegalArgumentException("the evaluation steps for '" + criterion + "' hold a " + (step == null ? "null" : "blank")
                        + " step (step " + (i + 1) + " of " + steps.size() + "): give every step its text");
            }
        }
        steps = List.copyOf(steps);
    }

    /** Steps still to be written for {@code criterion}. */
    public static EvaluationSteps pending(String criterion) {
        return new EvaluationSteps(criterion, List.of());
    }

    /** Whether the judge has not written the steps yet. */
    public boolean pending() {
        return steps.isEmpty();
    }
}
