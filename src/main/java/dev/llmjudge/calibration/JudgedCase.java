package dev.llmjudge.calibration;

import dev.llmjudge.judge.Verdict;
import java.util.Objects;

/**
 * A labelled case and the judge's verdict on it.
 *
 * @param labelled the case and the people's scores
 * @param verdict what the judge said (recorded or judged now)
 */
public record JudgedCase(LabelledCase labelled, Verdict verdict) {
    public JudgedCase {
        Objects.requireNonNull(labelled, "labelled");
        Objects.requireNonNull(verdict, "verdict");
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
