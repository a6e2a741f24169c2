package dev.llmjudge.internal;

/** Text as messages and reports show it in little room. */
public final class Texts {
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
        return cut(text.strip().replaceAll("\\s+", " "), limit);
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

    /** {@link #oneLine} in double quotes. */
    public static String quoted(String text, int limit) {
        return "\"" + oneLine(text, limit) + "\"";
    }
}
