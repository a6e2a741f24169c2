package dev.llmjudge.internal.check;

import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
        return counted(parts).map(Verdict::usage).reduce(TokenUsage.NONE, TokenUsage::plus);
    }

    /**
     * The batch a verdict computed from {@code parts} was judged in, so that its tokens are priced at the batch rate: that of
     * the parts {@link #of its tokens} count when each of them was judged in a batch, their ids joined by {@code ", "} when
     * there were several; {@code null} when one was judged by a live call, so that a mix is priced at the live rate, never
     * below what it cost.
     */
    public static String batchId(List<Verdict> parts) {
        List<Verdict> counted = counted(parts).toList();
        if (counted.isEmpty() || !counted.stream().allMatch(Verdict::batchJudged)) {
            return null;
        }
        return counted.stream().map(Verdict::batchId).distinct().collect(Collectors.joining(", "));
    }

    /** The parts whose tokens a computed verdict counts: those judged in this run, or all of them when every one was replayed. */
    private static Stream<Verdict> counted(List<Verdict> parts) {
        boolean replayed = parts.stream().allMatch(Verdict::cached);
        return parts.stream().filter(part -> replayed || !part.cached());
    }

    /** The error of a part that failed after the parts {@code before} it, carrying the tokens of those judged in this run. */
    public static JudgeException failedAfter(JudgeException failure, List<Verdict> before) {
        TokenUsage billed = before.stream().filter(part -> !part.cached()).map(Verdict::usage).reduce(TokenUsage.NONE, TokenUsage::plus);
        return failure.withEarlierCalls(billed);
    }
}
