package dev.llmjudge.calibration;

import dev.llmjudge.judge.Verdict;

/**
 * A labelled case and the judge's verdict on it.
 *
 * @param labelled the case and the people's scores
 * @param verdict what the judge said (recorded or judged now)
 */
public record JudgedCase(LabelledCase labelled, Verdict verdict) {
    public JudgedCase {
        String call = "new JudgedCase(" + (labelled == null ? "null" : "labelled") + ", " + (verdict == null ? "null" : "verdict") + ")";
        if (labelled == null) {
            throw new IllegalArgumentException(call + ": the labelled case is null: pass the row the verdict is on, a LabelledCase");
        }
        if (verdict == null) {
            throw new IllegalArgumentException(call + ": the verdict is null: pass the judge's verdict on " + labelled.where());
        }
    }

    public int humanScore() {
        return labelled.humanScore();
    }

    public int judgeScore() {
        return verdict.score();
    }

    /** How many levels apart the judge and the people are: 0 when they agree. */
    public int gap() {
        return Math.abs(judgeScore() - humanScore());
    }
}
