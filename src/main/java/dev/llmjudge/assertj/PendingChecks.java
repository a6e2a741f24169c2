package dev.llmjudge.assertj;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that were started ({@code isSimilarTo(...)}) but never given a threshold on the
 * current thread. The JUnit integration drains them after each test and fails the test, so a
 * forgotten {@code withScoreAtLeast(n)} never passes silently.
 */
public final class PendingChecks {
    /**
     * In the order the checks began. A list compared by identity: an assertion object's
     * {@code equals} throws (AssertJ reserves it for {@code isEqualTo}) and its hash is constant.
     */
    private static final ThreadLocal<List<AnswerAssert>> PENDING = ThreadLocal.withInitial(ArrayList::new);

    private PendingChecks() {
    }

    static void add(AnswerAssert check) {
        List<AnswerAssert> pending = PENDING.get();
        if (indexOf(pending, check) < 0) {
            pending.add(check);
        }
    }

    static void remove(AnswerAssert check) {
        List<AnswerAssert> pending = PENDING.get();
        int index = indexOf(pending, check);
        if (index >= 0) {
            pending.remove(index);
        }
    }

    /** Where {@code check} itself is, searched from the end, where the check just finished usually is. */
    private static int indexOf(List<AnswerAssert> pending, AnswerAssert check) {
        for (int i = pending.size() - 1; i >= 0; i--) {
            if (pending.get(i) == check) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Removes and describes the checks left without a threshold on this thread, e.g.
     * {@code ["answer_similarity on answer \"Paris...\""]}.
     */
    public static List<String> drain() {
        List<AnswerAssert> pending = PENDING.get();
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
