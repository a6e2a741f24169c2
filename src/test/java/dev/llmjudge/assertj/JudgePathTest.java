package dev.llmjudge.assertj;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.internal.openai.PromptRenderer;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Received;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole judge path, over a real socket to an OpenAI-compatible server on 127.0.0.1. */
class JudgePathTest {
    private static final String TRUTH = "Paris is the capital of France.";
    private static final String ANSWER = "The capital of France is Paris.";

    @TempDir
    Path cacheDir;

    private OpenAiCompatibleServer server;

    @BeforeEach
    void startServer() {
        server = OpenAiCompatibleServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private void judged(LlmJudgeRuntime runtime, Runnable assertion) {
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            assertion.run();
        } finally {
            runtime.close();
        }
    }

    @Test
    void should_send_model_sampling_parameters_rubric_and_delimited_answer() {
        server.enqueue(Reply.verdict(5, "Same meaning."));

        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4));

        Received request = server.lastRequest();
        assertThat(request.path()).isEqualTo("/v1/chat/completions");
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + TestRuntimes.API_KEY);
        JsonNode body = request.json();
        assertThat(body.path("model").asText()).isEqualTo(TestRuntimes.MODEL);
        assertThat(body.path("temperature").asDouble(-1)).isEqualTo(0.0);
        assertThat(body.path("seed").asLong()).isEqualTo(42);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(1024);
        assertThat(body.path("response_format").path("type").asText()).isEqualTo("json_schema");
        assertThat(body.path("response_format").path("json_schema").path("schema").path("required"))
                .extracting(JsonNode::asText).containsExactly("justification", "score");
        String system = body.path("messages").get(0).path("content").asText();
        String user = body.path("messages").get(1).path("content").asText();
        assertThat(system).contains(Metrics.answerSimilarity().definition().strip());
        Metrics.answerSimilarity().rubric().forEach(level ->
                assertThat(system).contains("Score " + level.score() + ": " + level.description().strip()));
        String block = user.substring(user.indexOf(PromptRenderer.DATA_OPEN), user.indexOf(PromptRenderer.DATA_CLOSE));
        assertThat(block).contains("\"answer\" : \"" + ANSWER + "\"").contains("\"ground_truth\" : \"" + TRUTH + "\"");
    }

    /** The score in the JSON schema of the last request is an integer from {@code min} to {@code max}. */
    private void assertScoreSchemaBounds(int min, int max) {
        JsonNode score = server.lastRequest().json().path("response_format").path("json_schema").path("schema").path("properties").path("score");
        assertThat(score.path("type").asText()).isEqualTo("integer");
        assertThat(score.path("minimum").isInt()).as("minimum in %s", score).isTrue();
        assertThat(score.path("minimum").intValue()).isEqualTo(min);
        assertThat(score.path("maximum").isInt()).as("maximum in %s", score).isTrue();
        assertThat(score.path("maximum").intValue()).isEqualTo(max);
    }

    @Test
    void should_bound_the_score_in_the_schema_by_the_rubric_of_a_1_to_5_metric() {
        server.enqueue(Reply.verdict(5, "Same meaning."));

        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4));

        assertScoreSchemaBounds(1, 5);
    }

    @Test
    void should_bound_the_score_in_the_schema_by_the_rubric_of_a_pass_fail_metric() {
        server.enqueue(Reply.verdict(1, "No price is quoted."));

        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatAnswer(ANSWER).judgedBy(Metrics.passFail("never quotes a price")).passes());

        assertScoreSchemaBounds(0, 1);
    }

    @Test
    void should_pass_when_the_judge_scores_5_against_threshold_4() {
        server.enqueue(Reply.verdict(5, "Same meaning."));
        LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir);

        judged(runtime, () -> {
            AnswerAssert check = assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4);
            assertThat(check.verdict()).get().satisfies(v -> {
                assertThat(v.score()).isEqualTo(5);
                assertThat(v.cached()).isFalse();
                assertThat(v.judgeModel()).isEqualTo(TestRuntimes.MODEL);
                assertThat(v.usage().totalTokens()).isEqualTo(150);
                assertThat(v.parameters()).containsEntry("temperature", 0.0).containsEntry("seed", 42L);
            });
        });
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void should_fail_with_score_threshold_and_justification_when_the_judge_scores_3() {
        server.enqueue(Reply.verdict(3, "The answer names Paris but omits that it is the capital."));
        LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir);

        Throwable thrown = catchThrowable(() -> judged(runtime, () ->
                assertThatAnswer("Paris is a city.").as("capital question").isSimilarTo(TRUTH).withScoreAtLeast(4)));

        assertThat(thrown).isInstanceOf(AssertionError.class);
        String file = onlyVerdictFile().toString();
        assertThat(thrown.getMessage()).isEqualTo(String.format("[capital question] %n"
                + "Expecting answer:%n"
                + "  \"Paris is a city.\"%n"
                + "to score at least 4 on answer_similarity (v1), but the judge scored it 3 (scale 1 to 5).%n"
                + "Justification:%n"
                + "  The answer names Paris but omits that it is the capital.%n"
                + "Ground truth:%n"
                + "  \"Paris is the capital of France.\"%n"
                + "Judge: judge-test-model (judged now, %s ms)%n"
                + "Verdict file: %s", latencyIn(thrown.getMessage()), file));
    }

    private static String latencyIn(String message) {
        int end = message.indexOf(" ms)");
        int start = message.lastIndexOf("judged now, ", end) + "judged now, ".length();
        return message.substring(start, end);
    }

    @Test
    void should_send_no_request_the_second_time_the_same_assertion_runs() {
        server.enqueue(Reply.verdict(5, "Same meaning."));
        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4));
        assertThat(server.requestCount()).isEqualTo(1);

        LlmJudgeRuntime second = TestRuntimes.runtime(server, cacheDir);
        judged(second, () -> {
            AnswerAssert check = assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4);
            assertThat(check.verdict()).get().satisfies(v -> {
                assertThat(v.cached()).isTrue();
                assertThat(v.score()).isEqualTo(5);
                assertThat(v.justification()).isEqualTo("Same meaning.");
            });
        });
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(second.clientCreated()).as("no client is created when every verdict is recorded").isFalse();
    }

    @Test
    void should_error_with_the_documented_message_in_replay_mode_with_an_empty_cache() {
        LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.CACHE_MODE, "replay"));

        Throwable thrown = catchThrowable(() -> judged(runtime, () -> assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4)));

        assertThat(thrown).isInstanceOf(JudgeException.class).isNotInstanceOf(AssertionError.class);
        assertThat(((JudgeException) thrown).reason()).isEqualTo(JudgeException.Reason.NOT_RECORDED);
        assertThat(thrown.getMessage())
                .startsWith("no recorded verdict for metric 'answer_similarity' on the case (answer \"" + ANSWER
                        + "\", ground truth \"" + TRUTH + "\"): llmjudge.cache.mode=replay reads only recorded verdicts and expected "
                        + cacheDir.resolve("answer_similarity"))
                .endsWith(". Record it by running this test once with a judge configured (OPENAI_API_KEY) and llmjudge.cache.mode=auto,"
                        + " then commit the new files under " + cacheDir + ".");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_miss_the_cache_when_the_metric_text_changes() {
        Metric original = Metric.builder("tone").definition("Tone measures politeness.")
                .level(1, "Rude.").level(2, "Polite.").build();
        Metric reworded = Metric.builder("tone").definition("Tone measures courtesy.")
                .level(1, "Rude.").level(2, "Polite.").build();
        server.otherwise(r -> Reply.verdict(2, "Polite."));

        judged(TestRuntimes.runtime(server, cacheDir), () -> {
            assertThatAnswer("Thank you!").judgedBy(original).withScoreAtLeast(2);
            assertThatAnswer("Thank you!").judgedBy(original).withScoreAtLeast(2);
            assertThat(server.requestCount()).isEqualTo(1);
            assertThatAnswer("Thank you!").judgedBy(reworded).withScoreAtLeast(2);
        });
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(verdictFiles()).hasSize(2);
    }

    @Test
    void should_miss_the_cache_when_the_judge_model_changes() {
        server.otherwise(r -> Reply.verdict(5, "Same meaning."));
        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4));
        judged(TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.JUDGE_MODEL, "another-model")),
                () -> assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4));

        assertThat(server.requests()).extracting(r -> r.json().path("model").asText()).containsExactly(TestRuntimes.MODEL, "another-model");
    }

    @Test
    void should_parse_a_verdict_in_a_code_fence() {
        server.enqueue(Reply.content("Here is my verdict:\n```json\n{\"justification\": \"Close.\", \"score\": 4}\n```\n"));
        judged(TestRuntimes.runtime(server, cacheDir), () ->
                assertThat(assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4).verdict()).get()
                        .extracting(v -> v.score() + " " + v.justification()).isEqualTo("4 Close."));
    }

    @Test
    void should_parse_a_verdict_wrapped_in_prose() {
        server.enqueue(Reply.content("I think {\"justification\": \"Uses {braces} in text.\", \"score\": 5} is fair."));
        judged(TestRuntimes.runtime(server, cacheDir), () ->
                assertThat(assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4).verdict()).get()
                        .extracting(v -> v.score() + " " + v.justification()).isEqualTo("5 Uses {braces} in text."));
    }

    @Test
    void should_error_and_cache_nothing_when_the_score_is_out_of_range_twice() {
        server.enqueue(Reply.verdict(6, "Great."), Reply.verdict(6, "Great."));

        Throwable thrown = catchThrowable(() -> judged(TestRuntimes.runtime(server, cacheDir),
                () -> assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4)));

        assertThat(thrown).isInstanceOf(JudgeException.class).hasMessage("the judge model 'judge-test-model' gave no valid verdict in 2"
                + " attempts: the judge's score 6 is outside the rubric's range 1 to 5. Nothing was cached. The model may not follow"
                + " response_format (the verdict's JSON schema): choose a more capable model with llmjudge.judge.model.");
        assertThat(server.requestCount()).as("one retry, then the error").isEqualTo(2);
        assertThat(verdictFiles()).isEmpty();
    }

    @Test
    void should_accept_a_valid_score_on_the_retry_after_an_invalid_one() {
        server.enqueue(Reply.content("I cannot decide."), Reply.verdict(4, "Close enough."));
        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4));
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(verdictFiles()).hasSize(1);
    }

    @Test
    void should_adapt_to_a_model_that_rejects_temperature_and_record_what_was_sent() throws IOException {
        server.enqueue(Reply.error(400, "Unsupported parameter: 'temperature' is not supported with this model."),
                Reply.verdict(5, "Same meaning."));

        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4));

        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(0).json().has("temperature")).isTrue();
        assertThat(server.requests().get(1).json().has("temperature")).isFalse();
        JsonNode file = new ObjectMapper().readTree(onlyVerdictFile().toFile());
        assertThat(file.path("judge").path("parameters").has("temperature")).isFalse();
        assertThat(file.path("judge").path("parameters").path("seed").asLong()).isEqualTo(42);
    }

    @Test
    void should_send_max_completion_tokens_and_no_temperature_to_a_reasoning_model() {
        server.enqueue(Reply.verdict(5, "Same meaning."));
        judged(TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.JUDGE_MODEL, "o4-mini")),
                () -> assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4));
        JsonNode body = server.lastRequest().json();
        assertThat(body.has("temperature")).isFalse();
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(1024);
    }

    @Test
    void should_error_with_how_to_fix_when_no_api_key_is_configured() {
        LlmJudgeRuntime runtime = LlmJudgeRuntime.builder().config(TestRuntimes.config(server, cacheDir, Map.of())).build();
        assertThatThrownBy(() -> judged(runtime, () -> assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4)))
                .isInstanceOf(JudgeException.class)
                .hasMessageStartingWith("no API key for the judge")
                .hasMessageContaining("set OPENAI_API_KEY")
                .hasMessageContaining("llmjudge.cache.mode=replay");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_error_as_a_missing_key_with_how_to_fix_when_only_an_admin_key_is_set() {
        String before = System.getProperty("openai.adminKey");
        System.setProperty("openai.adminKey", "sk-admin-test-only-not-secret");
        try {
            LlmJudgeRuntime runtime = LlmJudgeRuntime.builder().config(TestRuntimes.config(server, cacheDir, Map.of())).build();
            assertThatThrownBy(() -> judged(runtime, () -> assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4)))
                    .isInstanceOfSatisfying(JudgeException.class, e -> assertThat(e.reason()).isEqualTo(JudgeException.Reason.MISSING_KEY))
                    .hasMessageStartingWith("no API key for the judge")
                    .hasMessageContaining("set OPENAI_API_KEY")
                    .hasMessageEndingWith("or run with llmjudge.cache.mode=replay and recorded verdicts. An admin key is set"
                            + " (-Dopenai.adminKey), but an admin key is not used for chat calls: the judge needs an API key.")
                    .hasMessageNotContaining("sk-admin-test-only-not-secret");
        } finally {
            if (before == null) {
                System.clearProperty("openai.adminKey");
            } else {
                System.setProperty("openai.adminKey", before);
            }
        }
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_write_a_pretty_printed_verdict_file_with_stable_field_order() throws IOException {
        server.enqueue(Reply.verdict(5, "Same meaning."));
        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatAnswer(ANSWER).isSimilarTo(TRUTH).withScoreAtLeast(4));

        Path file = onlyVerdictFile();
        String text = Files.readString(file);
        JsonNode json = new ObjectMapper().readTree(text);
        assertThat(json.fieldNames()).toIterable().containsExactly("schema", "key", "metric", "judge", "score", "scale",
                "justification", "case", "usage", "latency_ms", "judged_at");
        assertThat(file.getFileName().toString()).isEqualTo(json.path("key").asText() + ".json");
        assertThat(file.getParent().getFileName().toString()).isEqualTo("answer_similarity");
        assertThat(text).startsWith("{\n  \"schema\" : \"llm-judge-verdict/1\",\n").endsWith("}\n");
        assertThat(text).doesNotContain(TestRuntimes.API_KEY).doesNotContain(server.baseUrl());
    }

    private List<Path> verdictFiles() {
        try (Stream<Path> files = Files.walk(cacheDir)) {
            return files.filter(p -> p.toString().endsWith(".json")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Path onlyVerdictFile() {
        List<Path> files = verdictFiles();
        assertThat(files).hasSize(1);
        return files.get(0);
    }
}
