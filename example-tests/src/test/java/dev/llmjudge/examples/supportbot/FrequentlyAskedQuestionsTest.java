package dev.llmjudge.examples.supportbot;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;

import dev.llmjudge.junit.DatasetRow;
import dev.llmjudge.junit.JudgeDataset;
import dev.llmjudge.junit.LlmJudgeTest;
import dev.llmjudge.junit.QualityGate;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The assistant against the support team's reference answers, one row per line of
 * {@code src/test/resources/datasets/support-bot.jsonl} (question and ground truth; the assistant
 * gives the answer).
 *
 * <p>Two kinds of bound work together: each row must clear a low bar (it is still on topic), and
 * a quality gate holds the dataset as a whole to a higher one (the mean), so one weak answer is
 * tolerated but a general slide is not. The baseline gate fails the class when a case scores 2
 * points or more below the same case in the baseline report ({@code llmjudge.report.baseline} in
 * {@code src/test/resources/junit-platform.properties}; in CI, the main branch's report).
 */
@LlmJudgeTest(maxScoreDrop = 2)
class FrequentlyAskedQuestionsTest {
    private final SupportBot bot = SupportBot.withBundledKnowledgeBase();

    @ParameterizedTest
    @JudgeDataset(value = "datasets/support-bot.jsonl", required = {"question", "ground_truth"})
    @QualityGate(metric = "semantic_similarity", minMean = 80, minPassRate = 1.0)
    void answers_stay_close_to_the_reference_answers(DatasetRow row) {
        String answer = bot.answer(row.question()).answer();

        assertThatAnswer(answer).isSemanticallySimilarTo(row.groundTruth()).withCosineAtLeast(0.50);
    }

    @ParameterizedTest
    @JudgeDataset(value = "datasets/support-bot.jsonl", required = {"question", "ground_truth"})
    void answers_are_correct(DatasetRow row) {
        String answer = bot.answer(row.question()).answer();

        assertThatAnswer(answer).isCorrectAnswerTo(row.question(), row.groundTruth()).withScoreAtLeast(3);
    }
}
