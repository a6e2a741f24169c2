package dev.llmjudge.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * The identity of a judged case across runs: the metric and the case's content (question,
 * answer, ground truth, context). The judge model, the threshold and the test that made the
 * check are not part of it, so a baseline from another judge model still lines up.
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
        return of(row.metric(), row.question(), row.answer(), row.groundTruth(), row.context());
    }

    /** The case id of a metric and case content; {@code null} parts are told apart from empty ones. */
    public static String of(String metric, String question, String answer, String groundTruth, String context) {
        String joined = Arrays.stream(new String[] {metric, question, answer, groundTruth, context})
                .map(s -> s == null ? "\u0000null" : s.length() + ":" + s)
                .collect(Collectors.joining("\u0000"));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(joined.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
