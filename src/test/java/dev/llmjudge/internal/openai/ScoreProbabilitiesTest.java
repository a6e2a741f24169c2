package dev.llmjudge.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletion.Choice.FinishReason;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.ScoreDistribution;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Finding the token that holds a reply's score by its bytes, and the distribution of the levels
 * among its alternatives, on choices built with the SDK's own model classes: text of several bytes
 * a character before the score, tokens without their bytes, a verdict in prose, and tokens that do
 * not spell the reply.
 */
class ScoreProbabilitiesTest {
    private static final Metric METRIC = Metrics.answerSimilarity();

    private static ChatCompletionTokenLogprob.TopLogprob top(String token, double p) {
        return ChatCompletionTokenLogprob.TopLogprob.builder().token(token).logprob(Math.log(p)).bytes(Optional.empty()).build();
    }

    private static ChatCompletionTokenLogprob token(String token, boolean withBytes, List<ChatCompletionTokenLogprob.TopLogprob> alternatives) {
        List<Long> bytes = new ArrayList<>();
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            bytes.add((long) (b & 0xff));
        }
        return ChatCompletionTokenLogprob.builder().token(token).logprob(alternatives.isEmpty() ? 0 : alternatives.get(0).logprob())
                .bytes(withBytes ? Optional.of(bytes) : Optional.empty()).topLogprobs(alternatives).build();
    }

    private static ChatCompletion.Choice choice(String content, List<ChatCompletionTokenLogprob> tokens) {
        return ChatCompletion.Choice.builder().index(0).finishReason(FinishReason.STOP)
                .logprobs(ChatCompletion.Choice.Logprobs.builder().content(tokens).refusal(Optional.empty()).build())
                .message(ChatCompletionMessage.builder().content(content).refusal(Optional.empty()).build()).build();
    }

    /** The content cut into {@code pieces}, the one that is {@code "4"} with the alternatives 4: 0.6, 5: 0.3, 3: 0.1. */
    private static List<ChatCompletionTokenLogprob> tokens(boolean withBytes, String... pieces) {
        List<ChatCompletionTokenLogprob> tokens = new ArrayList<>();
        for (String piece : pieces) {
            tokens.add(token(piece, withBytes, piece.equals("4") ? List.of(top("4", 0.6), top("5", 0.3), top("3", 0.1)) : List.of()));
        }
        return tokens;
    }

    private static ScoreDistribution read(String content, List<ChatCompletionTokenLogprob> tokens) {
        return ScoreProbabilities.read(choice(content, tokens), content, 4, METRIC, "judge-test-model");
    }

    @Test
    void should_find_the_score_token_by_its_bytes_after_text_of_several_bytes_a_character() {
        String content = "{\"justification\": \"Caf\u00e9 \ud83d\ude00 \u2014 same.\", \"score\": 4}";
        // The emoji is cut between two tokens, as byte-level tokenizers do: only the bytes add up.
        byte[] emoji = "\ud83d\ude00".getBytes(StandardCharsets.UTF_8);
        List<ChatCompletionTokenLogprob> tokens = new ArrayList<>(tokens(true, "{\"justification\": \"Caf\u00e9 "));
        tokens.add(bytesToken(emoji, 0, 2));
        tokens.add(bytesToken(emoji, 2, 4));
        tokens.addAll(tokens(true, " \u2014 same.\", \"score\": ", "4", "}"));

        assertThat(read(content, tokens).weightedScore()).isEqualTo(4.2);
    }

    private static ChatCompletionTokenLogprob bytesToken(byte[] all, int from, int to) {
        List<Long> bytes = new ArrayList<>();
        for (int i = from; i < to; i++) {
            bytes.add((long) (all[i] & 0xff));
        }
        return ChatCompletionTokenLogprob.builder().token("\\x" + Integer.toHexString(all[from] & 0xff)).logprob(0).bytes(bytes)
                .topLogprobs(List.of()).build();
    }

    @Test
    void should_count_tokens_without_bytes_by_their_text_and_find_a_verdict_in_prose() {
        String content = "Here is my verdict: {\"justification\": \"Same.\", \"score\": 4} Done.";

        ScoreDistribution d = read(content, tokens(false, "Here is my verdict: {\"justification\": \"Same.\", \"score\": ", "4", "} Done."));

        assertThat(d.probabilities()).containsExactly(Map.entry(3, 0.1), Map.entry(4, 0.6), Map.entry(5, 0.3));
    }

    @Test
    void should_find_a_score_written_as_text() {
        String content = "{\"justification\": \"Same.\", \"score\": \"4\"}";

        assertThat(read(content, tokens(true, "{\"justification\": \"Same.\", \"score\": \"", "4", "\"}")).weightedScore()).isEqualTo(4.2);
    }

    @Test
    void should_not_take_a_4_in_the_justification_for_the_score() {
        String content = "{\"justification\": \"4 of 5 points match.\", \"score\": 4}";
        List<ChatCompletionTokenLogprob> tokens = new ArrayList<>();
        tokens.add(token("{\"justification\": \"", true, List.of()));
        tokens.add(token("4", true, List.of(top("4", 0.99), top("1", 0.01))));
        tokens.addAll(tokens(true, " of 5 points match.\", \"score\": ", "4", "}"));

        assertThat(read(content, tokens).weightedScore()).as("the alternatives at the score, not at the 4 of the justification").isEqualTo(4.2);
    }

    @Test
    void should_say_so_when_the_tokens_do_not_spell_the_reply() {
        String content = "{\"justification\": \"Same.\", \"score\": 4}";

        JudgeException e = catchThrowableOfType(JudgeException.class,
                () -> read(content, tokens(true, "{\"justification\": \"Other.\", \"score\": ", "4", "}")));

        assertThat(e.reason()).isEqualTo(Reason.NO_PROBABILITIES);
        assertThat(e.getMessage()).isEqualTo("the judge model 'judge-test-model' replied with logprobs whose tokens do not spell its reply"
                + " (they differ from it at byte 0 of 38), so the token that holds the score cannot be found. " + ScoreProbabilities.FIX);
    }

    @Test
    void should_say_so_when_the_tokens_end_before_the_score() {
        String content = "{\"justification\": \"Same.\", \"score\": 4}";

        JudgeException e = catchThrowableOfType(JudgeException.class, () -> read(content, tokens(true, "{\"justification\": \"Same.\"")));

        assertThat(e.getMessage()).startsWith("the judge model 'judge-test-model' replied with logprobs that end at byte 25 of the reply,"
                + " before its score (at byte 36)");
    }
}
