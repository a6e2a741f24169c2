package dev.llmjudge.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code {"justification": ..., "score": ...}} out of a judge's reply.
 *
 * <p>Lenient about where the object is (the whole reply, a Markdown code fence, or prose
 * around it) because OpenAI-compatible servers do not all honour {@code response_format};
 * strict about the score: it must be an integer within the metric's range.
 */
public final class VerdictParser {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern FENCE = Pattern.compile("```(?:json|JSON)?\\s*\\n?(.*?)```", Pattern.DOTALL);
    private static final int QUOTE_LIMIT = 200;

    private VerdictParser() {
    }

    /** A parsed reply. */
    public record ParsedReply(int score, String justification) {
    }

    /** Why a reply is not a verdict; the message quotes (a bounded part of) the reply. */
    public static final class InvalidReplyException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidReplyException(String message) {
            super(message);
        }
    }

    /**
     * Parses a reply.
     *
     * @throws InvalidReplyException when the reply holds no JSON object with an integer
     *     {@code score} in {@code min..max}
     */
    public static ParsedReply parse(String content, int min, int max) throws InvalidReplyException {
        if (content == null || content.isBlank()) {
            throw new InvalidReplyException("the judge replied with empty content");
        }
        JsonNode object = findObject(content);
        if (object == null) {
            throw new InvalidReplyException("the judge's reply holds no JSON object: " + quote(content));
        }
        JsonNode scoreNode = object.get("score");
        if (scoreNode == null || scoreNode.isNull()) {
            throw new InvalidReplyException("the judge's reply has no \"score\": " + quote(content));
        }
        int score;
        if (scoreNode.isIntegralNumber() && scoreNode.canConvertToInt()) {
            score = scoreNode.intValue();
        } else if (scoreNode.isTextual() && scoreNode.textValue().strip().matches("-?\\d{1,9}")) {
            score = Integer.parseInt(scoreNode.textValue().strip());
        } else {
            throw new InvalidReplyException("the judge's score " + scoreNode + " is not an integer from " + min + " to " + max);
        }
        if (score < min || score > max) {
            throw new InvalidReplyException("the judge's score " + score + " is outside the rubric's range " + min + " to " + max);
        }
        JsonNode justification = object.get("justification");
        String text = justification == null || justification.isNull() ? "" : justification.isTextual() ? justification.textValue() : justification.toString();
        return new ParsedReply(score, text.strip());
    }

    private static JsonNode findObject(String content) {
        JsonNode whole = tryParse(content.strip());
        if (whole != null && whole.isObject()) {
            return whole;
        }
        JsonNode firstObject = null;
        Matcher fence = FENCE.matcher(content);
        while (fence.find()) {
            JsonNode node = tryParse(fence.group(1).strip());
            if (node != null && node.isObject()) {
                if (node.has("score")) {
                    return node;
                }
                firstObject = firstObject == null ? node : firstObject;
            }
        }
        // Prose around an object: try each '{' as the start of a balanced object, preferring one with a score.
        for (int start = content.indexOf('{'); start >= 0; start = content.indexOf('{', start + 1)) {
            int end = matchingBrace(content, start);
            if (end < 0) {
                continue;
            }
            JsonNode node = tryParse(content.substring(start, end + 1));
            if (node != null && node.isObject()) {
                if (node.has("score")) {
                    return node;
                }
                if (firstObject == null) {
                    firstObject = node;
                }
            }
        }
        return firstObject;
    }

    private static int matchingBrace(String s, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static JsonNode tryParse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }

    static String quote(String content) {
        String oneLine = content.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= QUOTE_LIMIT
                ? "\"" + oneLine + "\""
                : "\"" + oneLine.substring(0, QUOTE_LIMIT) + "...\" (" + oneLine.length() + " characters)";
    }
}
