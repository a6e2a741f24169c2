package dev.llmjudge.examples.supportbot;

import static dev.llmjudge.junit.JudgeAssertions.assertThatJudge;

import dev.llmjudge.junit.LlmJudgeTest;
import dev.llmjudge.metric.Metrics;
import org.junit.jupiter.api.Test;

/**
 * Before the judge gates anything, check that it grades the way the team does. Each row of
 * {@code src/test/resources/datasets/golden-similarity.jsonl} is a fixed answer to one of the
 * support team's questions with the team's own grade in {@code human_score} (see the README beside
 * it: the maintainers' grading for this example, not a published benchmark). The judge grades
 * every row on {@code answer_similarity}; the test fails when it agrees with the team less than the
 * bounds say, printing the figures, the confusion matrix and the rows where they differ most.
 *
 * <p>Its verdicts are recorded like any other: run it once with a key and commit them, and it
 * replays. Without a key and without recorded verdicts it is skipped with the reason, like the
 * suite's other LLM-judged tests ({@code llmjudge.judge.missing-key=skip}).
 */
@LlmJudgeTest
class JudgeCalibrationTest {
    @Test
    void the_judge_grades_similarity_as_the_team_does() {
        assertThatJudge(Metrics.answerSimilarity())
                .againstHumanLabels("datasets/golden-similarity.jsonl")
                .hasWeightedKappaAtLeast(0.6)
                .hasAgreementWithinOneAtLeast(0.8);
    }
}
