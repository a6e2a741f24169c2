package dev.llmjudge.internal.openai;

import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.Texts;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads {@code {"justification": ..., "score": ...}} out of a judge's reply: lenient about where
 * the object is (servers do not all honour {@code response_format}), strict about what it holds:
 * one verdict (a reply that also quotes a graded example holds two, and which is the judge's own
 * is unknown) with an integer score in the metric's range.
 */
public final class VerdictParser {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** For finding where a score is written; streaming, as the tree model keeps no locations. */
    private static final JsonFactory STREAMING = new JsonFactory();
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

    /** What tells two verdicts apart: the score as written (4 and "4" are one score) and the justification. */
    private record Candidate(String score, String justification) {
        static Candidate of(JsonNode object) {
            JsonNode score = object.get("score");
            return new Candidate(score.isTextual() ? score.textValue().strip() : score.toString(), VerdictParser.justification(object));
        }
    }

    /** Parses a reply; throws unless it holds exactly one verdict (copies of it count as one) with an integer score in {@code min..max}. */
    public static ParsedReply parse(String content, int min, int max) throws InvalidReplyException {
        if (content == null || content.isBlank()) {
            throw new InvalidReplyException("the judge replied with empty content");
        }
        List<JsonNode> objects = objects(content);
        if (objects.isEmpty()) {
            throw new InvalidReplyException("the judge's reply holds no JSON object: " + quote(content));
        }
        List<JsonNode> verdicts = objects.stream().filter(VerdictParser::hasScore).toList();
        if (verdicts.isEmpty()) {
            throw new InvalidReplyException("the judge's reply has no \"score\": " + quote(content));
        }
        Set<Candidate> different = verdicts.stream().map(Candidate::of).collect(Collectors.toCollection(LinkedHashSet::new));
        if (different.size() > 1) {
            throw new InvalidReplyException("the judge's reply holds " + different.size() + " different verdicts (" + scores(different)
                    + "): " + quote(content));
        }
        JsonNode object = verdicts.get(0);
        JsonNode scoreNode = object.get("score");
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
        return new ParsedReply(score, justification(object));
    }

    /**
     * Where in {@code content} the digits of {@code score} begin, as the value of {@code "score"} of
     * the first whole JSON object that holds it (the whole reply, or an object in prose or a code
     * fence): an integer, or text whose only content is the digits. Empty when no such value is
     * written there as those digits.
     */
    public static OptionalInt scoreOffset(String content, int score) {
        String digits = String.valueOf(score);
        for (int start = content.indexOf('{'); start >= 0; start = content.indexOf('{', start + 1)) {
            OptionalInt found = scoreOffsetInObjectAt(content, start, digits);
            if (found.isPresent()) {
                return found;
            }
        }
        return OptionalInt.empty();
    }

    /** The offset of {@code digits} as the {@code "score"} of the object that begins at {@code start}, if it is whole and has them. */
    private static OptionalInt scoreOffsetInObjectAt(String content, int start, String digits) {
        try (JsonParser p = STREAMING.createParser(content.substring(start))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return OptionalInt.empty();
            }
            int found = -1;
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (found < 0 && "score".equals(name) && (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_STRING)) {
                    int at = start + (int) p.currentTokenLocation().getCharOffset();
                    if (value == JsonToken.VALUE_STRING) {
                        String text = p.getText();
                        at += 1 + (text.length() - text.stripLeading().length());
                    }
                    int end = at + digits.length();
                    if (content.startsWith(digits, at) && (end == content.length() || !Character.isDigit(content.charAt(end)))) {
                        found = at;
                    }
                }
                p.skipChildren();
            }
            return token == JsonToken.END_OBJECT && found >= 0 ? OptionalInt.of(found) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        }
    }

    private static boolean hasScore(JsonNode object) {
        JsonNode score = object.get("score");
        return score != null && !score.isNull();
    }

    private static String justification(JsonNode object) {
        JsonNode justification = object.get("justification");
        String text = justification == null || justification.isNull() ? "" : justification.isTextual() ? justification.textValue() : justification.toString();
        return text.strip();
    }

    /** "scores 5 and 2", or "both score 4, with different justifications". */
    private static String scores(Set<Candidate> verdicts) {
        List<String> scores = verdicts.stream().map(Candidate::score).toList();
        if (scores.stream().distinct().count() == 1) {
            return (scores.size() == 2 ? "both" : "all " + scores.size()) + " score " + scores.get(0) + ", with different justifications";
        }
        return "scores " + String.join(", ", scores.subList(0, scores.size() - 1)) + " and " + scores.get(scores.size() - 1);
    }

    /** The JSON objects of a reply: the whole reply, else every balanced object in it (those inside one with a score are part of it). */
    private static List<JsonNode> objects(String content) {
        JsonNode whole = tryParse(content.strip());
        if (whole != null && whole.isObject()) {
            return List.of(whole);
        }
        List<JsonNode> found = new ArrayList<>();
        int start = content.indexOf('{');
        while (start >= 0) {
            int end = matchingBrace(content, start);
            JsonNode node = end < 0 ? null : tryParse(content.substring(start, end + 1));
            if (node != null && node.isObject()) {
                found.add(node);
                if (hasScore(node)) {
                    start = content.indexOf('{', end + 1);
                    continue;
                }
            }
            start = content.indexOf('{', start + 1);
        }
        return found;
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

    /** The reply, redacted before it is cut, so that no part of a key it quotes is left. */
    static String quote(String reply) {
        String content = Secrets.redact(reply);
        String oneLine = Texts.oneLine(content, Integer.MAX_VALUE);
        return Texts.quoted(content, QUOTE_LIMIT) + (oneLine.length() <= QUOTE_LIMIT ? "" : " (" + oneLine.length() + " characters)");
    }
}
