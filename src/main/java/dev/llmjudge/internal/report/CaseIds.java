package dev.llmjudge.internal.report;

import dev.llmjudge.internal.Sha256;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * The identity of a judged case across runs: where it comes from (the test's case key, the
 * metric, the check's ordinal), never what the answer says, so a worse answer is the same case
 * with a lower score. A check outside any test is identified by its metric and inputs.
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
