package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.llmjudge.conversation.Conversation;
import dev.llmjudge.conversation.FaultedTurns;
import dev.llmjudge.conversation.Turn;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.metric.Metric;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.opentest4j.TestAbortedException;

/**
 * A conversation check that has named its metric and now states its threshold:
 *
 * <pre>{@code
 * assertThatConversation(conversation).hasKnowledgeRetention().withScoreAtLeast(4);
 * }</pre>
 *
 * A failure lists the turns the judge faults, quoted from the conversation, then each failed
 * verdict's message; a judge error stops at the window it happened in.
 */
public final class ConversationExpectation {
    private final ConversationAssert owner;
    private final Metric metric;
    private final List<Conversation.Window> parts;
    /** The turns in each window, or {@code 0} when the whole conversation is one part. */
    private final int windowSize;
    private boolean stated;

    ConversationExpectation(ConversationAssert owner, Metric metric, List<Conversation.Window> parts, int windowSize) {
        this.owner = owner;
        this.metric = metric;
        this.parts = List.copyOf(parts);
        this.windowSize = windowSize;
    }

    /**
     * Judges the check (each window, for relevance) and fails unless every score is at least {@code threshold}.
     *
     * @throws IllegalArgumentException when the threshold is outside the metric's rubric
     * @throws JudgeException when the judge could not give a verdict (the test errors)
     */
    @CanIgnoreReturnValue
    public ConversationAssert withScoreAtLeast(int threshold) {
        state("withScoreAtLeast(" + threshold + ")");
        return judge(part -> part.judgedBy(metric).withScoreAtLeast(threshold));
    }

    /**
     * Judges the check against the metric's own pass threshold (a pass/fail metric given to {@link ConversationAssert#judgedBy}).
     *
     * @throws IllegalStateException when the metric has no pass threshold: use {@link #withScoreAtLeast(int)}
     * @throws JudgeException when the judge could not give a verdict (the test errors)
     */
    @CanIgnoreReturnValue
    public ConversationAssert passes() {
        if (metric.passThreshold() == null) {
            throw new IllegalStateException("metric " + metric.name() + " is scored " + metric.minScore() + " to " + metric.maxScore()
                    + " and has no pass threshold: use withScoreAtLeast(n) instead of passes()");
        }
        state("passes()");
        return judge(part -> part.judgedBy(metric).passes());
    }

    private void state(String call) {
        if (stated) {
            throw new IllegalStateException(call + ": this check has already stated its threshold; begin another check for another bar");
        }
        stated = true;
    }

    private interface PartCheck {
        void run(AnswerAssert part);
    }

    private ConversationAssert judge(PartCheck check) {
        Conversation conversation = owner.conversation();
        List<String> failures = new ArrayList<>();
        Set<Integer> faulted = new LinkedHashSet<>();
        TestAbortedException aborted = null;
        for (Conversation.Window part : parts) {
            AnswerAssert judged = owner.judgedPart(part.transcript());
            try {
                check.run(judged);
            } catch (AssertionError failure) {
                failures.add(failure.getMessage());
                if (windowSize > 0) {
                    faulted.add(part.lastTurn());
                } else {
                    judged.verdict().ifPresent(verdict -> faulted.addAll(FaultedTurns.in(verdict.justification())));
                }
            } catch (TestAbortedException e) {
                // Not judged on purpose (collected for a batch, or no key with missing-key=skip): the other windows still get
                // their rows, and their requests, in the same run.
                aborted = aborted == null ? e : aborted;
            } catch (JudgeException e) {
                if (e.reason() == JudgeException.Reason.INPUT_TOO_LARGE) {
                    throw new JudgeException(e.reason(), e.getMessage() + " " + tooLargeHint(part), e);
                }
                throw e;
            }
        }
        if (!failures.isEmpty()) {
            AssertionError failure = Secrets.redactFailure(new AssertionError(faults(conversation, faulted) + "\n\n"
                    + String.join("\n\n", failures)));
            if (aborted != null) {
                failure.addSuppressed(aborted);
            }
            throw failure;
        }
        if (aborted != null) {
            throw aborted;
        }
        return owner;
    }

    private String tooLargeHint(Conversation.Window part) {
        return windowSize > 0
                ? "The window of turns " + part.firstTurn() + " to " + part.lastTurn() + " is what was too large: judge over smaller windows,"
                        + " isRelevantOverWindowsOf(n) or llmjudge.conversation.window (now " + windowSize + ")."
                : metric.name() + " reads the whole conversation (" + owner.conversation().size() + " turns) at once.";
    }

    private String faults(Conversation conversation, Set<Integer> faulted) {
        String scope = windowSize > 0 ? " (each assistant turn judged in a window of the last " + windowSize + " turns)" : "";
        if (faulted.isEmpty()) {
            return metric.name() + " scored below the threshold" + scope + "; the judge named no faulted turn.";
        }
        List<Integer> known = faulted.stream().filter(n -> n >= 1 && n <= conversation.size()).toList();
        List<Integer> unknown = faulted.stream().filter(n -> n < 1 || n > conversation.size()).toList();
        StringBuilder text = new StringBuilder(metric.name()).append(" faults ").append(known.size() == 1 ? "turn " : "turns ")
                .append(known.stream().map(String::valueOf).collect(Collectors.joining(", "))).append(scope).append(':');
        if (known.isEmpty()) {
            text.setLength(0);
            text.append(metric.name()).append(" scored below the threshold").append(scope).append(':');
        }
        for (int number : known) {
            Turn turn = conversation.turn(number);
            text.append("\n  ").append(turn.render());
        }
        if (!unknown.isEmpty()) {
            text.append("\n  (the judge also named turn").append(unknown.size() == 1 ? " " : "s ")
                    .append(unknown.stream().map(String::valueOf).collect(Collectors.joining(", ")))
                    .append(", which the conversation of ").append(conversation.size()).append(" turns does not have)");
        }
        return text.toString();
    }
}
