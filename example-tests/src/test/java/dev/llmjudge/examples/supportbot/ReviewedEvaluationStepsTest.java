package dev.llmjudge.examples.supportbot;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;

import dev.llmjudge.junit.LlmJudgeTest;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import org.junit.jupiter.api.Test;

/**
 * A criterion graded by evaluation steps the judge writes once (G-Eval, pinned): the first run with
 * a judge stores them in {@code src/test/llm-judge/_steps/empathy-<hash>.json}, to review and commit;
 * every later run reads them from there, with no request. Without an API key and without the steps
 * file, the test is skipped with the reason (llmjudge.judge.missing-key=skip).
 */
@LlmJudgeTest
class ReviewedEvaluationStepsTest {
    private final SupportBot bot = SupportBot.withBundledKnowledgeBase();

    static final Metric EMPATHY = Metrics.withSteps("empathy", "acknowledges the customer's problem before telling them what to do");

    @Test
    void the_late_order_answer_acknowledges_the_problem() {
        assertThatAnswer(bot.answer("My order has not arrived yet, where is it?").answer())
                .judgedBy(EMPATHY).withScoreAtLeast(3);
    }
}
