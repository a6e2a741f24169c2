package dev.llmjudge.examples.supportbot;

import dev.llmjudge.assertj.JudgedSoftAssertions;
import dev.llmjudge.junit.LlmJudgeTest;
import org.junit.jupiter.api.Test;

/**
 * A sweep over the frequently asked questions: soft assertions run every check and report all
 * the answers that fell short together, instead of stopping at the first.
 */
@LlmJudgeTest
class SoftAssertionsTest {
    private final SupportBot bot = SupportBot.withBundledKnowledgeBase();

    @Test
    void frequently_asked_questions_stay_close_to_the_reference_answers() {
        JudgedSoftAssertions softly = new JudgedSoftAssertions();

        softly.assertThatAnswer(bot.answer("Do you ship to Canada?").answer())
                .isSemanticallySimilarTo("Yes, we ship to Canada, the United Kingdom and the European Union.")
                .withCosineAtLeast(0.85);
        softly.assertThatAnswer(bot.answer("How long does standard shipping take?").answer())
                .isSemanticallySimilarTo("Standard shipping takes 3 to 5 business days.")
                .withCosineAtLeast(0.80);
        softly.assertThatAnswer(bot.answer("Can I cancel my order?").answer())
                .isSemanticallySimilarTo("You can cancel an order within one hour of placing it, from the Orders page.")
                .withCosineAtLeast(0.80);
        softly.assertThatAnswer(bot.answer("I forgot my password, what do I do?").answer())
                .isSemanticallySimilarTo("Choose Forgot password on the sign-in page and we will email you a reset link valid for 30 minutes.")
                .withCosineAtLeast(0.75);

        softly.assertAll();
    }

    @Test
    void frequently_asked_questions_mean_what_the_reference_answers_mean(JudgedSoftAssertions softly) {
        // Injected by the extension, which asserts them all after the test.
        softly.assertThatAnswer(bot.answer("Which payment methods do you accept?").answer())
                .isSimilarTo("We accept Visa, Mastercard, American Express, PayPal and gift cards.")
                .withScoreAtLeast(4);
        softly.assertThatAnswer(bot.answer("Do gift cards expire?").answer())
                .isSimilarTo("No, gift cards never expire.")
                .withScoreAtLeast(4);
    }
}
