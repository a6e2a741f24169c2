package dev.llmjudge.internal.openai;

import dev.llmjudge.judge.JudgeException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.http.Headers;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIRetryableException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnexpectedStatusCodeException;
import com.openai.errors.UnprocessableEntityException;
import com.openai.models.ErrorObject;
import dev.llmjudge.config.JudgeConfig;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.judge.JudgeException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The message and reason for each kind of exception the SDK throws, built with the SDK's own builders. */
class OpenAiErrorsTest {
    private static final String ENDPOINT = "http://127.0.0.1:8080/v1";
    private static final String MODEL = "judge-test-model";
    private static final OpenAiErrors ERRORS = new OpenAiErrors(Optional.of(ENDPOINT), Duration.ofMillis(300));
    private static final Headers JSON = Headers.builder().put("Content-Type", "application/json").build();
    private static final ErrorObject NO = ErrorObject.builder().message("no").type("invalid_request_error").code(Optional.empty())
            .param(Optional.empty()).build();

    private static JudgeException finalError(OpenAIException e) {
        OpenAiErrors.Failure failure = ERRORS.translate(e, MODEL);
        assertThat(failure).isInstanceOf(OpenAiErrors.Final.class);
        return ((OpenAiErrors.Final) failure).error();
    }

    private static OpenAiErrors.Transient transientFault(OpenAIException e) {
        OpenAiErrors.Failure failure = ERRORS.translate(e, MODEL);
        assertThat(failure).isInstanceOf(OpenAiErrors.Transient.class);
        return (OpenAiErrors.Transient) failure;
    }

    /** The error once three attempts in 1.5 s are spent. */
    private static JudgeException givenUp(OpenAIException e) {
        return transientFault(e).giveUp().after(3, Duration.ofMillis(1500));
    }

    private static String body(OpenAIServiceException e) {
        return String.valueOf(e.body());
    }

    // --- settings and access: never retried -------------------------------------------------

    @Test
    void should_quote_the_server_for_a_bad_request() {
        BadRequestException e = BadRequestException.builder().headers(JSON).error(NO).build();

        JudgeException error = finalError(e);

        assertThat(error.reason()).isEqualTo(Reason.BAD_REQUEST);
        assertThat(error).hasMessage("the judge endpoint " + ENDPOINT + " rejected the request for model '" + MODEL + "' (HTTP 400: "
                + body(e) + "). Check llmjudge.judge.model and the server's supported parameters.").hasCause(e);
        assertThat(body(e)).contains("no");
    }

    @Test
    void should_name_the_api_key_for_http_401() {
        JudgeException error = finalError(UnauthorizedException.builder().headers(JSON).error(NO).build());

        assertThat(error.reason()).isEqualTo(Reason.AUTHENTICATION);
        assertThat(error).hasMessage("the judge endpoint " + ENDPOINT + " rejected the API key (HTTP 401): check OPENAI_API_KEY (for"
                + " Azure OpenAI, the key of that resource).");
    }

    @Test
    void should_name_the_model_for_http_403() {
        JudgeException error = finalError(PermissionDeniedException.builder().headers(JSON).error(NO).build());

        assertThat(error.reason()).isEqualTo(Reason.AUTHENTICATION);
        assertThat(error).hasMessage("the judge endpoint " + ENDPOINT + " denied access to model '" + MODEL + "' (HTTP 403): check that"
                + " the API key's project may use this model, or choose another with llmjudge.judge.model.");
    }

    @Test
    void should_name_the_model_and_the_base_url_for_http_404() {
        JudgeException error = finalError(NotFoundException.builder().headers(JSON).error(NO).build());

        assertThat(error.reason()).isEqualTo(Reason.NOT_FOUND);
        assertThat(error).hasMessage("the judge endpoint " + ENDPOINT + " answered HTTP 404 for model '" + MODEL + "': check"
                + " llmjudge.judge.model (the model or deployment name) and OPENAI_BASE_URL (it usually ends in /v1).");
    }

