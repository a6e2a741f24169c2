package dev.llmjudge.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Text as messages and reports show it in little room. */
public final class Texts {
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");

    private Texts() {
    }

    /**
     * The text on one line (white space runs as one space, the ends stripped), cut to at most
     * {@code limit} characters with an ellipsis, never inside a character; {@code null} for
     * {@code null}.
     *
     * <pre>{@code
     * Texts.oneLine("Refunds are possible\n  within 30 days.", 24);   // "Refunds are possible wi…"
     * }</pre>
     */
    public static String oneLine(String text, int limit) {
        if (text == null) {
            return null;
        }
        return cut(WHITE_SPACE.matcher(text.strip()).replaceAll(" "), limit);
    }

    /** The text cut to at most {@code limit} characters with an ellipsis, never inside a character; as it is when short enough. */
    public static String cut(String text, int limit) {
        if (text.length() <= limit) {
            return text;
        }
        int end = limit - 1;
        if (Character.isLowSurrogate(text.charAt(end)) && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    /**
     * A weighted score to read, with two decimals, cut rather than rounded, so that a score below a
     * whole threshold never reads as reaching it.
     *
     * <pre>{@code
     * Texts.score(4.2);      // "4.20"
     * Texts.score(3.9996);   // "3.99"
     * }</pre>
     */
    public static String score(double weighted) {
        return BigDecimal.valueOf(weighted).setScale(2, RoundingMode.FLOOR).toPlainString();
    }

    /**
     * Probabilities of levels to read, lowest level first, each with two decimals.
     *
     * <pre>{@code
     * Texts.probabilities(Map.of(4, 0.6, 5, 0.3, 3, 0.1));   // "3: 0.10, 4: 0.60, 5: 0.30"
     * }</pre>
     */
    public static String probabilities(Map<Integer, Double> levels) {
        return new TreeMap<>(levels).entrySet().stream()
                .map(level -> level.getKey() + ": " + BigDecimal.valueOf(level.getValue()).setScale(2, RoundingMode.HALF_UP).toPlainString())
                .collect(Collectors.joining(", "));
    }

    /** {@link #oneLine} in double quotes. */
    public static String quoted(String text, int limit) {
        return "\"" + oneLine(text, limit) + "\"";
    }
}
