package dev.llmjudge.calibration;

import dev.llmjudge.judge.EvaluationCase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One row of a labelled dataset: a case and the scores people gave it on the metric's rubric, one
 * per labeller, the same labeller at the same position on every row.
 *
 * <pre>{@code
 * LabelledCase row = new LabelledCase("datasets/golden.jsonl", 3, "refund-late",
 *     EvaluationCase.ofAnswer("Refunds are always possible.").withGroundTruth("Refunds within 30 days only."),
 *     List.of(2, 1, 2));
 * row.humanScore();   // 2, the median
 * }</pre>
 *
 * @param source the dataset, as it was named
 * @param line where the row starts (1-based)
 * @param id the row's {@code id}, or {@code null}
 * @param evaluationCase what the judge grades
 * @param humanScores the people's scores, at least one
 */
public record LabelledCase(String source, int line, String id, EvaluationCase evaluationCase, List<Integer> humanScores) {
    public LabelledCase {
        if (evaluationCase == null) {
            throw new IllegalArgumentException(where(source, line) + ": the evaluation case is null: pass what the judge grades, e.g."
                    + " EvaluationCase.ofAnswer(answer).withGroundTruth(truth)");
        }
        if (humanScores == null || humanScores.isEmpty()) {
            throw new IllegalArgumentException(where(source, line) + ": a labelled case needs at least one human score"
                    + (humanScores == null ? ", not null: pass the people's scores, e.g. List.of(4, 5)" : ""));
        }
        for (int i = 0; i < humanScores.size(); i++) {
            if (humanScores.get(i) == null) {
                throw new IllegalArgumentException(where(source, line) + ": human score " + (i + 1) + " of " + humanScores.size()
                        + " is null: give every labeller's score as a whole number");
            }
        }
        humanScores = List.copyOf(humanScores);
    }

    /**
     * The human score the judge is compared with: the median of the people's scores; of an even
     * number, the lower of the two middle ones (3 and 4 give 3), so that it is always a level of
     * the rubric and a split between labellers counts for the stricter grade.
     */
    public int humanScore() {
        List<Integer> sorted = new ArrayList<>(humanScores);
        Collections.sort(sorted);
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** {@code datasets/golden.jsonl:3}, as messages name the row. */
    public String where() {
        return where(source, line);
    }

    private static String where(String source, int line) {
        return (source == null ? "row" : source) + ":" + line;
    }
}
