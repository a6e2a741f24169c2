package dev.llmjudge.judge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The little JSON the replay path needs, without a JSON library: writing strings exactly as
 * Jackson's generator writes them (so cache keys, which hash rendered prompts, never change),
 * and reading a small document into maps, lists, strings, numbers, booleans and nulls.
 *
 * <p>A JSON library costs a cold JVM more to load than a whole run of replayed checks, so the
 * checks that only read recorded verdicts use this; judging and reports use Jackson.
 *
 * <pre>{@code
 * StringBuilder out = new StringBuilder();
 * JsonText.quote(out, "say \"hi\"\n");          // "say \"hi\"\n", escaped as Jackson does
 * Map<?, ?> verdict = (Map<?, ?>) JsonText.parse("{\"score\": 4}");
 * }</pre>
 */
public final class JsonText {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsonText() {
    }

    /**
     * Appends {@code value} as a JSON string, or {@code null}: quotes and backslashes escaped,
     * control characters as {@code \n}, {@code \r}, {@code \t}, {@code \b}, {@code \f} or a
     * four-digit (upper-case) hexadecimal escape, everything else as is (Jackson's default output).
     */
    public static void quote(StringBuilder out, String value) {
        quote(out, value, false);
    }

    /**
     * Writes {@code value} as a JSON string like {@link #quote(StringBuilder, String)}; with
     * {@code markup}, also writes {@code <} and {@code >} as {@code \u003c} and {@code \u003e}.
     */
    public static void quote(StringBuilder out, String value, boolean markup) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        int plain = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !(markup && (c == '<' || c == '>'))) {
                continue;
            }
            // Runs of characters that need no escape are copied at once.
            out.append(value, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(value, plain, value.length()).append('"');
    }

    /**
     * Parses a JSON document: objects become {@code Map<String, Object>} (member order kept, the
     * last of duplicate names wins), arrays {@code List<Object>}, numbers {@code Integer},
     * {@code Long} or {@code Double}. Text after the document is ignored.
     *
     * @throws IllegalArgumentException when the text is not JSON, with the line and column
     */
    public static Object parse(String text) {
        return parse(text, Set.of());
    }

    /**
     * Parses a JSON document like {@link #parse(String)}, but leaves out the members of the
     * top-level object named in {@code skipped}: they are checked for syntax, not built.
     */
    public static Object parse(String text, Set<String> skipped) {
        Parser parser = new Parser(text, skipped);
        parser.skipWhitespace();
        if (parser.pos < text.length() && text.charAt(parser.pos) == '\uFEFF') {
            parser.pos++;
            parser.skipWhitespace();
        }
        return parser.value(0, true);
    }

    private static final class Parser {
        /** Deeper nesting than any verdict file has is taken as a malformed (or hostile) document. */
        private static final int MAX_DEPTH = 64;

        private final String text;
        private final Set<String> skipped;
        private int pos;

        Parser(String text, Set<String> skipped) {
            this.text = text;
            this.skipped = skipped;
        }

        /** Parses a value; when not {@code kept}, only checks it and returns {@code null}, building nothing. */
        Object value(int depth, boolean kept) {
            if (depth > MAX_DEPTH) {
                throw error("nesting deeper than " + MAX_DEPTH);
            }
            skipWhitespace();
            if (pos >= text.length()) {
                throw error("unexpected end of input");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth, kept);
                case '[' -> array(depth, kept);
                case '"' -> string(kept);
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private Map<String, Object> object(int depth, boolean kept) {
            pos++;
            Map<String, Object> members = kept ? new LinkedHashMap<>() : null;
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return members;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("expected a member name in double quotes");
                }
                String name = string(kept);
                skipWhitespace();
                expect(':');
                // A skipped member is still checked, so a malformed document is reported all the same.
                boolean keep = kept && !(depth == 0 && skipped.contains(name));
                Object value = value(depth + 1, keep);
                if (keep) {
                    members.put(name, value);
                }
                skipWhitespace();
                char c = next("',' or '}'");
                if (c == '}') {
                    return members;
                }
                if (c != ',') {
                    throw error("expected ',' or '}' but found '" + c + "'");
                }
            }
        }

        private List<Object> array(int depth, boolean kept) {
            pos++;
            List<Object> items = kept ? new ArrayList<>() : null;
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return items;
            }
            while (true) {
                Object item = value(depth + 1, kept);
                if (kept) {
                    items.add(item);
                }
                skipWhitespace();
                char c = next("',' or ']'");
                if (c == ']') {
                    return items;
                }
                if (c != ',') {
                    throw error("expected ',' or ']' but found '" + c + "'");
                }
            }
        }

        private String string(boolean kept) {
            pos++;
            StringBuilder out = null;
            int start = pos;
            while (true) {
                if (pos >= text.length()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    String s = !kept ? null : out == null ? text.substring(start, pos) : out.append(text, start, pos).toString();
                    pos++;
                    return s;
                }
                if (c < 0x20) {
                    throw error("unescaped control character in a string");
                }
                if (c != '\\') {
                    pos++;
                    continue;
                }
                if (out == null) {
                    out = new StringBuilder();
                }
                if (!kept) {
                    // Checked, not kept: nothing is appended.
                    out.setLength(0);
                }
                out.append(text, start, pos);
                pos++;
                char e = next("an escape");
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("unterminated \\u escape");
                        }
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int digit = hexDigit(text.charAt(pos + i));
                            if (digit < 0) {
                                throw error("invalid \\u escape");
                            }
                            code = code * 16 + digit;
                        }
                        pos += 4;
                        out.append((char) code);
                    }
                    default -> throw error("invalid escape '\\" + e + "'");
                }
                start = pos;
            }
        }

        private Object number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            int intStart = pos;
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos == intStart || (text.charAt(intStart) == '0' && pos - intStart > 1)) {
                throw error("invalid number");
            }
            boolean integral = true;
            if (peek() == '.') {
                integral = false;
                pos++;
                int fraction = pos;
                while (pos < text.length() && isDigit(text.charAt(pos))) {
                    pos++;
                }
                if (pos == fraction) {
                    throw error("invalid number");
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                integral = false;
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                int exponent = pos;
                while (pos < text.length() && isDigit(text.charAt(pos))) {
                    pos++;
                }
                if (pos == exponent) {
                    throw error("invalid number");
                }
            }
            String n = text.substring(start, pos);
            if (!integral) {
                return Double.parseDouble(n);
            }
            long value;
            try {
                value = Long.parseLong(n);
            } catch (NumberFormatException e) {
                return Double.parseDouble(n);
            }
            return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? (Object) (int) value : (Object) value;
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("unexpected character '" + text.charAt(pos) + "'");
            }
            pos += word.length();
            return value;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static int hexDigit(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }

        void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return;
                }
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private char next(String expected) {
            if (pos >= text.length()) {
                throw error("unexpected end of input, expected " + expected);
            }
            return text.charAt(pos++);
        }

        private void expect(char c) {
            if (next("'" + c + "'") != c) {
                pos--;
                throw error("expected '" + c + "' but found '" + text.charAt(pos) + "'");
            }
        }

        private IllegalArgumentException error(String problem) {
            int line = 1;
            int column = 1;
            for (int i = 0; i < Math.min(pos, text.length()); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            return new IllegalArgumentException(problem + " at line " + line + ", column " + column);
        }
    }
}
