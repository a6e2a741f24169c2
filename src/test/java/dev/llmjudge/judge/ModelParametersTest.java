package dev.llmjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.Headers;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIException;
import com.openai.errors.UnprocessableEntityException;
import com.openai.models.ErrorObject;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rejections are the SDK's own exceptions, as it builds them from an HTTP 400 reply. */
class ModelParametersTest {
    private static final Metric METRIC = Metrics.answerSimilarity();
    private static final JudgePrompt PROMPT = PromptRenderer.render(METRIC, EvaluationCase.ofAnswer("Paris").withGroundTruth("Paris."));

    private final ModelParameters parameters = new ModelParameters(0.0, 42, 1024);

    private static BadRequestException rejected(String param, String message) {
        ErrorObject error = ErrorObject.builder().message(message).type("invalid_request_error").code("unsupported_parameter")
                .param(Optional.ofNullable(param)).build();
        return BadRequestException.builder().headers(Headers.builder().put("Content-Type", "application/json").build()).error(error).build();
    }

    /** Sends a request for {@code model}, lets the server reject it, and returns whether it was adapted. */
    private boolean adaptedAfter(String model, OpenAIException rejection) {
        return parameters.adaptTo(rejection, parameters.request(model, PROMPT, METRIC));
    }

    @Test
    void should_send_temperature_seed_max_tokens_and_the_verdict_schema() {
        ModelParameters.Request request = parameters.request("gpt-4.1", PROMPT, METRIC);

        ChatCompletionCreateParams params = request.params();
        assertThat(params.model().asString()).isEqualTo("gpt-4.1");
        assertThat(params.temperature()).contains(0.0);
        assertThat(params.seed()).contains(42L);
        assertThat(params.maxTokens()).contains(1024L);
        assertThat(params.maxCompletionTokens()).isEmpty();
        assertThat(params.responseFormat()).hasValueSatisfying(format -> assertThat(format.isJsonSchema()).isTrue());
        assertThat(params.messages()).hasSize(2);
        assertThat(request.sent()).containsExactly(Map.entry("temperature", 0.0), Map.entry("seed", 42L), Map.entry("max_tokens", 1024),
                Map.entry("response_format", "json_schema"));
    }

    @Test
    void should_intend_the_unadapted_parameters_sorted_by_name() {
        assertThat(parameters.intended().keySet()).containsExactly("max_tokens", "response_format", "seed", "temperature");
        assertThat(parameters.intended()).isEqualTo(parameters.request("gpt-4.1", PROMPT, METRIC).sent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"o1", "o3-mini", "o4-mini", "gpt-5", "gpt-5-nano", "openai/O3", "GPT-5-mini"})
    void should_send_max_completion_tokens_and_no_temperature_to_a_reasoning_model(String model) {
        ModelParameters.Request request = parameters.request(model, PROMPT, METRIC);

        assertThat(request.params().temperature()).isEmpty();
        assertThat(request.params().maxTokens()).isEmpty();
        assertThat(request.params().maxCompletionTokens()).contains(1024L);
        assertThat(request.sent()).containsOnlyKeys("seed", "max_completion_tokens", "response_format");
    }

    @Test
    void should_leave_out_a_rejected_temperature_for_that_model_only() {
        assertThat(adaptedAfter("strict-model", rejected("temperature", "Unsupported parameter: 'temperature' is not supported."))).isTrue();

        assertThat(parameters.request("strict-model", PROMPT, METRIC).sent()).doesNotContainKey("temperature").containsKey("seed");
        assertThat(parameters.request("strict-model", PROMPT, METRIC).params().temperature()).isEmpty();
        assertThat(parameters.request("other-model", PROMPT, METRIC).sent()).containsKey("temperature");
    }

    @Test
    void should_adapt_each_parameter_the_server_names() {
        assertThat(adaptedAfter("m", rejected("max_tokens", "Use 'max_completion_tokens' instead of 'max_tokens'."))).isTrue();
        assertThat(adaptedAfter("m", rejected(null, "seed is not supported by this server"))).isTrue();
        assertThat(adaptedAfter("m", rejected("response_format", "json_schema is not supported"))).isTrue();

        ModelParameters.Request request = parameters.request("m", PROMPT, METRIC);
        assertThat(request.sent()).containsOnlyKeys("temperature", "max_completion_tokens");
        assertThat(request.params().responseFormat()).isEmpty();
        assertThat(request.params().seed()).isEmpty();
        assertThat(request.adapted()).containsExactlyInAnyOrder(ModelParameters.Adaptation.MAX_COMPLETION_TOKENS,
                ModelParameters.Adaptation.NO_SEED, ModelParameters.Adaptation.NO_RESPONSE_FORMAT);
    }

    @Test
    void should_not_adapt_twice_to_the_same_rejection() {
        BadRequestException temperature = rejected("temperature", "Unsupported parameter: 'temperature'.");
        adaptedAfter("strict-model", temperature);

        assertThat(adaptedAfter("strict-model", temperature)).as("already left out: the request itself is at fault").isFalse();
    }

    @Test
    void should_not_adapt_to_a_rejection_that_names_no_parameter_or_is_not_http_400() {
        assertThat(adaptedAfter("m", rejected(null, "messages must not be empty"))).isFalse();
        UnprocessableEntityException unprocessable = UnprocessableEntityException.builder().headers(Headers.builder().build())
                .error(ErrorObject.builder().message("temperature").type("x").code(Optional.empty()).param("temperature").build()).build();
        assertThat(adaptedAfter("m", unprocessable)).isFalse();
        assertThat(parameters.request("m", PROMPT, METRIC).adapted()).isEmpty();
    }
}
