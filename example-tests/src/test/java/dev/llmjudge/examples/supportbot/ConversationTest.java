package dev.llmjudge.examples.supportbot;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatConversation;

import dev.llmjudge.conversation.Conversation;
import dev.llmjudge.junit.LlmJudgeTest;
import org.junit.jupiter.api.Test;

/**
 * Whole conversations with the assistant: each user turn is sent to the bot and its reply is the
 * next assistant turn. The judge reads the numbered transcript and names the turns it faults.
 */
@LlmJudgeTest
class ConversationTest {
    private static final String ROLE = "You are the support assistant of Kestrel Outdoor. Answer questions about orders, shipping,"
            + " returns, payments and warranties from the knowledge base; hand anything else to a person.";

    private final SupportBot bot = SupportBot.withBundledKnowledgeBase();

    /** The conversation of the bot with a customer who says these turns, one bot reply after each. */
    private Conversation withCustomer(String... userTurns) {
        Conversation.Builder conversation = Conversation.builder().system(ROLE);
        for (String turn : userTurns) {
            conversation.user(turn).assistant(bot.answer(turn).answer());
        }
        return conversation.build();
    }

    @Test
    void a_returns_conversation_stays_on_topic_and_in_role_and_gets_the_customer_an_answer() {
        Conversation conversation = withCustomer(
                "Hi, I bought a tent three weeks ago and I want to return it.",
                "How long do I have to return an item?",
                "And how is the refund paid?");

        assertThatConversation(conversation)
                .isRelevant().withScoreAtLeast(3)
                .hasRoleAdherence().withScoreAtLeast(4)
                .hasKnowledgeRetention().withScoreAtLeast(3)
                .isComplete().withScoreAtLeast(3);
    }
}
