package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.conversation.Conversation;
import dev.llmjudge.conversation.Role;
import dev.llmjudge.internal.Arguments;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.util.List;
import java.util.function.Function;
import org.assertj.core.api.AbstractAssert;

/**
 * Judged assertions on a whole conversation. Each check names a conversation metric and returns
 * an expectation whose only methods state the threshold:
 *
 * <pre>{@code
 * assertThatConversation(conversation)
 *     .hasKnowledgeRetention().withScoreAtLeast(4)
 *     .hasRoleAdherence().withScoreAtLeast(4)
 *     .isRelevant().withScoreAtLeast(4)
 *     .isComplete().withScoreAtLeast(4);
 * }</pre>
 *
 * <p>The judge reads the conversation as its {@linkplain Conversation#transcript() transcript},
 * in the answer's place, so each check is a judged check like any other: the same verdict cache
 * and key, report row, aggregates, gates, samples and unstable marks. Relevance is judged one
 * window per assistant turn (that turn and the turns before it, {@value
 * dev.llmjudge.config.LlmJudgeConfig#CONVERSATION_WINDOW} by default), each window its own
 * verdict and report row; the check passes when every window does, that is when the lowest
 * window score meets the threshold. The other metrics read the whole transcript at once; a
 * conversation too long for {@code llmjudge.judge.max-input-tokens} errors before anything is sent,
 * never cut silently. A failure names the turns the judge faults and quotes them. A check that
 * cannot be judged as written (no assistant turn to judge, no system turn for role adherence, a
 * window below 2 turns) is an {@link IllegalArgumentException} before any request, reported as an
 * {@code INVALID_INPUT} error row as an answer check's bad input is.
 */
public class ConversationAssert extends AbstractAssert<ConversationAssert, Conversation> {
    private final LlmJudgeRuntime runtime;

    /** Assertions on {@code conversation}, judged by the current runtime. */
    public ConversationAssert(Conversation conversation) {
        this(conversation, LlmJudgeRuntime.current());
    }

    /**
     * Assertions on {@code conversation}, judged by {@code runtime}.
     *
     * @throws IllegalArgumentException for a {@code null} runtime
     */
    public ConversationAssert(Conversation conversation, LlmJudgeRuntime runtime) {
        super(conversation, ConversationAssert.class);
        this.runtime = Arguments.requireArgument(runtime, "new ConversationAssert(conversation, null)", "runtime",
                Arguments.RUNTIME_INSTEAD + "; or leave it out, new ConversationAssert(conversation), to judge with the current one");
    }

    /**
     * Checks that no assistant turn forgets or contradicts what the user said earlier ({@code knowledge_retention}).
     *
     * @throws IllegalArgumentException when the conversation has no assistant turn to judge
     */
    @CheckReturnValue
    public ConversationExpectation hasKnowledgeRetention() {
        return whole(Metrics.knowledgeRetention());
    }

    /**
     * Checks that the assistant stays within the role its system turn gives it ({@code role_adherence}).
     *
     * @throws IllegalArgumentException when the conversation has no system turn to adhere to, or no assistant turn to judge
     */
    @CheckReturnValue
    public ConversationExpectation hasRoleAdherence() {
        return begin(Metrics.roleAdherence(), 0, conversation -> {
            if (conversation.turns().stream().noneMatch(t -> t.role() == Role.SYSTEM)) {
                throw new IllegalArgumentException("the conversation has no system turn, so there is no role to adhere to: start it with"
                        + " Conversation.builder().system(\"You are ...\")");
            }
            return wholeTranscript(conversation);
        });
    }

    /**
     * Checks that the user's goals are met by the end of the conversation ({@code conversation_completeness}).
     *
     * @throws IllegalArgumentException when the conversation has no assistant turn to judge
     */
    @CheckReturnValue
    public ConversationExpectation isComplete() {
        return whole(Metrics.conversationCompleteness());
    }

    /**
     * Checks that each assistant turn fits what came before it ({@code conversation_relevance}),
     * one window of {@code llmjudge.conversation.window} turns per assistant turn.
     *
     * @throws IllegalArgumentException when the conversation has no assistant turn after its first turn
     */
    @CheckReturnValue
    public ConversationExpectation isRelevant() {
        return isRelevantOverWindowsOf(runtime.config().conversation().window());
    }

    /**
     * Checks that each assistant turn fits the {@code turns - 1} turns before it ({@code conversation_relevance}),
     * whatever {@code llmjudge.conversation.window} says.
     *
     * @param turns the turns in each window, the assistant turn included; at least 2
     * @throws IllegalArgumentException when {@code turns} is below 2, or the conversation has no assistant turn after its first turn
     */
    @CheckReturnValue
    public ConversationExpectation isRelevantOverWindowsOf(int turns) {
        return begin(Metrics.conversationRelevance(), turns, conversation -> {
            List<Conversation.Window> windows = conversation.windows(turns);
            if (windows.isEmpty()) {
                throw new IllegalArgumentException("the conversation has no assistant turn after its first turn, so no turn can be judged"
                        + " against what came before: add the assistant's replies");
            }
            return windows;
        });
    }

    /**
     * Checks any metric on the whole transcript, e.g. {@code judgedBy(Metrics.criterion("stays polite in every turn"))}.
     *
     * @throws IllegalArgumentException for a {@code null} metric, or when the conversation has no assistant turn to judge
     */
    @CheckReturnValue
    public ConversationExpectation judgedBy(Metric metric) {
        return whole(Arguments.requireMetric(metric, "judgedBy(null)",
                "e.g. Metrics.criterion(\"stays polite in every turn\") or one built with Metric.builder"));
    }

    private ConversationExpectation whole(Metric metric) {
        return begin(metric, 0, ConversationAssert::wholeTranscript);
    }

    /** The whole conversation as one part, once it has an assistant turn to judge. */
    private static List<Conversation.Window> wholeTranscript(Conversation conversation) {
        if (conversation.assistantTurns().isEmpty()) {
            throw new IllegalArgumentException("the conversation has no assistant turn, so there is nothing of the assistant to judge:"
                    + " add the assistant's replies, e.g. Conversation.builder().user(\"...\").assistant(\"...\")");
        }
        return List.of(new Conversation.Window(1, conversation.size(), conversation.transcript()));
    }

    /**
     * A check begun on the parts {@code parts} cuts the conversation into ({@code windowSize} turns each, {@code 0}: the
     * whole conversation); bad input is refused before any request and reported as an {@code INVALID_INPUT} error row,
     * as an answer check's is.
     */
    private ConversationExpectation begin(Metric metric, int windowSize, Function<Conversation, List<Conversation.Window>> parts) {
        try {
            return new ConversationExpectation(this, metric, parts.apply(conversation()), windowSize);
        } catch (IllegalArgumentException e) {
            throw judgedPart(actual == null ? null : actual.transcript()).rejected(metric, e);
        }
    }

    Conversation conversation() {
        if (actual == null) {
            throw new IllegalArgumentException("the conversation is null: pass the turns the system under test took part in");
        }
        return actual;
    }

    /** An assertion on one window's transcript, with this assertion's description, judged by the runtime. */
    AnswerAssert judgedPart(String transcript) {
        AnswerAssert part = new AnswerAssert(transcript, runtime);
        return info.description() == null || info.descriptionText().isEmpty() ? part : part.as(info.description());
    }
}
