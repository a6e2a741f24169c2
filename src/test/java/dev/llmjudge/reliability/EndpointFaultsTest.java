package dev.llmjudge.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every fault an HTTP judge endpoint produces, against the loopback OpenAI-compatible server:
 * each ends in a correct verdict after bounded retries, or in a test error that names the cause
 * and the fix, with nothing cached and no score in the aggregates.
 */
class EndpointFaultsTest extends LoopbackJudgeTest {
    private void assertJudgedAndCached() {
        assertThat(harness.checks).singleElement().isInstanceOf(CheckOutcome.Passed.class);
        assertThat(harness.verdictFiles()).hasSize(1);
    }

    private void assertErrorOnly(JudgeException e) {
        harness.assertRecordedAsError(e);
        harness.assertNothingCached();
    }

    // --- 429 --------------------------------------------------------------------------------

    @Test
    void http_429_without_retry_after_is_retried_then_judged() {
        server.enqueue(Reply.error(429, "Rate limit reached"), Reply.verdict(5, "Same meaning."));

        harness.pass(harness.runtime(server.baseUrl()));

        assertThat(server.requestCount()).isEqualTo(2);
        assertJudgedAndCached();
    }

    @Test
    void http_429_that_persists_errors_after_max_attempts_naming_the_keys() {
        server.otherwise(r -> Reply.error(429, "Rate limit reached"));

        JudgeException e = harness.error(harness.runtime(server.baseUrl()));

        assertThat(server.requestCount()).as("max-attempts 3, and the SDK's own retries are off").isEqualTo(3);
        assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(e.getMessage()).contains(server.baseUrl(), "kept rate limiting (HTTP 429) after 3 attempts",
                "llmjudge.judge.max-attempts", "llmjudge.judge.retry-budget");
        assertErrorOnly(e);
    }

