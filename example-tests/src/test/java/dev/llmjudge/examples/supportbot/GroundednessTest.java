package dev.llmjudge.examples.supportbot;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;

import dev.llmjudge.junit.LlmJudgeTest;
import org.junit.jupiter.api.Test;

/**
 * Retrieval-augmented answers: is every claim backed by the article the assistant retrieved
 * ({@code faithfulness}), and does the answer address the question ({@code answer_relevance},
 * {@code relevance})? No ground truth is needed for these.
 */
@LlmJudgeTest
class GroundednessTest {
    private final SupportBot bot = SupportBot.withBundledKnowledgeBase();

    @Test
    void the_warranty_answer_rests_on_the_warranty_article() {
        BotReply reply = bot.answer("My tent seams are leaking after a year, is that covered?");

        assertThatAnswer(reply.answer())
                .isFaithfulTo(reply.context().orElseThrow())
                .withScoreAtLeast(4);
    }

    @Test
    void the_shipping_answer_addresses_the_question() {
        String question = "How much does express delivery cost?";
        BotReply reply = bot.answer(question);

        assertThatAnswer(reply.answer())
                .isRelevantTo(question).withScoreAtLeast(4)
                .isRelevantTo(question, reply.context().orElseThrow()).withScoreAtLeast(4);
    }

    @Test
    void an_unanswerable_question_gets_a_hand_off_to_a_person() {
        // Nothing in the knowledge base is about price matching, so the assistant must not invent a policy.
        String answer = bot.answer("Do you price match?").answer();

        assertThatAnswer(answer)
                .meets("says it does not know, or points the customer to a person, instead of stating a price-matching policy")
                .passes();
    }
}