    @Test
    void should_not_retry_an_account_without_quota() {
        ErrorObject quota = ErrorObject.builder().message("You exceeded your current quota.").type("insufficient_quota")
                .code("insufficient_quota").param(Optional.empty()).build();

        JudgeException error = finalError(RateLimitException.builder().headers(JSON).error(quota).build());

        assertThat(error.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(error).hasMessage("the judge endpoint " + ENDPOINT + " refused the request: the account behind the API key has no"
                + " quota left (HTTP 429 insufficient_quota). Check the plan and billing of that account, or use another OPENAI_API_KEY.");
    }

    @Test
    void should_not_retry_another_client_error() {
        UnprocessableEntityException e = UnprocessableEntityException.builder().headers(JSON).error(NO).build();

        JudgeException error = finalError(e);

        assertThat(error.reason()).isEqualTo(Reason.BAD_REQUEST);
        assertThat(error).hasMessage("the judge endpoint " + ENDPOINT + " answered HTTP 422 for model '" + MODEL + "' (" + body(e)
                + "). Check llmjudge.judge.model and OPENAI_BASE_URL.");
    }

    // --- passing faults: retried ------------------------------------------------------------

    @Test
    void should_retry_a_rate_limit_after_what_the_server_asked_for() {
        RateLimitException e = RateLimitException.builder()
                .headers(Headers.builder().put("Content-Type", "application/json").put("Retry-After", "2").build()).error(NO).build();

        OpenAiErrors.Transient fault = transientFault(e);
        JudgeException error = fault.giveUp().after(3, Duration.ofMillis(1500));

        assertThat(fault.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(error.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(error).hasMessage("the judge endpoint " + ENDPOINT + " kept rate limiting (HTTP 429) after 3 attempts in 1.5 s: try"
                + " again later, lower the request rate, or raise llmjudge.judge.max-attempts / llmjudge.judge.retry-budget.").hasCause(e);
    }

    @Test
    void should_read_retry_after_ms_first() {
        RateLimitException e = RateLimitException.builder()
                .headers(Headers.builder().put("retry-after-ms", "400").put("Retry-After", "2").build()).error(NO).build();

        assertThat(transientFault(e).retryAfter()).contains(Duration.ofMillis(400));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {500, 502, 503, 504})
    void should_retry_a_server_error_and_name_the_last_status(int status) {
        InternalServerException e = InternalServerException.builder().statusCode(status).headers(JSON).error(NO).build();

        JudgeException error = givenUp(e);

        assertThat(transientFault(e).retryAfter()).isEmpty();
        assertThat(error.reason()).isEqualTo(Reason.SERVER_ERROR);
        assertThat(error).hasMessage("the judge endpoint " + ENDPOINT + " kept failing (last: HTTP " + status + ") after 3 attempts in"
                + " 1.5 s: try again later, lower the request rate, or raise llmjudge.judge.max-attempts / llmjudge.judge.retry-budget.");
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {408, 409})
    void should_retry_a_request_timeout_and_a_conflict(int status) {
        JudgeException error = givenUp(UnexpectedStatusCodeException.builder().statusCode(status).headers(JSON).error(NO).build());

        assertThat(error.reason()).isEqualTo(Reason.BAD_REQUEST);
        assertThat(error.getMessage()).contains("kept failing (last: HTTP " + status + ") after 3 attempts in 1.5 s");
    }

    @Test
    void should_say_a_proxy_answered_when_an_error_reply_is_not_json() {
        Headers html = Headers.builder().put("Content-Type", "text/html").build();

        JudgeException error = givenUp(InternalServerException.builder().statusCode(502).headers(html).build());

        assertThat(error.getMessage()).endsWith("llmjudge.judge.retry-budget. The reply was not JSON (Content-Type text/html), so a"
                + " proxy or gateway answered rather than the judge: check OPENAI_BASE_URL and any HTTP proxy in between.");
        assertThat(finalError(NotFoundException.builder().headers(html).build()).getMessage()).doesNotContain("not JSON");
        assertThat(givenUp(InternalServerException.builder().statusCode(503).headers(Headers.builder().build()).build()).getMessage())
                .contains("The reply was not JSON (no Content-Type)");
    }

    // --- the network ------------------------------------------------------------------------

    @Test
    void should_name_the_endpoint_and_the_cause_when_no_reply_came() {
        OpenAIIoException e = new OpenAIIoException("Request failed", new ConnectException("Failed to connect to /127.0.0.1:8080"));

        JudgeException error = givenUp(e);

        assertThat(transientFault(e).retryAfter()).isEmpty();
        assertThat(error.reason()).isEqualTo(Reason.NETWORK);
        assertThat(error).hasMessage("could not get a reply from the judge endpoint " + ENDPOINT + " after 3 attempts (ConnectException:"
                + " Failed to connect to /127.0.0.1:8080): check OPENAI_BASE_URL, that the server is running, and llmjudge.judge.timeout.")
                .hasCause(e);
    }

    @Test
    void should_say_the_last_attempt_timed_out_with_the_timeout() {
        InterruptedIOException timeout = new InterruptedIOException("timeout");
        timeout.initCause(new SocketException("Socket closed"));
        OpenAIIoException interrupted = new OpenAIIoException("Request failed", timeout);
        OpenAIIoException socket = new OpenAIIoException("Request failed", new SocketTimeoutException("Read timed out"));

        assertThat(givenUp(interrupted).getMessage()).contains("(the last attempt timed out after 0.3 s)").doesNotContain("Socket closed");
        assertThat(givenUp(socket).getMessage()).contains("(the last attempt timed out after 0.3 s)");
    }

    @Test
    void should_say_the_server_closed_the_connection_before_replying() {
        OpenAIIoException e = new OpenAIIoException("Request failed", new IOException("unexpected end of stream",
                new EOFException("\\n not found: limit=0 content=…")));

        assertThat(givenUp(e).getMessage()).contains("after 3 attempts (the server closed the connection before replying): check")
                .doesNotContain("EOFException", "not found: limit=");
    }

    @Test
    void should_take_a_connection_lost_while_reading_the_body_for_a_network_fault() {
        OpenAIInvalidDataException e = new OpenAIInvalidDataException("Error reading response", new SocketException("Connection reset"));

        JudgeException error = givenUp(e);

        assertThat(error.reason()).isEqualTo(Reason.NETWORK);
        assertThat(error.getMessage()).contains("after 3 attempts (SocketException: Connection reset)");
    }

    @Test
    void should_take_a_body_that_is_not_a_chat_completion_for_a_reply_without_a_verdict() {
        Exception parse = null;
        try {
            new ObjectMapper().readTree("<html><body>Sign in</body></html>");
        } catch (IOException e) {
            parse = e;
        }
        OpenAIInvalidDataException e = new OpenAIInvalidDataException("Error reading response", parse);

        OpenAiErrors.Failure failure = ERRORS.translate(e, MODEL);

        assertThat(failure).isInstanceOf(OpenAiErrors.NotAChatCompletion.class);
        OpenAiErrors.NotAChatCompletion reply = (OpenAiErrors.NotAChatCompletion) failure;
        assertThat(reply.cause()).isSameAs(e);
        assertThat(reply.problem().fix()).isEqualTo(OpenAiErrors.NOT_AN_API);
        assertThat(reply.problem().problem()).startsWith("the reply is not a chat completion (JsonParseException: Unexpected character ('<'")
                .doesNotContain("[Source:", "line: 1", "column:");
    }

    @Test
    void should_name_the_endpoint_for_any_other_sdk_failure() {
        JudgeException error = finalError(new OpenAIRetryableException("stream ended", new IllegalStateException("no more events")));

        assertThat(error.reason()).isEqualTo(Reason.NETWORK);
        assertThat(error).hasMessage("the judge call to " + ENDPOINT + " failed: IllegalStateException: no more events");
    }

    // --- the endpoint and the client --------------------------------------------------------

    @Test
    void should_name_the_endpoint_without_credentials_query_or_fragment() {
        OpenAiErrors errors = new OpenAiErrors(Optional.of("https://user:secret@judge.example:8443/v1?key=abc#top"), Duration.ofSeconds(1));

        assertThat(errors.endpoint()).isEqualTo("https://judge.example:8443/v1");
        assertThat(new OpenAiErrors(Optional.of("not a url"), Duration.ofSeconds(1)).endpoint()).isEqualTo("(the configured base URL)");
    }

    @Test
    void should_say_how_to_configure_a_client_that_cannot_be_built() {
        JudgeException notConfigurable = OpenAiErrors.notConfigurable(new IllegalArgumentException("Expected URL scheme 'http' or 'https'"));
        JudgeException noKey = OpenAiErrors.noApiKey(new IllegalStateException("`apiKey` is required, but was not set"));

        assertThat(notConfigurable.reason()).isEqualTo(Reason.NOT_CONFIGURED);
        assertThat(notConfigurable).hasMessage("the judge client cannot be configured from the environment (IllegalArgumentException:"
                + " Expected URL scheme 'http' or 'https'): check that OPENAI_BASE_URL, if set, is a full URL such as"
                + " http://127.0.0.1:11434/v1.");
        assertThat(noKey.reason()).isEqualTo(Reason.MISSING_KEY);
        assertThat(noKey).hasMessage("no API key for the judge (the OpenAI client says: `apiKey` is required, but was not set): set"
                + " OPENAI_API_KEY (any non-empty value for a local server such as Ollama) and, for a server other than OpenAI,"
                + " OPENAI_BASE_URL; or run with llmjudge.cache.mode=replay and recorded verdicts.").hasNoCause();
    }

    @Test
    void should_say_where_an_admin_key_is_set_the_system_property_first_as_the_sdk_reads_it() {
        assertThat(OpenAiJudge.adminKeySetBy(Map.of("openai.adminKey", "sk-admin-a")::get, Map.of("OPENAI_ADMIN_KEY", "sk-admin-b")::get))
                .contains("-Dopenai.adminKey");
        assertThat(OpenAiJudge.adminKeySetBy(name -> null, Map.of("OPENAI_ADMIN_KEY", "sk-admin-b")::get)).contains("OPENAI_ADMIN_KEY");
        assertThat(OpenAiJudge.adminKeySetBy(name -> null, name -> null)).isEmpty();
        assertThat(OpenAiErrors.noApiKey(new IllegalStateException("`apiKey` is required, but was not set"), Optional.of("OPENAI_ADMIN_KEY")))
                .hasMessageEndingWith("or run with llmjudge.cache.mode=replay and recorded verdicts. An admin key is set (OPENAI_ADMIN_KEY),"
                        + " but an admin key is not used for chat calls: the judge needs an API key.");
    }

    @Test
    void should_refuse_a_base_url_in_the_environment_that_is_no_http_or_https_url_naming_where_it_was_set() {
        String expected = ": expected an http or https URL such as https://api.openai.com/v1 or http://localhost:11434/v1 (unset: OpenAI's endpoint)";

        assertThatThrownBy(() -> OpenAiJudge.checkEnvironmentBaseUrl(name -> null, Map.of("OPENAI_BASE_URL", "localhost:11434/v1")::get))
                .isInstanceOfSatisfying(JudgeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_CONFIGURED))
                .hasMessage("invalid value 'localhost:11434/v1' for OPENAI_BASE_URL" + expected);
        assertThatThrownBy(() -> OpenAiJudge.checkEnvironmentBaseUrl(name -> null, Map.of("OPENAI_BASE_URL", "")::get))
                .hasMessage("invalid value '' for OPENAI_BASE_URL" + expected);
        assertThatThrownBy(() -> OpenAiJudge.checkEnvironmentBaseUrl(Map.of("openai.baseUrl", "ftp://example.com/v1")::get,
                Map.of("OPENAI_BASE_URL", "http://localhost:11434/v1")::get))
                .as("the SDK's system property wins over the variable").hasMessage("invalid value 'ftp://example.com/v1' for -Dopenai.baseUrl" + expected);
        assertThatThrownBy(() -> OpenAiJudge.checkEnvironmentBaseUrl(name -> null,
                Map.of("OPENAI_BASE_URL", "https://judge:hunter2-secret@judge.example.com:0/v1")::get))
                .as("the credentials of a refused URL are not quoted")
                .hasMessage("invalid value 'https://[REDACTED]@judge.example.com:0/v1' for OPENAI_BASE_URL" + expected);
        assertThatCode(() -> OpenAiJudge.checkEnvironmentBaseUrl(name -> null, Map.of("OPENAI_BASE_URL", "http://localhost:11434/v1")::get))
                .doesNotThrowAnyException();
        assertThatCode(() -> OpenAiJudge.checkEnvironmentBaseUrl(name -> null, name -> null)).doesNotThrowAnyException();
    }

    @Test
    void should_report_a_setting_the_client_rejects_as_such_not_as_a_missing_api_key() {
        JudgeConfig d = LlmJudgeConfig.defaults().judge();
        // A timeout the key refuses, given in code: the SDK rejects it when the client is built.
        JudgeConfig tooLong = new JudgeConfig(d.model(), Optional.of("http://127.0.0.1:9/v1"), d.temperature(), d.seed(), d.maxTokens(),
                Duration.ofDays(30), d.maxAttempts(), d.retryBudget(), d.initialBackoff(), d.maxBackoff(), d.maxConcurrency(),
                d.requestsPerMinute(), d.maxInputTokens(), d.missingKey(), d.samples(), d.onUnstable(), d.scoreBy());

        assertThatThrownBy(() -> OpenAiJudge.createClient(tooLong, Optional.of("sk-test-not-secret")))
                .isInstanceOfSatisfying(JudgeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_CONFIGURED))
                .hasMessage("the judge client cannot be built (IllegalArgumentException: timeout too large.): check llmjudge.judge.base-url,"
                        + " llmjudge.judge.timeout and the OPENAI_* environment variables.");
        assertThatThrownBy(() -> OpenAiJudge.createClient(d, Optional.empty()))
                .isInstanceOfSatisfying(JudgeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_KEY))
                .hasMessageStartingWith("no API key for the judge");
    }
}
