package dev.llmjudge.judge;

import dev.llmjudge.internal.Arguments;
import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.Metric;
import java.util.Locale;

/**
 * A metric, the case it grades and how many samples the verdict takes ({@code 0}: as configured,
 * {@code llmjudge.judge.samples}). Construction checks that every field the metric reads is
 * present and not blank, so bad input fails before any request is sent.
 *
 * <pre>{@code
 * JudgeRequest request = new JudgeRequest(Metrics.answerSimilarity(),
 *     EvaluationCase.ofAnswer(prediction).withGroundTruth(truth)).withSamples(5);
 * }</pre>
 */
public record JudgeRequest(Metric metric, EvaluationCase evaluationCase, int samples) {
    /** The most samples one verdict may take. */
    public static final int MAX_SAMPLES = 100;
    /** What to pass instead of a {@code null} evaluation case. */
    private static final String CASE_INSTEAD = "the case to grade, e.g. EvaluationCase.ofAnswer(answer).withGroundTruth(truth)";

    public JudgeRequest {
        Arguments.requireMetric(metric, "new JudgeRequest(null, evaluationCase)", "e.g. Metrics.answerSimilarity()");
        Arguments.requireArgument(evaluationCase, "new JudgeRequest(metric, null)", "evaluation case", CASE_INSTEAD);
        if (samples < 0 || samples > MAX_SAMPLES) {
            throw new IllegalArgumentException("a verdict takes 1 to " + MAX_SAMPLES + " samples, not " + samples
                    + " (0 takes the configured llmjudge.judge.samples)");
        }
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

    /** The request with the verdict's samples as configured ({@code llmjudge.judge.samples}). */
    public JudgeRequest(Metric metric, EvaluationCase evaluationCase) {
        this(metric, evaluationCase, 0);
    }

    /** This request with {@code count} samples for its verdict ({@code 0}: as configured). */
    public JudgeRequest withSamples(int count) {
        return new JudgeRequest(metric, evaluationCase, count);
    }

    /**
     * Whether {@code value} is blank, as every field of a request is tested: nothing but white space,
     * no-break spaces and invisible format characters (zero-width space, BOM), which say nothing to
     * a judge. The library's test of blank input, for checks that refuse such text before they
     * build a request.
     *
     * <pre>{@code
     * JudgeRequest.isBlank(" \t");       // true, as is a text of only U+00A0 or U+200B
     * JudgeRequest.isBlank("Paris.");   // false
     * }</pre>
     */
    public static boolean isBlank(String value) {
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
