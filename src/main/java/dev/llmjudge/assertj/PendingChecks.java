package dev.llmjudge.assertj;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that were started ({@code isSimilarTo(...)}) but never given a threshold on the
 * current thread. The JUnit integration drains them after each test and fails the test, so a
 * forgotten {@code withScoreAtLeast(n)} never passes silently.
 */
public final class PendingChecks {
    private static final ThreadLocal<Set<AnswerAssert>> PENDING = ThreadLocal.withInitial(LinkedHashSet::new);

    private PendingChecks() {
    }

    static void add(AnswerAssert check) {
        PENDING.get().add(check);
    }

    static void remove(AnswerAssert check) {
        PENDING.get().remove(check);
    }

    /**
     * Removes and describes the checks left without a threshold on this thread, e.g.
     * {@code ["answer_similarity on answer \"Paris...\""]}.
     */
    public static List<String> drain() {
        Set<AnswerAssert> pending = PENDING.get();
        List<String> descriptions = new ArrayList<>();
        for (AnswerAssert check : pending) {
            descriptions.add(check.pendingDescription());
        }
        pending.clear();
        return descriptions;
    }

    /** The message for checks left without a threshold. */
    public static String message(List<String> descriptions) {
        return "a judged check never stated its threshold, so it checked nothing: " + String.join("; ", descriptions)
                + ". End the chain with withScoreAtLeast(n), or passes() for a pass/fail metric.";
    }
}
