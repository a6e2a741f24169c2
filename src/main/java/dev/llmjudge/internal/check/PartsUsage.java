package dev.llmjudge.internal.check;

import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import java.util.List;

/**
 * The tokens of a check whose verdict is computed from several verdicts, its parts (a retrieval's chunk verdicts, a
 * comparison's two orders), each judged or replayed on its own. The report counts a row's tokens as this run's when the
 * row's verdict was not replayed, so a part replayed from the cache must not count when another part was judged, and the
 * parts judged before a part that failed must count in the error's row.
 */
public final class PartsUsage {
    private PartsUsage() {
    }

    /**
     * The tokens of a verdict computed from {@code parts}: those of the parts judged in this run, or, when every part was
     * replayed, all the parts' (what they cost when they were judged, as a replayed verdict's tokens are).
     */
    public static TokenUsage of(List<Verdict> parts) {
        boolean replayed = parts.stream().allMatch(Verdict::cached);
        return parts.stream().filter(part -> replayed || !part.cached()).map(Verdict::usage).reduce(TokenUsage.NONE, TokenUsage::plus);
    }

    /** The error of a part that failed after the parts {@code before} it, carrying the tokens of those judged in this run. */
    public static JudgeException failedAfter(JudgeException failure, List<Verdict> before) {
        TokenUsage billed = before.stream().filter(part -> !part.cached()).map(Verdict::usage).reduce(TokenUsage.NONE, TokenUsage::plus);
        return failure.withEarlierCalls(billed);
    }
}
