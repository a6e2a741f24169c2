package dev.llmjudge.internal.openai;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import dev.llmjudge.internal.Texts;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.ScoreDistribution;
import dev.llmjudge.metric.GradingLevel;
import dev.llmjudge.metric.Metric;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The distribution of a rubric's levels at the token that holds a reply's score, read from the
 * choice's {@code logprobs.content} ({@code llmjudge.judge.score-by=probabilities}). The score is
 * the value of {@code "score"} in the verdict's JSON; its token is the one whose bytes, counted
 * from the start of the content, cover the score's first digit, and it must hold the digits alone
 * (spaces aside). Among its alternatives ({@code top_logprobs}, and the token written), those that
 * are exactly a level ({@code "4"}, {@code " 4"}) give that level their probability; the
 * distribution is normalised over the levels seen. Anything else is a {@link Reason#NO_PROBABILITIES}
 * error, never the integer instead.
 */
final class ScoreProbabilities {
    /** Said at the end of every error: what to do. */
    static final String FIX = "Nothing was cached. Use a judge model and endpoint that return logprobs, or score by the integer the"
            + " judge writes with llmjudge.judge.score-by=reply.";
    /** At most this many alternatives are quoted in an error. */
    private static final int QUOTED_ALTERNATIVES = 8;

    private ScoreProbabilities() {
    }

    /**
     * The distribution of {@code metric}'s levels at the token of {@code choice}'s content that holds
     * {@code score}, where the verdict read from {@code content} put it.
     *
     * @throws JudgeException {@link Reason#NO_PROBABILITIES} saying why there is none
     */
    static ScoreDistribution read(ChatCompletion.Choice choice, String content, int score, Metric metric, String model) {
        try {
            List<ChatCompletionTokenLogprob> tokens = choice.logprobs().flatMap(ChatCompletion.Choice.Logprobs::content).orElse(List.of());
            if (tokens.isEmpty()) {
                throw error(model, "replied without logprobs (the log probabilities of its tokens), which"
                        + " llmjudge.judge.score-by=probabilities reads the score from: the endpoint or the model does not return them");
            }
            OptionalInt position = VerdictParser.scoreOffset(content, score);
            if (position.isEmpty()) {
                throw error(model, "wrote its score " + score + " in a way whose digits cannot be found in the reply as the value of"
                        + " \"score\", so the token that holds it is unknown");
            }
            return distribution(scoreToken(tokens, content, position.getAsInt(), model), score, metric, model);
        } catch (OpenAIInvalidDataException e) {
            throw error(model, "replied with logprobs that are malformed (" + Texts.oneLine(e.getMessage(), 200) + ")");
        }
    }

    /** The token whose bytes cover the content's character {@code position}, the tokens checked to spell the content up to it. */
    private static ChatCompletionTokenLogprob scoreToken(List<ChatCompletionTokenLogprob> tokens, String content, int position, String model) {
        byte[] text = content.getBytes(StandardCharsets.UTF_8);
        int target = content.substring(0, position).getBytes(StandardCharsets.UTF_8).length;
        int offset = 0;
        for (ChatCompletionTokenLogprob token : tokens) {
            byte[] bytes = bytesOf(token.token(), token.bytes().orElse(null));
            if (offset + bytes.length > text.length || !Arrays.equals(text, offset, offset + bytes.length, bytes, 0, bytes.length)) {
                throw error(model, "replied with logprobs whose tokens do not spell its reply (they differ from it at byte " + offset
                        + " of " + text.length + "), so the token that holds the score cannot be found");
            }
            if (target < offset + bytes.length) {
                return token;
            }
            offset += bytes.length;
        }
        throw error(model, "replied with logprobs that end at byte " + offset + " of the reply, before its score (at byte " + target + ")");
    }

    /** The distribution of the levels among the alternatives at {@code token}, which must hold the score's digits alone. */
    private static ScoreDistribution distribution(ChatCompletionTokenLogprob token, int score, Metric metric, String model) {
        if (!token.token().strip().equals(String.valueOf(score))) {
            throw error(model, "wrote its score " + score + " in the token " + quote(token.token()) + " together with other"
                    + " characters, so the alternatives at that token are not scores alone and give no distribution of the levels");
        }
        Map<String, Double> alternatives = new LinkedHashMap<>();
        token.topLogprobs().forEach(top -> alternatives.putIfAbsent(top.token(), top.logprob()));
        alternatives.putIfAbsent(token.token(), token.logprob());
        Map<String, Integer> levels = metric.rubric().stream().collect(Collectors.toMap(l -> String.valueOf(l.score()), GradingLevel::score));
        Map<Integer, Double> weights = new TreeMap<>();
        alternatives.forEach((text, logprob) -> {
            Integer level = levels.get(text.strip());
            if (level != null) {
                weights.merge(level, Math.exp(logprob), Double::sum);
            }
        });
        if (weights.values().stream().noneMatch(w -> w > 0)) {
            throw error(model, "gave no level of the rubric (" + metric.minScore() + " to " + metric.maxScore() + ") a probability"
                    + " among the " + alternatives.size() + " alternatives at the token that holds its score " + quote(token.token()) + ": "
                    + quoted(alternatives));
        }
        try {
            return ScoreDistribution.normalised(weights);
        } catch (IllegalArgumentException e) {
            // Logprobs far above 0, which no probability has: the weights overflow, and the reply was billed all the same.
            throw error(model, "replied with logprobs that give no distribution of the levels (" + e.getMessage() + ")");
        }
    }

    /** A token's bytes: those the endpoint gave, else its text in UTF-8. */
    private static byte[] bytesOf(String token, List<Long> given) {
        if (given == null) {
            return token.getBytes(StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[given.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) given.get(i).longValue();
        }
        return bytes;
    }

    private static String quoted(Map<String, Double> alternatives) {
        String listed = alternatives.keySet().stream().limit(QUOTED_ALTERNATIVES).map(ScoreProbabilities::quote)
                .collect(Collectors.joining(", "));
        return alternatives.size() > QUOTED_ALTERNATIVES ? listed + ", …" : listed;
    }

    /** A token as JSON writes it, so that its spaces show: {@code " 4"}. */
    private static String quote(String token) {
        return "\"" + Texts.cut(new String(JsonStringEncoder.getInstance().quoteAsString(token)), 40) + "\"";
    }

    private static JudgeException error(String model, String problem) {
        return new JudgeException(Reason.NO_PROBABILITIES, "the judge model '" + model + "' " + problem + ". " + FIX);
    }
}
