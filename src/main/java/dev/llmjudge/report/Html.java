package dev.llmjudge.report;

/**
 * Escapes text for HTML: the result is safe both as element text and inside a double- or
 * single-quoted attribute value. It escapes {@code & < > " '}, which is everything that can end a
 * text node, a tag or a quoted attribute; every other character passes through unchanged (the
 * page is UTF-8).
 */
final class Html {

    private Html() {
    }

    /** {@code text} escaped, or the empty string for {@code null}. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            String replacement = switch (text.charAt(i)) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(text.charAt(i));
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
