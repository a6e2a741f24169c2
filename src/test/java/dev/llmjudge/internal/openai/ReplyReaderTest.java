package dev.llmjudge.internal.openai;

import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.JudgeException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletion.Choice.FinishReason;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.completions.CompletionUsage;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.internal.openai.ReplyReader.Problem;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Replies built with the SDK's own model classes, one per reason a reply may hold no verdict. */
class ReplyReaderTest {
    private static final Metric METRIC = Metrics.answerSimilarity();
    private static final String VERDICT = "{\"justification\": \"Same meaning.\", \"score\": 5}";

    private static ChatCompletion reply(String content, String refusal, FinishReason finish) {
        ChatCompletionMessage message = ChatCompletionMessage.builder()
                .content(Optional.ofNullable(content))
                .refusal(Optional.ofNullable(refusal))
                .build();
        return withChoices(ChatCompletion.Choice.builder().index(0).finishReason(finish).logprobs(Optional.empty()).message(message).build());
    }

    private static ChatCompletion withChoices(ChatCompletion.Choice... choices) {
        return ChatCompletion.builder().id("chatcmpl-1").created(0).model("judge-test-model").choices(List.of(choices))
                .usage(CompletionUsage.builder().promptTokens(100).completionTokens(20).totalTokens(120).build())
                .build();
    }

    private static ChatCompletion content(String content) {
        return reply(content, null, FinishReason.STOP);
    }

    private static Problem problemIn(ChatCompletion reply) {
        ReplyReader.Reading reading = ReplyReader.reading(reply, METRIC, 1024);
        assertThat(reading.verdict()).as("no verdict").isNull();
        return reading.problem();
    }

    // --- what a reply holds -----------------------------------------------------------------

    @Test
    void should_read_the_verdict_of_the_first_choice() {
        ReplyReader.Reading reading = ReplyReader.reading(content(VERDICT), METRIC, 1024);

        assertThat(reading.problem()).isNull();
        assertThat(reading.verdict()).isEqualTo(new VerdictParser.ParsedReply(5, "Same meaning."));
    }

    @Test
    void should_describe_a_reply_without_choices() {
        assertThat(problemIn(withChoices())).isEqualTo(new Problem("the reply has no choices", ReplyReader.CAPABLE_MODEL));
    }

    @Test
    void should_quote_a_refusal_and_suggest_another_model() {
        assertThat(problemIn(reply(null, "I can't help with grading this.", FinishReason.STOP)))
                .isEqualTo(new Problem("the judge refused: \"I can't help with grading this.\"", ReplyReader.REFUSED));
    }

    @Test
    void should_read_the_content_when_the_refusal_is_blank() {
        assertThat(ReplyReader.reading(reply(VERDICT, " ", FinishReason.STOP), METRIC, 1024).verdict().score()).isEqualTo(5);
    }

    @Test
    void should_name_max_tokens_and_its_value_for_a_reply_cut_off_at_the_limit() {
        ChatCompletion cut = reply("{\"justification\": \"The answer", null, FinishReason.LENGTH);

        assertThat(ReplyReader.reading(cut, METRIC, 256).problem()).isEqualTo(new Problem(
                "the reply was cut off at the token limit (finish_reason=length)",
                "Raise llmjudge.judge.max-tokens (now 256) so that the justification and the score fit."));
    }

    @Test
    void should_take_the_parsers_problem_with_the_capable_model_fix() {
        assertThat(problemIn(content(""))).isEqualTo(new Problem("the judge replied with empty content", ReplyReader.CAPABLE_MODEL));
        assertThat(problemIn(reply(null, null, FinishReason.STOP)))
                .isEqualTo(new Problem("the judge replied with empty content", ReplyReader.CAPABLE_MODEL));
        assertThat(problemIn(content("Looks fine."))).isEqualTo(new Problem("the judge's reply holds no JSON object: \"Looks fine.\"",
                ReplyReader.CAPABLE_MODEL));
        assertThat(problemIn(content("{\"justification\": \"Too high.\", \"score\": 6}")))
                .isEqualTo(new Problem("the judge's score 6 is outside the rubric's range 1 to 5", ReplyReader.CAPABLE_MODEL));
    }

    // --- one call's replies -----------------------------------------------------------------

    @Test
    void should_ask_once_more_after_a_reply_without_a_verdict_then_take_the_verdict() {
        ReplyReader replies = new ReplyReader("judge-test-model", METRIC, 1024);

        assertThat(replies.read(content("Looks fine."))).isEmpty();
        assertThat(replies.read(content(VERDICT))).contains(new Sampling.Sample(5, "Same meaning."));
        assertThat(replies.spent()).isEqualTo(new TokenUsage(200, 40));
    }

    @Test
    void should_error_on_the_second_reply_without_a_verdict_with_its_problem_and_fix() {
        ReplyReader replies = new ReplyReader("judge-test-model", METRIC, 1024);
        replies.read(content("Looks fine."));

        JudgeException e = catchThrowableOfType(JudgeException.class, () -> replies.read(withChoices()));

        assertThat(e.reason()).isEqualTo(Reason.INVALID_REPLY);
        assertThat(e).hasMessage("the judge model 'judge-test-model' gave no valid verdict in 2 attempts: the reply has no choices."
                + " Nothing was cached. " + ReplyReader.CAPABLE_MODEL).hasNoCause();
        assertThat(replies.spent()).as("both replies were paid for").isEqualTo(new TokenUsage(200, 40));
    }

    @Test
    void should_count_a_rejected_reply_with_the_others_and_keep_its_cause() {
        ReplyReader replies = new ReplyReader("judge-test-model", METRIC, 1024);
        IllegalStateException cause = new IllegalStateException("not a chat completion");

        replies.read(content("Looks fine."));
        JudgeException e = catchThrowableOfType(JudgeException.class,
                () -> replies.reject(new Problem("the reply is not a chat completion", "Check OPENAI_BASE_URL."), cause));

        assertThat(e).hasMessage("the judge model 'judge-test-model' gave no valid verdict in 2 attempts: the reply is not a chat"
                + " completion. Nothing was cached. Check OPENAI_BASE_URL.").hasCause(cause);
        assertThat(replies.spent()).as("a reply that could not be read reported no tokens").isEqualTo(new TokenUsage(100, 20));
    }
}
