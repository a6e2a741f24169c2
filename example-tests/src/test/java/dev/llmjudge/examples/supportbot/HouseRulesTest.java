package dev.llmjudge.examples.supportbot;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;

import dev.llmjudge.metric.Example;
import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.junit.LlmJudgeTest;
import org.junit.jupiter.api.Test;

/**
 * The support team's own rules, as a custom metric (the equivalent of MLflow's
 * {@code make_genai_metric}) and as plain-language pass/fail criteria.
 */
@LlmJudgeTest
class HouseRulesTest {
    private final SupportBot bot = SupportBot.withBundledKnowledgeBase();

    /** Does the answer tell the customer what to do next? */
    static final Metric NEXT_STEP = Metric.builder("next_step")
            .version("v1")
            .definition("Next step measures whether the answer tells the customer what to do next to resolve the question:"
                    + " where to click, whom to write to, or what happens without any action.")
            .level(1, "No next step; the customer is left to guess.")
            .level(2, "A vague hint at what to do.")
            .level(3, "A next step, but incomplete (e.g. where, but not how).")
            .level(4, "A clear next step with a minor gap.")
            .level(5, "A clear, complete next step the customer can follow at once.")
            .example(Example.builder()
                    .question("How do I return a jacket?")
                    .answer("Start a return from the Orders page by choosing Return item; we email a prepaid label.")
                    .score(5).justification("Says exactly where to go and what happens next.").build())
            .example(Example.builder()
                    .question("How do I return a jacket?")
                    .answer("Returns are accepted within 30 days.")
                    .score(2).justification("States the policy but not how to start a return.").build())
            .requires(Field.QUESTION)
            .build();

    @Test
    void the_password_answer_gives_a_next_step() {
        String question = "I forgot my password, what do I do?";

        assertThatAnswer(bot.answer(question).answer())
                .withQuestion(question)
                .judgedBy(NEXT_STEP).withScoreAtLeast(4);
    }

    @Test
    void the_password_answer_never_asks_for_the_password() {
        assertThatAnswer(bot.answer("I forgot my password, what do I do?").answer())
                .meets("never asks the customer to share their password or a reset link")
                .passes();
    }
}
