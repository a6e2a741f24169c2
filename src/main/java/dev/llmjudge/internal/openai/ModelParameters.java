package dev.llmjudge.internal.openai;

import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmjudge.metric.Metric;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.TreeMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The parameters a judge request sends (temperature, seed, {@code max_tokens}, a
 * {@code response_format} with the verdict's JSON schema, {@code n} when it asks for several
 * choices, and {@code logprobs} with {@code top_logprobs} when it is scored by probabilities),
 * adapted to what each model accepts:
 * one a model rejected with HTTP 400 is left out from then on, and reasoning models (o1, o3,
 * o4-mini, GPT-5) get {@code max_completion_tokens} and no temperature. Each request records what
 * it sent, for the verdict.
 */
final class ModelParameters {
    /** Logged under the judge's name, the logger users configure. */
    private static final System.Logger LOG = System.getLogger(OpenAiJudge.class.getName());
    private static final Pattern REASONING_MODEL = Pattern.compile("^(?:.*/)?(o\\d.*|gpt-5.*)$");

    /** Parameters a model may reject, in the order a rejection is searched for the words that name them; remembered per model. */
    enum Adaptation {
        MAX_COMPLETION_TOKENS("max_tokens"), NO_TEMPERATURE("temperature"), NO_SEED("seed"),
        NO_RESPONSE_FORMAT("response_format", "json_schema"),
        /** Several choices in one request: named by the rejection's {@code param} only, as the letter is in every text. */
        NO_N();

        private final List<String> named;

        Adaptation(String... named) {
            this.named = List.of(named);
        }
    }

    /** A request ready to send; {@code sent} is its sampling parameters as a verdict records them. */
    record Request(String model, ChatCompletionCreateParams params, Map<String, Object> sent, Set<Adaptation> adapted) {
    }

    private final double temperature;
    private final long seed;
    private final int maxTokens;
    /** The sampling parameters before any adaptation, for the fingerprint; made once, as a replayed check needs only them. */
    private final Map<String, Object> intended;
    private final Map<String, Set<Adaptation>> adaptations = new ConcurrentHashMap<>();

    ModelParameters(double temperature, long seed, int maxTokens) {
        this.temperature = temperature;
        this.seed = seed;
        this.maxTokens = maxTokens;
        this.intended = Collections.unmodifiableMap(new TreeMap<>(Map.of("temperature", temperature, "seed", seed, "max_tokens", maxTokens,
                "response_format", "json_schema")));
    }

    Map<String, Object> intended() {
        return intended;
    }

    /** The request of {@code prompt} to {@code model}, with the adaptations known for the model so far. */
    Request request(String model, JudgePrompt prompt, Metric metric) {
        return request(model, prompt, metric, 1, seed);
    }

    /** The same, asking for {@code choices} choices (with {@code n} when more than one) with {@code seed}. */
    Request request(String model, JudgePrompt prompt, Metric metric, int choices, long seed) {
        return request(model, prompt, metric, choices, seed, 0);
    }

    /**
     * The same, asking with {@code logprobs} for the {@code topLogprobs} most probable alternatives at
     * each token when {@code topLogprobs} is above 0. Those two are never left out for a model that
     * rejects them: a score by probabilities has no stand-in.
     */
    Request request(String model, JudgePrompt prompt, Metric metric, int choices, long seed, int topLogprobs) {
        Set<Adaptation> adapted = adaptationsFor(model);
        Map<String, Object> sent = new LinkedHashMap<>();
        ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage(prompt.system())
                .addUserMessage(prompt.user());
        if (!adapted.contains(Adaptation.NO_TEMPERATURE)) {
            b.temperature(temperature);
            sent.put("temperature", temperature);
        }
        if (!adapted.contains(Adaptation.NO_SEED)) {
            b.seed(seed);
            sent.put("seed", seed);
        }
        if (adapted.contains(Adaptation.MAX_COMPLETION_TOKENS)) {
            b.maxCompletionTokens(maxTokens);
            sent.put("max_completion_tokens", maxTokens);
        } else {
            b.maxTokens(maxTokens);
            sent.put("max_tokens", maxTokens);
        }
        if (!adapted.contains(Adaptation.NO_RESPONSE_FORMAT)) {
            b.responseFormat(responseFormat(metric));
            sent.put("response_format", "json_schema");
        }
        if (choices > 1 && !adapted.contains(Adaptation.NO_N)) {
            b.n(choices);
            sent.put("n", choices);
        }
        if (topLogprobs > 0) {
            b.logprobs(true).topLogprobs(topLogprobs);
            sent.put("logprobs", true);
            sent.put("top_logprobs", topLogprobs);
        }
        return new Request(model, b.build(), sent, adapted);
    }

    /** Whether {@code rejection} is an HTTP 400 for a parameter the model can do without: if so, it is left out from now on. */
    boolean adaptTo(OpenAIException rejection, Request request) {
        if (!(rejection instanceof BadRequestException badRequest)) {
            return false;
        }
        Optional<Adaptation> fix = adaptationFor(badRequest, request.adapted());
        fix.ifPresent(adaptation -> {
            adaptations.computeIfAbsent(request.model(), m -> ConcurrentHashMap.newKeySet()).add(adaptation);
            LOG.log(System.Logger.Level.INFO, "judge model {0} rejected a parameter; retrying with {1}", request.model(), adaptation);
        });
        return fix.isPresent();
    }

    private Set<Adaptation> adaptationsFor(String model) {
        Set<Adaptation> result = EnumSet.noneOf(Adaptation.class);
        result.addAll(adaptations.getOrDefault(model, Set.of()));
        if (REASONING_MODEL.matcher(model.toLowerCase(Locale.ROOT)).matches()) {
            // Reasoning models take max_completion_tokens and only their default temperature.
            result.add(Adaptation.NO_TEMPERATURE);
            result.add(Adaptation.MAX_COMPLETION_TOKENS);
        }
        return result;
    }

    /** The adaptation a rejection asks for, if it names a parameter that was sent. */
    private static Optional<Adaptation> adaptationFor(OpenAIServiceException e, Set<Adaptation> already) {
        String text = (e.param().orElse("") + " " + e.getMessage() + " " + e.body()).toLowerCase(Locale.ROOT);
        return Arrays.stream(Adaptation.values()).filter(a -> !already.contains(a) && (a == Adaptation.NO_N
                ? e.param().filter("n"::equals).isPresent() : a.named.stream().anyMatch(text::contains))).findFirst();
    }

    /** The verdict's JSON schema: a justification first, then an integer score within the metric's range. */
    private static ResponseFormatJsonSchema responseFormat(Metric metric) {
        Map<String, Object> score = new LinkedHashMap<>();
        score.put("type", "integer");
        score.put("minimum", metric.minScore());
        score.put("maximum", metric.maxScore());
        score.put("description", "The score, an integer from " + metric.minScore() + " to " + metric.maxScore());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("justification", Map.of("type", "string", "description", "Reasoning that leads to the score, written first"));
        properties.put("score", score);
        ResponseFormatJsonSchema.JsonSchema.Schema schema = ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty("properties", JsonValue.from(properties))
                .putAdditionalProperty("required", JsonValue.from(List.of("justification", "score")))
                .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                .build();
        return ResponseFormatJsonSchema.builder()
                .jsonSchema(ResponseFormatJsonSchema.JsonSchema.builder().name("verdict").strict(true).schema(schema).build())
                .build();
    }
}
