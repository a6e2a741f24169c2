package dev.llmjudge.judge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmjudge.judge.JudgeException.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
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
    private static final String NOT_AN_API = "OPENAI_BASE_URL must point at an OpenAI-compatible API (usually ending in /v1),"
            + " not at a web page or a sign-in proxy.";

    /** Parameters a model may reject; each is adapted once and remembered per model. */
    enum Adaptation {
        NO_TEMPERATURE, NO_SEED, MAX_COMPLETION_TOKENS, NO_RESPONSE_FORMAT
    }

    private final JudgeSettings settings;
    /** The sampling parameters every request intends, in the fingerprint; made once, since a replayed check only needs them for its key. */
    private final Map<String, Object> intended;
    private final Map<String, Set<Adaptation>> adaptations = new ConcurrentHashMap<>();
    private final RetryPolicy retryPolicy;
    private volatile OpenAIClient client;

    public OpenAiJudge(JudgeSettings settings) {
        this.settings = settings;
        this.retryPolicy = new RetryPolicy(settings.maxAttempts(), settings.retryBudget(), settings.initialBackoff(), settings.maxBackoff());
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
                } catch (BadRequestException e) {
                    Optional<Adaptation> fix = adaptationFor(e, adapted);
                    if (fix.isPresent()) {
                        adaptations.computeIfAbsent(model, m -> ConcurrentHashMap.newKeySet()).add(fix.get());
                        LOG.log(System.Logger.Level.INFO, "judge model {0} rejected a parameter; retrying with {1}", model, fix.get());
                        continue;
                    }
                    throw new JudgeException(Reason.BAD_REQUEST, "the judge endpoint " + endpoint() + " rejected the request for model '"
                            + model + "' (HTTP 400: " + serverMessage(e) + "). Check llmjudge.judge.model and the server's supported parameters.", e);
                } catch (UnauthorizedException e) {
                    throw new JudgeException(Reason.AUTHENTICATION, "the judge endpoint " + endpoint()
                            + " rejected the API key (HTTP 401): check OPENAI_API_KEY (for Azure OpenAI, the key of that resource).", e);
                } catch (PermissionDeniedException e) {
                    throw new JudgeException(Reason.AUTHENTICATION, "the judge endpoint " + endpoint() + " denied access to model '" + model
                            + "' (HTTP 403): check that the API key's project may use this model, or choose another with llmjudge.judge.model.", e);
                } catch (NotFoundException e) {
                    throw new JudgeException(Reason.NOT_FOUND, "the judge endpoint " + endpoint() + " answered HTTP 404 for model '" + model
                            + "': check llmjudge.judge.model (the model or deployment name) and OPENAI_BASE_URL (it usually ends in /v1).", e);
                } catch (OpenAIServiceException e) {
                    int status = e.statusCode();
                    if (status == 429 && String.valueOf(e.body()).contains("insufficient_quota")) {
                        // Retrying cannot help: the account is out of credit, not momentarily busy.
                        throw new JudgeException(Reason.RATE_LIMITED, "the judge endpoint " + endpoint() + " refused the request: the account"
                                + " behind the API key has no quota left (HTTP 429 insufficient_quota). Check the plan and billing of that"
                                + " account, or use another OPENAI_API_KEY.", e);
                    }
                    boolean retryable = status == 408 || status == 409 || status == 429 || status >= 500;
                    Reason reason = status == 429 ? Reason.RATE_LIMITED : status >= 500 ? Reason.SERVER_ERROR : Reason.BAD_REQUEST;
                    if (!retryable) {
                        throw new JudgeException(reason, "the judge endpoint " + endpoint() + " answered HTTP " + status + " for model '" + model
                                + "' (" + serverMessage(e) + "). Check llmjudge.judge.model and OPENAI_BASE_URL." + notJsonHint(e), e);
                    }
                    String what = status == 429 ? "kept rate limiting (HTTP 429)" : "kept failing (last: HTTP " + status + ")";
                    retries.waitToRetry(retryAfter(e), (attempts, elapsed) -> new JudgeException(reason, "the judge endpoint " + endpoint()
                            + " " + what + " after " + attempts + " attempts in " + seconds(elapsed) + ": try again later, lower the request rate,"
                            + " or raise llmjudge.judge.max-attempts / llmjudge.judge.retry-budget." + notJsonHint(e), e));
                    continue;
                } catch (OpenAIIoException | OpenAIInvalidDataException e) {
                    // The SDK reports a connection lost while reading the body as invalid data: that is a network fault.
                    if (e instanceof OpenAIInvalidDataException && !causedByIo(e)) {
                        replies.reject(new ReplyReader.Problem("the reply is not a chat completion (" + rootMessage(e) + ")", NOT_AN_API), e);
                        continue;
                    }
                    retries.waitToRetry(Optional.empty(), (attempts, elapsed) -> new JudgeException(Reason.NETWORK, "could not get a reply"
                            + " from the judge endpoint " + endpoint() + " after " + attempts + " attempts (" + networkProblem(e) + "): check"
                            + " OPENAI_BASE_URL, that the server is running, and llmjudge.judge.timeout.", e));
                    continue;
                } catch (OpenAIException e) {
                    throw new JudgeException(Reason.NETWORK, "the judge call to " + endpoint() + " failed: " + rootMessage(e), e);
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

    /** A hint when an error reply was not the endpoint's JSON but, say, a proxy's HTML page. */
    private static String notJsonHint(OpenAIServiceException e) {
        String type = e.headers().values("content-type").stream().findFirst().orElse("");
        if (type.toLowerCase(Locale.ROOT).contains("json")) {
            return "";
        }
        return " The reply was not JSON (" + (type.isBlank() ? "no Content-Type" : "Content-Type " + type) + "), so a proxy or"
                + " gateway answered rather than the judge: check OPENAI_BASE_URL and any HTTP proxy in between.";
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

    /** The delay the server asked for in an error reply's {@code retry-after-ms} or {@code Retry-After} header. */
    private static Optional<Duration> retryAfter(OpenAIServiceException e) {
        return RetryPolicy.retryAfter(e.headers().values("retry-after-ms").stream().findFirst(),
                e.headers().values("retry-after").stream().findFirst(), Instant.now());
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
            throw new JudgeException(Reason.NOT_CONFIGURED, "the judge client cannot be configured from the environment ("
                    + rootMessage(e) + "): check that OPENAI_BASE_URL, if set, is a full URL such as http://127.0.0.1:11434/v1.", e);
        }
        settings.baseUrlOverride().ifPresent(builder::baseUrl);
        settings.apiKeyOverride().ifPresent(builder::apiKey);
        builder.maxRetries(0).timeout(settings.timeout());
        try {
            return builder.build();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new JudgeException(Reason.NOT_CONFIGURED, "no API key for the judge (the OpenAI client says: " + Secrets.redact(e.getMessage())
                    + "): set OPENAI_API_KEY (any non-empty value for a local server such as Ollama) and, for a server other than"
                    + " OpenAI, OPENAI_BASE_URL; or run with llmjudge.cache.mode=replay and recorded verdicts.");
        }
    }

    /** The endpoint, without credentials, query or fragment, for messages. */
    String endpoint() {
        String url = settings.baseUrlOverride().orElseGet(() -> firstNonBlank(System.getProperty("openai.baseUrl"), System.getenv("OPENAI_BASE_URL"),
                "https://api.openai.com/v1"));
        try {
            URI uri = URI.create(url);
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (Exception e) {
            return "(the configured base URL)";
        }
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return "";
    }

    private static String serverMessage(OpenAIServiceException e) {
        String body = String.valueOf(e.body());
        String message = body.length() > 300 ? body.substring(0, 300) + "..." : body;
        return Secrets.redact(message.replaceAll("\\s+", " "));
    }

    /**
     * What went wrong on the wire. A timeout says so (OkHttp's own root cause is then a misleading
     * "Socket closed"), and so does a connection closed before the status line and headers came
     * (its root cause is an {@link EOFException} that quotes the empty buffer).
     */
    private String networkProblem(Throwable e) {
        boolean closed = false;
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof InterruptedIOException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("timeout")
                    || t instanceof SocketTimeoutException) {
                return "the last attempt timed out after " + seconds(settings.timeout());
            }
            closed |= t instanceof EOFException;
        }
        return closed ? "the server closed the connection before replying" : rootMessage(e);
    }

    private static boolean causedByIo(Throwable e) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof IOException && !(t instanceof JsonProcessingException)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The innermost cause, as "Class: message". A JSON parser's message is given without the
     * source location Jackson appends ("[Source: REDACTED ...; line: 1, column: 1]"): it reads
     * as if a secret had been removed, and its line and column are those of the reply, not of a file.
     */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String text = t instanceof JsonProcessingException json ? json.getOriginalMessage() : t.getMessage();
        String message = text == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + text;
        return Secrets.redact(message);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    @Override
    public void close() {
        OpenAIClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
