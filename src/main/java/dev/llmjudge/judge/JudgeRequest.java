package dev.llmjudge.judge;

import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.Metric;
import java.util.Locale;
import java.util.Objects;

/**
 * A metric and the case it grades. Construction checks that every field the metric reads is
 * present and not blank, so bad input fails before any request is sent.
 */
public record JudgeRequest(Metric metric, EvaluationCase evaluationCase) {
    public JudgeRequest {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(evaluationCase, "evaluationCase");
        for (Field field : metric.requiredFields()) {
            String value = evaluationCase.get(field);
            if (value == null) {
                throw new IllegalArgumentException("metric '" + metric.name() + "' needs the " + field.label()
                        + ", but it is null: pass the " + field.label() + " of this case");
            }
            if (isBlank(value)) {
                throw new IllegalArgumentException("metric '" + metric.name() + "' needs the " + field.label()
                        + ", but it is blank: a blank " + field.label() + " cannot be judged");
            }
            int broken = unpairedSurrogate(value);
            if (broken >= 0) {
                throw new IllegalArgumentException("the " + field.label() + " is not valid Unicode text: it holds half of a character"
                        + " (an unpaired UTF-16 surrogate, U+" + Integer.toHexString(value.charAt(broken)).toUpperCase(Locale.ROOT)
                        + ") at index " + broken + ", which cannot be sent or recorded as is. Text cut at a fixed length can split an"
                        + " emoji: cut at a code point boundary, e.g. with String.offsetByCodePoints.");
            }
        }
    }

    /** Blank: nothing but white space, no-break spaces and invisible format characters (zero-width space, BOM). */
    private static boolean isBlank(String value) {
        return value.codePoints().allMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.getType(c) == Character.FORMAT);
    }

    /** The index of the first surrogate that is not half of a pair, or -1. */
    private static int unpairedSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
