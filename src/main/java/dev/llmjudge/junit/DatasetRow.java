package dev.llmjudge.junit;

import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.Texts;
import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.assertj.AnswerAssert;
import dev.llmjudge.assertj.ConversationAssert;
import dev.llmjudge.assertj.LlmJudgeAssertions;
import dev.llmjudge.assertj.RetrievalAssert;
import dev.llmjudge.conversation.Conversation;
import dev.llmjudge.conversation.Role;
import dev.llmjudge.conversation.Turn;
import java.util.List;
import dev.llmjudge.judge.EvaluationCase;

/**
 * One row of an evaluation dataset read by {@link JudgeDataset}.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @JudgeDataset("datasets/support.csv")
 * void answersLikeTheReference(DatasetRow row) {
 *     row.assertThatAnswer().judgedBy(Metrics.answerSimilarity()).withScoreAtLeast(4);
 * }
 * }</pre>
 *
 * Each field is the column of its name or alias (see {@link JudgeDataset}), {@code null} when
 * absent; {@code source} is the dataset as the annotation names it, {@code line} where the row starts.
 * A JSONL row may hold a conversation, {@code "messages": [{"role": "user", "content": "..."}, ...]},
 * and its context as ranked chunks, {@code "context": ["...", "..."]}:
 *
 * <pre>{@code
 * @ParameterizedTest
 * @JudgeDataset("datasets/conversations.jsonl")
 * void remembersWhatTheUserSaid(DatasetRow row) {
 *     row.assertThatConversation().hasKnowledgeRetention().withScoreAtLeast(4);
 * }
 * }</pre>
 *
 * @param id the row's id, or {@code null}
 * @param question the question, or {@code null}
 * @param groundTruth the reference answer, or {@code null}
 * @param answer the answer under test, or {@code null}
 * @param context the context as one text (ranked chunks numbered as {@link dev.llmjudge.judge.ContextChunks} writes them), or {@code null}
 * @param source the dataset as the annotation names it
 * @param line the line the row starts on
 * @param conversation the row's {@code messages}, or {@code null}
 * @param contexts the context's ranked chunks: those of a JSONL array, else the one context text, else none
 */
public record DatasetRow(String id, String question, String groundTruth, String answer, String context, String source, int line,
        Conversation conversation, List<String> contexts) {
    /** Display names are shortened to this many characters. */
    public static final int DISPLAY_NAME_LIMIT = 60;

    public DatasetRow {
        contexts = contexts != null ? List.copyOf(contexts) : context != null ? List.of(context) : List.of();
    }

    /** A row without a conversation, its context one text. */
    public DatasetRow(String id, String question, String groundTruth, String answer, String context, String source, int line) {
        this(id, question, groundTruth, answer, context, source, line, null, null);
    }

    /** The row as an evaluation case. */
    public EvaluationCase evaluationCase() {
        return new EvaluationCase(question, answer, groundTruth, context);
    }

    /**
     * Starts judged assertions on the answer, with the question, ground truth and context of
     * the row already set, for {@code judgedBy(metric)}.
     */
    @CheckReturnValue
    public AnswerAssert assertThatAnswer() {
        return LlmJudgeAssertions.assertThatAnswer(answer).withQuestion(question).withGroundTruth(groundTruth).withContext(context);
    }

    /**
     * Starts judged assertions on the row's conversation, its {@code messages}.
     *
     * @throws IllegalArgumentException when the row has no {@code messages}
     */
    @CheckReturnValue
    public ConversationAssert assertThatConversation() {
        if (conversation == null) {
            throw new IllegalArgumentException(source + ":" + line + " has no \"messages\": give the row its conversation, e.g."
                    + " \"messages\": [{\"role\": \"user\", \"content\": \"...\"}, {\"role\": \"assistant\", \"content\": \"...\"}]");
        }
        return LlmJudgeAssertions.assertThatConversation(conversation);
    }

    /** Starts judged assertions on the row's context chunks, retrieved for its question, with its ground truth set. */
    @CheckReturnValue
    public RetrievalAssert assertThatRetrieval() {
        return LlmJudgeAssertions.assertThatRetrieval(question, contexts).withGroundTruth(groundTruth);
    }

    /** The name of the row's invocation: the question, shortened (else the id, else the answer), a known API key in it masked. */
    public String displayName() {
        String firstTurn = conversation == null ? null : conversation.turns().stream().filter(t -> t.role() != Role.SYSTEM)
                .map(Turn::text).findFirst().orElse(null);
        String text = question != null ? question : id != null ? id : answer != null ? answer : firstTurn != null ? firstTurn
                : source + ":" + line;
        return Texts.oneLine(Secrets.redact(text), DISPLAY_NAME_LIMIT);
    }

    @Override
    public String toString() {
        return displayName();
    }
}
