package dev.llmjudge.internal.report;

import dev.llmjudge.internal.Sha256;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * The identity of a judged case across runs: where it comes from, never what the answer says.
 *
 * <p>A case is the test that made the check (its case key: class, method and invocation, for a
 * dataset row the row's {@code id}), the metric, and the check's ordinal among that test's
 * checks of the metric. The answer, the ground truth, the judge model and the threshold are the
 * case's content, compared across runs, not its identity: when a release makes the bot answer
 * worse, the new answer is the same case with a lower score. A check made outside any test has
 * no case key; it is identified by its metric and its inputs (question, ground truth, context).
 *
 * <pre>{@code
 * String id = CaseIds.of(row);   // e.g. "3f2a9c0d41b7e8aa"
 * }</pre>
 */
public final class CaseIds {
    private CaseIds() {
    }

    /** The case id of a report row. */
    public static String of(ReportRow row) {
        if (row.caseKey() != null) {
            return hash("test", row.caseKey(), row.metric(), String.valueOf(row.ordinal()));
        }
        return hash("inputs", row.metric(), row.question(), row.groundTruth(), row.context(), String.valueOf(row.ordinal()));
    }

    /** A short SHA-256 of length-prefixed parts; {@code null} parts are told apart from empty ones. */
    private static String hash(String... parts) {
        String joined = Arrays.stream(parts)
                .map(s -> s == null ? "\u0000null" : s.length() + ":" + s)
                .collect(Collectors.joining("\u0000"));
        return HexFormat.of().formatHex(Sha256.of(joined), 0, 8);
    }
}