    static Stream<Arguments> retryAfterHeaders() {
        Supplier<String> inTwoSeconds = () -> DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2));
        return Stream.of(
                Arguments.of("Retry-After", (Supplier<String>) () -> "1", 950L),
                Arguments.of("retry-after-ms", (Supplier<String>) () -> "400", 390L),
                // An HTTP date has whole seconds, so "two seconds from now" is between one and two seconds away.
                Arguments.of("Retry-After", inTwoSeconds, 900L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("retryAfterHeaders")
    void retry_after_is_honoured(String header, Supplier<String> value, long atLeastMillis) {
        server.enqueue(Reply.error(429, "slow down").withHeader(header, value.get()), Reply.verdict(5, "Same meaning."));
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_MAX_BACKOFF, "5s"));

        long started = System.nanoTime();
        harness.pass(runtime);

        assertThat(millisSince(started)).as("waited as the server asked, not the 10 ms backoff").isGreaterThanOrEqualTo(atLeastMillis);
        assertThat(server.requestCount()).isEqualTo(2);
        assertJudgedAndCached();
    }

    @Test
    void retry_after_is_capped_by_max_backoff() {
        server.enqueue(Reply.error(429, "slow down").withHeader("Retry-After", "3600"), Reply.verdict(5, "Same meaning."));
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_MAX_BACKOFF, "200ms"));

        long started = System.nanoTime();
        harness.pass(runtime);

        assertThat(millisSince(started)).isBetween(190L, 30_000L);
        assertThat(server.requestCount()).isEqualTo(2);
        assertJudgedAndCached();
    }

    @Test
    void retry_after_beyond_the_retry_budget_errors_at_once() {
        server.otherwise(r -> Reply.error(429, "slow down").withHeader("Retry-After", "3600"));
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(),
                Map.of(LlmJudgeConfig.JUDGE_MAX_BACKOFF, "2h", LlmJudgeConfig.JUDGE_RETRY_BUDGET, "5s"));

        long started = System.nanoTime();
        JudgeException e = harness.error(runtime);

        assertThat(millisSince(started)).as("does not sleep an hour, nor past the budget").isLessThan(30_000);
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(e.getMessage()).contains("HTTP 429", "llmjudge.judge.retry-budget");
        assertErrorOnly(e);
    }

    @Test
    void http_429_insufficient_quota_is_not_retried() {
        server.otherwise(r -> new Reply(429, Map.of("Content-Type", "application/json"),
                "{\"error\":{\"message\":\"You exceeded your current quota.\",\"type\":\"insufficient_quota\",\"param\":null,"
                        + "\"code\":\"insufficient_quota\"}}", 0));

        JudgeException e = harness.error(harness.runtime(server.baseUrl()));

        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(e.getMessage()).contains("no quota left", "billing", "OPENAI_API_KEY");
        assertErrorOnly(e);
    }

    // --- 5xx --------------------------------------------------------------------------------

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502, 503, 504})
    void server_error_is_retried_then_judged(int status) {
        server.enqueue(Reply.error(status, "upstream trouble"), Reply.verdict(5, "Same meaning."));

        harness.pass(harness.runtime(server.baseUrl()));

        assertThat(server.requestCount()).isEqualTo(2);
        assertJudgedAndCached();
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502, 503, 504})
    void server_error_that_persists_errors_after_max_attempts(int status) {
        server.otherwise(r -> Reply.error(status, "upstream trouble"));

        JudgeException e = harness.error(harness.runtime(server.baseUrl()));

        assertThat(server.requestCount()).isEqualTo(3);
        assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
        assertThat(e.getMessage()).contains(server.baseUrl(), "kept failing (last: HTTP " + status + ") after 3 attempts",
                "try again later", "llmjudge.judge.max-attempts");
        assertErrorOnly(e);
    }

    @Test
    void sdk_does_not_retry_on_its_own() {
        server.otherwise(r -> Reply.error(503, "unavailable"));
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_MAX_ATTEMPTS, "1"));

        harness.error(runtime);

        // The SDK retries 5xx twice by default; with ours at one attempt, exactly one request goes out.
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void retries_back_off_exponentially() {
        List<Long> arrivals = new CopyOnWriteArrayList<>();
        server.otherwise(r -> {
            arrivals.add(System.nanoTime());
            return Reply.error(503, "unavailable");
        });
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_MAX_ATTEMPTS, "4",
                LlmJudgeConfig.JUDGE_INITIAL_BACKOFF, "100ms", LlmJudgeConfig.JUDGE_MAX_BACKOFF, "1s"));

        harness.error(runtime);

        assertThat(arrivals).hasSize(4);
        // Jitter keeps each delay between half and all of 100, 200, 400 ms.
        assertThat(gapMillis(arrivals, 0)).isGreaterThanOrEqualTo(50);
        assertThat(gapMillis(arrivals, 1)).isGreaterThanOrEqualTo(100);
        assertThat(gapMillis(arrivals, 2)).isGreaterThanOrEqualTo(200);
    }

    @Test
    void retry_budget_bounds_the_total_time() {
        server.otherwise(r -> Reply.error(503, "unavailable"));
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_MAX_ATTEMPTS, "50",
                LlmJudgeConfig.JUDGE_INITIAL_BACKOFF, "200ms", LlmJudgeConfig.JUDGE_MAX_BACKOFF, "200ms",
                LlmJudgeConfig.JUDGE_RETRY_BUDGET, "600ms"));

        long started = System.nanoTime();
        JudgeException e = harness.error(runtime);

        assertThat(millisSince(started)).as("50 attempts would take 10 s").isLessThan(8_000);
        assertThat(server.requestCount()).isBetween(2, 7);
        assertThat(e.getMessage()).contains("llmjudge.judge.retry-budget");
        assertErrorOnly(e);
    }

    // --- 401 / 403 / 404 --------------------------------------------------------------------

    static Stream<Arguments> configurationErrors() {
        return Stream.of(
                Arguments.of(401, Reason.AUTHENTICATION, List.of("rejected the API key (HTTP 401)", "OPENAI_API_KEY")),
                Arguments.of(403, Reason.AUTHENTICATION, List.of("denied access to model 'judge-test-model' (HTTP 403)",
                        "llmjudge.judge.model")),
                Arguments.of(404, Reason.NOT_FOUND, List.of("HTTP 404 for model 'judge-test-model'", "llmjudge.judge.model",
                        "OPENAI_BASE_URL")));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @MethodSource("configurationErrors")
    void configuration_error_is_not_retried_and_says_which(int status, Reason reason, List<String> says) {
        server.otherwise(r -> Reply.error(status, "no"));

        JudgeException e = harness.error(harness.runtime(server.baseUrl()));

        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.getMessage()).contains(server.baseUrl()).contains(says);
        assertErrorOnly(e);
    }

    // --- replies that hold no verdict -------------------------------------------------------

    private static final String CAPABLE_MODEL_FIX = "The model may not follow response_format (the verdict's JSON schema):"
            + " choose a more capable model with llmjudge.judge.model.";

    static Stream<Arguments> invalidReplies() {
        return Stream.of(
                Arguments.of("not JSON", Reply.content("The answer looks right to me: four out of five."), "holds no JSON object",
                        CAPABLE_MODEL_FIX),
                Arguments.of("score missing", Reply.content("{\"justification\": \"Same meaning.\"}"), "has no \"score\"", CAPABLE_MODEL_FIX),
                Arguments.of("score 0", Reply.verdict(0, "Too low."), "score 0 is outside the rubric's range 1 to 5", CAPABLE_MODEL_FIX),
                Arguments.of("score 6", Reply.verdict(6, "Too high."), "score 6 is outside the rubric's range 1 to 5", CAPABLE_MODEL_FIX),
                Arguments.of("score 4.5", Reply.content("{\"justification\": \"Close.\", \"score\": 4.5}"), "4.5 is not an integer",
                        CAPABLE_MODEL_FIX),
                Arguments.of("score \"four\"", Reply.content("{\"justification\": \"Close.\", \"score\": \"four\"}"),
                        "\"four\" is not an integer", CAPABLE_MODEL_FIX),
                Arguments.of("empty content", Reply.content(""), "empty content", CAPABLE_MODEL_FIX),
                Arguments.of("null content", Reply.completion(null, null, "stop"), "empty content", CAPABLE_MODEL_FIX),
                Arguments.of("refusal", Reply.completion(null, "I can't help with grading this.", "stop"),
                        "the judge refused: \"I can't help with grading this.\"",
                        "The case content may trip the judge model's safety rules: try another model with llmjudge.judge.model."),
                Arguments.of("truncated", Reply.completion("{\"justification\": \"The answer states", null, "length"),
                        "finish_reason=length", "Raise llmjudge.judge.max-tokens (now 1024) so that the justification and the score fit."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidReplies")
    void reply_without_a_verdict_is_asked_again_then_errors_with_the_fix_for_its_cause(String name, Reply reply, String cause, String fix) {
        server.otherwise(r -> reply);

        JudgeException e = harness.error(harness.runtime(server.baseUrl()));

        assertThat(server.requestCount()).as("asked twice, then given up").isEqualTo(2);
        assertThat(e.reason()).isEqualTo(Reason.INVALID_REPLY);
        assertThat(e.getMessage()).contains("gave no valid verdict in 2 attempts", cause).endsWith(". Nothing was cached. " + fix);
        assertErrorOnly(e);
    }

    @Test
    void truncated_reply_names_the_max_tokens_key() {
        server.otherwise(r -> Reply.completion("{\"justification\": \"The answer", null, "length"));

        JudgeException e = harness.error(harness.runtime(server.baseUrl()));

        assertThat(e.getMessage()).contains("the reply was cut off at the token limit (finish_reason=length)",
                "Raise llmjudge.judge.max-tokens (now 1024)").doesNotContain("response_format");
        assertThat(e.getMessage().split("llmjudge\\.judge\\.max-tokens", -1)).as("the key is named once").hasSize(2);
    }

    @Test
    void reply_quoting_an_example_verdict_before_its_own_is_asked_again_then_errors() {
        server.otherwise(r -> Reply.content("Like the example {\"justification\": \"Same meaning.\", \"score\": 5}, an answer"
                + " should keep the meaning. My verdict: {\"justification\": \"Misses the capital.\", \"score\": 2}"));

        JudgeException e = harness.error(harness.runtime(server.baseUrl()));

        assertThat(server.requestCount()).as("asked twice, then given up").isEqualTo(2);
        assertThat(e.reason()).isEqualTo(Reason.INVALID_REPLY);
        assertThat(e.getMessage()).contains("gave no valid verdict in 2 attempts", "the judge's reply holds 2 different verdicts (scores 5 and 2)")
                .endsWith(". Nothing was cached. " + CAPABLE_MODEL_FIX);
        assertErrorOnly(e);
    }

    @Test
    void reply_without_a_verdict_then_a_valid_one_is_judged() {
        server.enqueue(Reply.content("Looks fine."), Reply.verdict(4, "Mostly the same meaning."));

        harness.pass(harness.runtime(server.baseUrl()));

        assertThat(server.requestCount()).isEqualTo(2);
        assertJudgedAndCached();
        assertThat(harness.checks.get(0).verdict().score()).isEqualTo(4);
    }

    // --- a proxy in between -----------------------------------------------------------------

    private static final String PROXY_PAGE = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway"
            + "</h1></center><hr><center>nginx</center></body></html>";

    @Test
    void html_error_page_from_a_proxy_is_retried_then_errors() {
        server.otherwise(r -> Reply.raw(502, "text/html", PROXY_PAGE));

        JudgeException e = harness.error(harness.runtime(server.baseUrl()));

        assertThat(server.requestCount()).isEqualTo(3);
        assertThat(e.reason()).isEqualTo(Reason.SERVER_ERROR);
        assertThat(e.getMessage()).contains("kept failing (last: HTTP 502)", "not JSON", "proxy", "OPENAI_BASE_URL");
        assertErrorOnly(e);
    }

    @Test
    void html_page_with_status_200_errors_as_an_invalid_reply() {
        server.otherwise(r -> Reply.raw(200, "text/html", "<html><body><form action=\"/login\">Sign in</form></body></html>"));

        JudgeException e = harness.error(harness.runtime(server.baseUrl()));

        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(e.reason()).isEqualTo(Reason.INVALID_REPLY);
        assertThat(e.getMessage()).contains("not a chat completion (JsonParseException: Unexpected character ('<'", "OPENAI_BASE_URL")
                .doesNotContain("[Source:", "REDACTED");
        assertErrorOnly(e);
    }

    @Test
    void json_reply_without_choices_is_asked_again_then_errors_as_an_invalid_reply() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode body = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1).put("model", "m");
        body.putObject("usage").put("prompt_tokens", 10).put("completion_tokens", 0).put("total_tokens", 10);
        server.otherwise(r -> Reply.raw(200, "application/json", body.toString()));

        JudgeException e = harness.error(harness.runtime(server.baseUrl()));

        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(e.reason()).isEqualTo(Reason.INVALID_REPLY);
        assertThat(e.getMessage()).contains("the reply is not a chat completion", "choices", "OPENAI_BASE_URL");
        assertErrorOnly(e);
    }

    @Test
    void reply_that_is_not_json_is_described_without_jacksons_source_location() {
        server.otherwise(r -> Reply.raw(200, "application/json", "{\"id\": \"chatcmpl-1\", \"choices\": [<html>"));

        JudgeException e = harness.error(harness.runtime(server.baseUrl()));

        assertThat(e.reason()).isEqualTo(Reason.INVALID_REPLY);
        assertThat(e.getMessage()).contains("the reply is not a chat completion (JsonParseException: Unexpected character ('<'")
                .doesNotContain("[Source:", "REDACTED", "INCLUDE_SOURCE_IN_LOCATION", "line: 1", "column:");
        assertErrorOnly(e);
    }

    @Test
    void html_error_page_then_a_verdict_is_judged() {
        server.enqueue(Reply.raw(502, "text/html", PROXY_PAGE), Reply.verdict(5, "Same meaning."));

        harness.pass(harness.runtime(server.baseUrl()));

        assertThat(server.requestCount()).isEqualTo(2);
        assertJudgedAndCached();
    }

    static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }

    private static long gapMillis(List<Long> arrivals, int i) {
        return (arrivals.get(i + 1) - arrivals.get(i)) / 1_000_000;
    }
}
