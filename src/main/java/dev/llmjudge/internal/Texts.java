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
        String line = text.strip().replaceAll("\\s+", " ");
        if (line.length() <= limit) {
            return line;
        }
        int end = limit - 1;
        if (Character.isLowSurrogate(line.charAt(end)) && Character.isHighSurrogate(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(0, end) + "…";
    }

    /** {@link #oneLine} in double quotes. */
    public static String quoted(String text, int limit) {
        return "\"" + oneLine(text, limit) + "\"";
    }
}
