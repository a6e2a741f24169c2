package dev.llmjudge.judge;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A judge that asks a chat model through the official openai-java SDK: OpenAI, Azure OpenAI,
 * Ollama, vLLM or any OpenAI-compatible server, chosen by base URL.
 *
 * <p>It asks for the justification before the score as JSON ({@code response_format} with a
 * JSON schema), with temperature 0, a fixed seed and bounded tokens; parses leniently for
 * servers that ignore the schema; retries transient failures with exponential backoff and
 * jitter inside a time budget (the SDK's own retries are off, so the two never multiply);
 * and adapts to models that reject a sampling parameter, recording in each verdict what it
 * sent. The client is created on the first verdict that is actually judged, once.
 *
 * <pre>{@code
 * Judge judge = new OpenAiJudge(JudgeSettings.builder().model("gpt-4.1").build());
 * Verdict v = judge.judge(new JudgeRequest(Metrics.answerSimilarity(),
 *     EvaluationCase.ofAnswer("Paris").withGroundTruth("Paris is the capital of France.")));
 * }</pre>
 */
public final class OpenAiJudge implements Judge, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OpenAiJudge.class.getName());
    private static final Pattern REASONING_MODEL = Pattern.compile("^(?:.*/)?(o\\d.*|gpt-5.*)$");

    /** Parameters a model may reject; each is adapted once and remembered per model. */
    enum Adaptation {
        NO_TEMPERATURE, NO_SEED, MAX_COMPLETION_TOKENS, NO_RESPONSE_FORMAT
    }

    private final JudgeSettings settings;
    /** The sampling parameters every request intends, in the fingerprint; made once, since a replayed check only needs them for its key. */
    private final Map<String, Object> intended;
    private final Map<String, Set<Adaptation>> adaptations = new ConcurrentHashMap<>();
    private final RetryPolicy retryPolicy;
    private final OpenAiErrors errors;
    private volatile OpenAIClient client;

    public OpenAiJudge(JudgeSettings settings) {
        this.settings = settings;
        this.retryPolicy = new RetryPolicy(settings.maxAttempts(), settings.retryBudget(), settings.initialBackoff(), settings.maxBackoff());
        this.errors = new OpenAiErrors(settings.baseUrlOverride(), settings.timeout());
        settings.apiKeyOverride().ifPresent(Secrets::register);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("temperature", settings.temperature());
        parameters.put("seed", settings.seed());
        parameters.put("max_tokens", settings.maxTokens());
        parameters.put("response_format", "json_schema");
        this.intended = new JudgeFingerprint(settings.model(), parameters, List.of()).parameters();
    }

    public JudgeSettings settings() {
        return settings;
    }

    /** Whether the SDK client has been created (it is, only when a verdict is judged). */
    public boolean clientCreated() {
        return client != null;
    }

    private String modelFor(JudgeRequest request) {
        return request.metric().model().orElse(settings.model());
    }

    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        return new JudgeFingerprint(modelFor(request), intended, PromptRenderer.render(request.metric(), request.evaluationCase()).messages());
    }

    @Override
    public Verdict judge(JudgeRequest request) {
        String model = modelFor(request);
        JudgePrompt prompt = PromptRenderer.render(request.metric(), request.evaluationCase());
        // Create the client first (once per judge, and slow on a cold JVM) so that latency is the judge's own.
        client();
        Instant start = Instant.now();
        RetryPolicy.Retries retries = retryPolicy.start();
        ReplyReader replies = new ReplyReader(model, request.metric(), settings.maxTokens());
        try {
            while (true) {
                Set<Adaptation> adapted = adaptationsFor(model);
                Map<String, Object> sent = new LinkedHashMap<>();
                ChatCompletionCreateParams params = buildParams(model, prompt, request, adapted, sent);
                ChatCompletion completion;
                try {
                    completion = client().chat().completions().create(params);
                } catch (OpenAIException e) {
                    Optional<Adaptation> fix = e instanceof BadRequestException bad ? adaptationFor(bad, adapted) : Optional.empty();
                    if (fix.isPresent()) {
                        adaptations.computeIfAbsent(model, m -> ConcurrentHashMap.newKeySet()).add(fix.get());
                        LOG.log(System.Logger.Level.INFO, "judge model {0} rejected a parameter; retrying with {1}", model, fix.get());
                    } else {
                        recover(errors.translate(e, model), retries, replies);
                    }
                    continue;
                }

                Optional<VerdictParser.ParsedReply> parsed = replies.read(completion);
                if (parsed.isEmpty()) {
                    continue;
                }
                return new Verdict(request.metric().name(), request.metric().version(), parsed.get().score(), request.metric().minScore(),
                        request.metric().maxScore(), Secrets.redact(parsed.get().justification()), null, model, sent, null, false, null,
                        Duration.between(start, Instant.now()), replies.spent());
            }
        } catch (JudgeException e) {
            // Replies received before the error (e.g. invalid ones) were paid for all the same.
            throw e.withSpent(replies.spent());
        }
    }

    /**
     * Waits to retry a passing fault, or counts a reply that is not a chat completion.
     *
     * @throws JudgeException when the failure is final, or when no retry or reply is left
     */
    private static void recover(OpenAiErrors.Failure failure, RetryPolicy.Retries retries, ReplyReader replies) {
        if (failure instanceof OpenAiErrors.Transient fault) {
            retries.waitToRetry(fault.retryAfter(), fault.giveUp());
        } else if (failure instanceof OpenAiErrors.NotAChatCompletion unreadable) {
            replies.reject(unreadable.problem(), unreadable.cause());
        } else {
            throw ((OpenAiErrors.Final) failure).error();
        }
    }

    private ChatCompletionCreateParams buildParams(String model, JudgePrompt prompt, JudgeRequest request, Set<Adaptation> adapted,
            Map<String, Object> sent) {
        ChatCompletionCreateParams.Builder b = ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage(prompt.system())
                .addUserMessage(prompt.user());
        if (!adapted.contains(Adaptation.NO_TEMPERATURE)) {
            b.temperature(settings.temperature());
            sent.put("temperature", settings.temperature());
        }
        if (!adapted.contains(Adaptation.NO_SEED)) {
            b.seed(settings.seed());
            sent.put("seed", settings.seed());
        }
        if (adapted.contains(Adaptation.MAX_COMPLETION_TOKENS)) {
            b.maxCompletionTokens(settings.maxTokens());
            sent.put("max_completion_tokens", settings.maxTokens());
        } else {
            b.maxTokens(settings.maxTokens());
            sent.put("max_tokens", settings.maxTokens());
        }
        if (!adapted.contains(Adaptation.NO_RESPONSE_FORMAT)) {
            b.responseFormat(responseFormat(request));
            sent.put("response_format", "json_schema");
        }
        return b.build();
    }

    private static ResponseFormatJsonSchema responseFormat(JudgeRequest request) {
        Map<String, Object> score = new LinkedHashMap<>();
        score.put("type", "integer");
        score.put("minimum", request.metric().minScore());
        score.put("maximum", request.metric().maxScore());
        score.put("description", "The score, an integer from " + request.metric().minScore() + " to " + request.metric().maxScore());
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

    static Optional<Adaptation> adaptationFor(OpenAIServiceException e, Set<Adaptation> already) {
        String text = (e.param().orElse("") + " " + e.getMessage() + " " + e.body()).toLowerCase(Locale.ROOT);
        if (text.contains("max_tokens") && !already.contains(Adaptation.MAX_COMPLETION_TOKENS)) {
            return Optional.of(Adaptation.MAX_COMPLETION_TOKENS);
        }
        if (text.contains("temperature") && !already.contains(Adaptation.NO_TEMPERATURE)) {
            return Optional.of(Adaptation.NO_TEMPERATURE);
        }
        if (text.contains("seed") && !already.contains(Adaptation.NO_SEED)) {
            return Optional.of(Adaptation.NO_SEED);
        }
        if ((text.contains("response_format") || text.contains("json_schema")) && !already.contains(Adaptation.NO_RESPONSE_FORMAT)) {
            return Optional.of(Adaptation.NO_RESPONSE_FORMAT);
        }
        return Optional.empty();
    }

    private OpenAIClient client() {
        OpenAIClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    c = client = createClient();
                }
            }
        }
        return c;
    }

    private OpenAIClient createClient() {
        OpenAIOkHttpClient.Builder builder;
        try {
            builder = OpenAIOkHttpClient.builder().fromEnv();
        } catch (RuntimeException e) {
            throw OpenAiErrors.notConfigurable(e);
        }
        settings.baseUrlOverride().ifPresent(builder::baseUrl);
        settings.apiKeyOverride().ifPresent(builder::apiKey);
        builder.maxRetries(0).timeout(settings.timeout());
        try {
            return builder.build();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw OpenAiErrors.noApiKey(e);
        }
    }

    @Override
    public void close() {
        OpenAIClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
