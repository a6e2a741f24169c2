package dev.llmjudge.examples.supportbot;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatRetrieval;

import dev.llmjudge.junit.LlmJudgeTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The retrieval behind the answers: are the articles that help ranked first (context precision),
 * and do the retrieved articles hold what the reference answer says (context recall)? Each article
 * is one chunk, ranked by the assistant's BM25 retriever.
 */
@LlmJudgeTest
class RetrievalTest {
    private final Bm25Retriever retriever = new Bm25Retriever(KnowledgeBase.bundled().articles());

    private List<String> topThree(String question) {
        return retriever.search(question, 3).stream().map(match -> match.article().text()).toList();
    }

    @Test
    void the_returns_article_is_retrieved_first_and_holds_the_refund_policy() {
        String question = "How long do I have to return an item for a refund?";

        assertThatRetrieval(question, topThree(question))
                .hasContextPrecisionAtLeast(0.5)
                .withGroundTruth("Items can be returned within 30 days of delivery. The refund goes to the original payment method.")
                .hasContextRecallAtLeast(0.5);
    }
}
