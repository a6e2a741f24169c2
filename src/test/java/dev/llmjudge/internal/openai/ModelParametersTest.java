package dev.llmjudge.internal.openai;

import dev.llmjudge.judge.EvaluationCase;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.core.http.Headers;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIException;
import com.openai.errors.UnprocessableEntityException;
import com.openai.models.ErrorObject;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rejections are the SDK's own exception classes, made with its builders; requests are read as the SDK writes them. */
class ModelParametersTest {
    private static final Metric METRIC = Metrics.answerSimilarity();
    private static final JudgePrompt PROMPT = PromptRenderer.render(METRIC, EvaluationCase.ofAnswer("Paris").withGroundTruth("Paris."));

    private final ModelParameters parameters = new ModelParameters(0.0, 42, 1024);

    private static BadRequestException rejected(String param, String message) {
        ErrorObject error = ErrorObject.builder().message(message).type("invalid_request_error").code("unsupported_parameter")
                .param(Optional.ofNullable(param)).build();
        return BadRequestException.builder().headers(Headers.builder().put("Content-Type", "application/json").build()).error(error).build();
    }

    /** The request's body as the SDK writes it on the wire. */
    private static JsonNode wire(ModelParameters.Request request) {
        return ObjectMappers.jsonMapper().valueToTree(request.params()._body());
    }

    /** Adapts a request for {@code model} to {@code rejection}; returns whether it was adapted. */
    private boolean adaptedAfter(String model, OpenAIException rejection) {
        return parameters.adaptTo(rejection, parameters.request(model, PROMPT, METRIC));
    }

    @Test
    void should_send_temperature_seed_max_tokens_and_the_verdict_schema() {
        ModelParameters.Request request = parameters.request("gpt-4.1", PROMPT, METRIC);

        JsonNode body = wire(request);
        assertThat(body.path("model").asText()).isEqualTo("gpt-4.1");
        assertThat(body.path("temperature").isNumber()).isTrue();
        assertThat(body.path("temperature").asDouble(-1)).isEqualTo(0.0);
        assertThat(body.path("seed").asLong()).isEqualTo(42);
        assertThat(body.path("max_tokens").asInt()).isEqualTo(1024);
        assertThat(body.has("max_completion_tokens")).isFalse();
        assertThat(body.path("response_format").path("type").asText()).isEqualTo("json_schema");
        assertThat(body.path("messages")).hasSize(2);
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

        JsonNode body = wire(request);
        assertThat(body.has("temperature")).isFalse();
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(1024);
        assertThat(request.sent()).containsOnlyKeys("seed", "max_completion_tokens", "response_format");
    }

    @Test
    void should_leave_out_a_rejected_temperature_for_that_model_only() {
        assertThat(adaptedAfter("strict-model", rejected("temperature", "Unsupported parameter: 'temperature' is not supported."))).isTrue();

        assertThat(parameters.request("strict-model", PROMPT, METRIC).sent()).doesNotContainKey("temperature").containsKey("seed");
        assertThat(wire(parameters.request("strict-model", PROMPT, METRIC)).has("temperature")).isFalse();
        assertThat(parameters.request("other-model", PROMPT, METRIC).sent()).containsKey("temperature");
    }

    @Test
    void should_adapt_each_parameter_the_server_names() {
        assertThat(adaptedAfter("m", rejected("max_tokens", "Use 'max_completion_tokens' instead of 'max_tokens'."))).isTrue();
        assertThat(adaptedAfter("m", rejected(null, "seed is not supported by this server"))).isTrue();
        assertThat(adaptedAfter("m", rejected("response_format", "json_schema is not supported"))).isTrue();

        ModelParameters.Request request = parameters.request("m", PROMPT, METRIC);
        assertThat(request.sent()).containsOnlyKeys("temperature", "max_completion_tokens");
        assertThat(wire(request).has("response_format")).isFalse();
        assertThat(wire(request).has("seed")).isFalse();
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
