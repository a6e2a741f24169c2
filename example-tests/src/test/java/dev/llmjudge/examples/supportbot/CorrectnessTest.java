package dev.llmjudge.examples.supportbot;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;

import dev.llmjudge.junit.LlmJudgeTest;
import org.junit.jupiter.api.Test;

/**
 * Is the answer right for the question? {@code answer_correctness} reads the question, the answer
 * and the ground truth: extra true detail is fine, a wrong fact is not.
 */
@LlmJudgeTest
class CorrectnessTest {
    private final SupportBot bot = SupportBot.withBundledKnowledgeBase();

    @Test
    void states_the_refund_delay() {
        String question = "When will I get my refund?";

        assertThatAnswer(bot.answer(question).answer())
                .isCorrectAnswerTo(question, "Refunds are issued within 5 business days after the returned item reaches the warehouse.")
                .withScoreAtLeast(4);
    }

    @Test
    void states_when_the_card_is_charged() {
        String question = "When is my card charged?";

        assertThatAnswer(bot.answer(question).answer())
                .isCorrectAnswerTo(question, "Your card is charged when the order ships, not when it is placed.")
                .withScoreAtLeast(4);
    }
}
