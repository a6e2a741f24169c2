package dev.llmjudge.reliability;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.internal.openai.PromptRenderer;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Answers and references that are null, blank, huge, binary-looking, right-to-left or emoji,
 * and thresholds outside the rubric: each gets a clear error before any request, or is judged
 * with the text sent and recorded exactly as given.
 */
class BadInputTest extends LoopbackJudgeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ONE_MB = 1 << 20;

    /**
     * The check must throw an IllegalArgumentException (a test error, not an assertion failure)
     * before any request, and be announced to the report as one error row with the same message.
     */
    private IllegalArgumentException rejected(ThrowingCallable check) {
        Throwable thrown;
        List<CheckOutcome> announced = new CopyOnWriteArrayList<>();
        Consumer<CheckOutcome> listener = announced::add;
        CheckRecorder.addListener(listener);
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(harness.runtime(server.baseUrl()))) {
            thrown = catchThrowable(check);
        } finally {
            CheckRecorder.removeListener(listener);
        }
        assertThat(thrown).isInstanceOf(IllegalArgumentException.class).isNotInstanceOf(AssertionError.class);
        assertThat(server.requestCount()).isZero();
        assertThat(announced).singleElement().isInstanceOfSatisfying(CheckOutcome.Errored.class, row -> {
            assertThat(row.reason()).isEqualTo(Reason.INVALID_INPUT);
            assertThat(row.message()).isEqualTo(thrown.getMessage());
            assertThat(row.verdict()).isNull();
        });
        return (IllegalArgumentException) thrown;
    }

    /** Judges answer against truth twice (the second from the cache) and returns the case data the server received. */
    private JsonNode judgedTwice(String answer, String truth, Map<String, String> settings) throws IOException {
        for (int run = 0; run < 2; run++) {
            try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(harness.runtime(server.baseUrl(), settings))) {
                assertThatAnswer(answer).isSimilarTo(truth).withScoreAtLeast(4);
            }
        }
        assertThat(server.requestCount()).as("the second run read the recorded verdict: the key is stable").isEqualTo(1);
        assertThat(harness.verdictFiles()).hasSize(1);
        JsonNode recorded = JSON.readTree(Files.readString(harness.verdictFiles().get(0))).path("case");
        assertThat(recorded.path("answer").textValue()).isEqualTo(answer);
        assertThat(recorded.path("ground_truth").textValue()).isEqualTo(truth);
        return caseData(server.lastRequest());
    }

    /** The JSON object inside the user message's data block. */
    static JsonNode caseData(OpenAiCompatibleServer.Received request) throws IOException {
        String user = request.json().path("messages").get(1).path("content").textValue();
        int open = user.indexOf(PromptRenderer.DATA_OPEN);
        int close = user.indexOf(PromptRenderer.DATA_CLOSE);
        return JSON.readTree(user.substring(open + PromptRenderer.DATA_OPEN.length(), close));
    }

    @Test
    void null_answer_is_rejected_before_any_request() {
        IllegalArgumentException e = rejected(() -> assertThatAnswer(null).isSimilarTo("Paris").withScoreAtLeast(4));
        assertThat(e).hasMessage("the answer is null: pass the text the system under test produced");
    }

    @Test
    void null_ground_truth_is_rejected_before_any_request() {
        IllegalArgumentException e = rejected(() -> assertThatAnswer("Paris").isSimilarTo(null).withScoreAtLeast(4));
        assertThat(e).hasMessage("metric 'answer_similarity' needs the ground truth, but it is null: pass the ground truth of this case");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "\n\t  \r\n", "\u00a0\u2003", "\u200b\ufeff", "\u3000"})
    void blank_answer_is_rejected_before_any_request(String blank) {
        IllegalArgumentException e = rejected(() -> assertThatAnswer(blank).isSimilarTo("Paris").withScoreAtLeast(4));
        assertThat(e).hasMessageContaining("needs the answer, but it is blank");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "\n\t  \r\n"})
    void blank_ground_truth_is_rejected_before_any_request(String blank) {
        IllegalArgumentException e = rejected(() -> assertThatAnswer("Paris").isSimilarTo(blank).withScoreAtLeast(4));
        assertThat(e).hasMessageContaining("needs the ground truth, but it is blank");
    }

    @ParameterizedTest(name = "withScoreAtLeast({0})")
    @ValueSource(ints = {0, 6, -1, Integer.MAX_VALUE})
    void threshold_outside_the_rubric_is_rejected_before_any_request(int threshold) {
        IllegalArgumentException e = rejected(() -> assertThatAnswer("Paris").isSimilarTo("Paris").withScoreAtLeast(threshold));
        assertThat(e).hasMessage("threshold " + threshold + " is outside the rubric of answer_similarity (1 to 5): choose a score the"
                + " judge can give");
    }

    @Test
    void threshold_outside_a_pass_fail_rubric_is_rejected_before_any_request() {
        IllegalArgumentException e = rejected(() -> assertThatAnswer("Paris").meets("names a city").withScoreAtLeast(2));
        assertThat(e).hasMessageContaining("threshold 2 is outside the rubric").hasMessageContaining("(0 to 1)");
    }

    @Test
    void one_megabyte_answer_is_rejected_by_the_default_input_limit() {
        String huge = "The capital of France is Paris. ".repeat(ONE_MB / 32);

        JudgeException e = harness.error(harness.runtime(server.baseUrl()),
                () -> assertThatAnswer(huge).isSimilarTo(JudgeHarness.GROUND_TRUTH).withScoreAtLeast(4));

        assertThat(e.reason()).isEqualTo(Reason.INPUT_TOO_LARGE);
        assertThat(e.getMessage()).contains("more than llmjudge.judge.max-input-tokens = 100000", "the answer is 1,048,576 characters");
        assertThat(server.requestCount()).isZero();
        harness.assertRecordedAsError(e);
        harness.assertNothingCached();
    }

    @Test
    void one_megabyte_answer_under_a_raised_limit_is_sent_and_recorded_whole() throws IOException {
        String huge = "The capital of France is Paris. ".repeat(ONE_MB / 32);

        JsonNode sent = judgedTwice(huge, JudgeHarness.GROUND_TRUTH, Map.of(LlmJudgeConfig.JUDGE_MAX_INPUT_TOKENS, "1000000"));

        assertThat(sent.path("answer").textValue()).isEqualTo(huge);
    }

    @Test
    void binary_looking_answer_is_sent_and_recorded_exactly() throws IOException {
        byte[] bytes = new byte[4096];
        new Random(7).nextBytes(bytes);
        // Every byte value as a character, NUL and other control characters included, plus what broken UTF-8 decodes to.
        String binary = "\u0000\u0001\u001b[31m\u007f" + new String(bytes, StandardCharsets.ISO_8859_1)
                + new String(bytes, StandardCharsets.UTF_8) + "\ufffd\ufeff";

        JsonNode sent = judgedTwice(binary, "\u0000" + JudgeHarness.GROUND_TRUTH, Map.of());

        assertThat(sent.path("answer").textValue()).isEqualTo(binary);
        assertThat(sent.path("ground_truth").textValue()).isEqualTo("\u0000" + JudgeHarness.GROUND_TRUTH);
    }

    @Test
    void right_to_left_and_emoji_text_is_sent_and_recorded_exactly() throws IOException {
        String answer = "عاصمة فرنسا هي باريس 🇫🇷 — \u202Eسيرابpaulo\u202C 👨‍👩‍👧‍👦 (בירת צרפת היא פריז) e\u0301";
        String truth = "La capitale de la France est Paris 🗼, לא ירושלים; 🤷🏽‍♀️";
        server.otherwise(r -> Reply.verdict(5, "نفس المعنى 👍 אותה משמעות"));

        JsonNode sent = judgedTwice(answer, truth, Map.of());

        assertThat(sent.path("answer").textValue()).isEqualTo(answer);
        assertThat(sent.path("ground_truth").textValue()).isEqualTo(truth);
        assertThat(harness.checks.get(1).verdict().justification()).isEqualTo("نفس المعنى 👍 אותה משמעות");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"Paris \ud83d", "\udc00Paris", "Paris \ud83d and \ud83d\ude00"})
    void answer_with_half_a_character_is_rejected_before_any_request(String answer) {
        IllegalArgumentException e = rejected(() -> assertThatAnswer(answer).isSimilarTo("Paris").withScoreAtLeast(4));
        assertThat(e).hasMessageContaining("the answer is not valid Unicode text").hasMessageContaining("unpaired UTF-16 surrogate")
                .hasMessageContaining("at index " + (answer.startsWith("\udc00") ? 0 : 6)).hasMessageContaining("offsetByCodePoints");
    }

    @Test
    void emoji_pairs_at_the_edges_are_accepted() throws IOException {
        JsonNode sent = judgedTwice("\ud83d\ude00 Paris \ud83d\ude00", JudgeHarness.GROUND_TRUTH, Map.of());

        assertThat(sent.path("answer").textValue()).isEqualTo("😀 Paris 😀");
    }
}
