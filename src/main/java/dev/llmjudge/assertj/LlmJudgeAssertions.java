package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.conversation.Conversation;
import java.util.List;

/**
 * The entry point: one static import and an answer is judged like any other AssertJ subject.
 *
 * <pre>{@code
 * import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
 *
 * assertThatAnswer(prediction).isSimilarTo(groundTruth).withScoreAtLeast(4);
 * }</pre>
 */
public final class LlmJudgeAssertions {
    private LlmJudgeAssertions() {
    }

    /**
     * Starts assertions on an answer produced by the system under test.
     *
     * @param answer the answer; {@code null} or blank is rejected when a check is made
     */
    @CheckReturnValue
    public static AnswerAssert assertThatAnswer(String answer) {
        return new AnswerAssert(answer);
    }

    /**
     * Starts assertions on a conversation the system under test took part in.
     *
     * <pre>{@code
     * assertThatConversation(conversation).hasKnowledgeRetention().withScoreAtLeast(4);
     * }</pre>
     *
     * @param conversation the turns; {@code null} is rejected when a check is made
     */
    @CheckReturnValue
    public static ConversationAssert assertThatConversation(Conversation conversation) {
        return new ConversationAssert(conversation);
    }

    /**
     * Starts assertions on what a retriever returned for a question: its chunks, ranked best first.
     *
     * <pre>{@code
     * assertThatRetrieval(question, chunks).hasContextPrecisionAtLeast(0.8);
     * }</pre>
     *
     * @param question the question the chunks were retrieved for
     * @param chunks the retrieved chunks, best first; checked when a check is made
     */
    @CheckReturnValue
    public static RetrievalAssert assertThatRetrieval(String question, List<String> chunks) {
        return new RetrievalAssert(question, chunks);
    }
}
