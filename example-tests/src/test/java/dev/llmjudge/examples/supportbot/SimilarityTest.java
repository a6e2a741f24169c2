package dev.llmjudge.examples.supportbot;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;

import dev.llmjudge.junit.LlmJudgeTest;
import org.junit.jupiter.api.Test;

/**
 * Does the assistant still say what the support team wrote? Two ways to ask: an LLM judge
 * grades meaning on a 1-5 rubric ({@code isSimilarTo}), and an embedding model measures cosine
 * similarity offline ({@code isSemanticallySimilarTo}).
 */
@LlmJudgeTest
class SimilarityTest {
    private final SupportBot bot = SupportBot.withBundledKnowledgeBase();

    @Test
    void explains_the_return_window() {
        String answer = bot.answer("How long do I have to return an item?").answer();

        // answer_similarity, judged by the LLM on MLflow's 1-5 rubric.
        assertThatAnswer(answer)
                .isSimilarTo("You can return items within 30 days of delivery for a full refund.")
                .withScoreAtLeast(4);
    }

    @Test
    void explains_the_return_window_offline() {
        String answer = bot.answer("How long do I have to return an item?").answer();

        // semantic_similarity: cosine of sentence embeddings, no LLM, no key.
        assertThatAnswer(answer)
                .isSemanticallySimilarTo("You can return items within 30 days of delivery for a full refund.")
                .withCosineAtLeast(0.85);
    }

    @Test
    void explains_who_pays_customs_duties() {
        // The assistant adds the delivery time, which the ground truth does not mention:
        // close in meaning, a little further in cosine.
        String answer = bot.answer("Who pays customs duties on international orders?").answer();

        assertThatAnswer(answer)
                .isSimilarTo("The customer pays customs duties and import taxes on delivery.")
                .withScoreAtLeast(4);
        assertThatAnswer(answer)
                .isSemanticallySimilarTo("The customer pays customs duties and import taxes on delivery.")
                .withCosineAtLeast(0.70);
    }
}
