package dev.llmjudge.internal.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.ObjectMappers;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.completions.CompletionUsage;
import com.openai.errors.OpenAIException;
import dev.llmjudge.config.JudgeConfig;
import dev.llmjudge.internal.Closing;
import dev.llmjudge.internal.HttpUrls;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.cache.BatchCollector;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import java.io.IOException;
import java.time.Duration;
import kotlin.jvm.JvmClassMappingKt;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * The judge that asks a chat model through the openai-java SDK (OpenAI, Azure OpenAI or any
 * OpenAI-compatible server, by base URL), in a loop over the request's parameters
 * ({@link ModelParameters}), the retries ({@link RetryPolicy}, the SDK's own are off so that the
 * two never multiply), the translation of SDK exceptions ({@link OpenAiErrors}) and the reading of
 * replies ({@link ReplyReader}). The client is created on the first verdict actually judged.
 * A fingerprint whose parameters hold {@code n} asks for that many choices in one request, and its
 * {@code seed} is the one sent: each valid choice is a sample of the verdict. One whose parameters
 * hold {@code logprobs=true} and {@code top_logprobs} asks for them, and each sample is scored by the
 * distribution of the levels at its score's token ({@link ScoreProbabilities}).
 *
 * <p>Before each attempt it sends (the first, a retry, a second ask after an invalid reply, the request again with a
 * parameter the model rejected adapted) it consults the run's {@link Closing}: once closing has begun, the call ends with
 * an error instead, keeping what its earlier replies were billed, and a retry's backoff ends as soon as closing begins.
 *
 * <p>{@link #warmUp} starts, in the background, what the first call needs and a cold JVM takes
 * long to load: the client (OkHttp, Kotlin), the SDK's preparing of a request (its Kotlin
 * reflection over the parameters' class, Jackson's data binding of the request), and the reading
 * of a reply (the SDK's data binding of a chat completion, then the verdict in it). It sends nothing. The first calls
 * wait for it rather than each do the same work at once.
 */
public final class OpenAiJudge implements Judge, AutoCloseable {
    /** How long a call waits for the warm-up to prepare a request: far more than it takes, even on a loaded machine. */
    private static final Duration WARM_UP_WAIT = Duration.ofSeconds(30);
    private final JudgeConfig settings;
    private final Optional<String> apiKey;
    private final ModelParameters parameters;
    private final RetryPolicy retryPolicy;
    private final OpenAiErrors errors;
    /** Consulted before each attempt: once begun, nothing more is sent. */
    private final Closing closing;
    /** The instructions of each metric judged: the same for every case, so rendered once per metric, not per check. */
    private final Map<Metric, String> instructions = new ConcurrentHashMap<>();
    private volatile OpenAIClient client;
    private final AtomicBoolean warmUpStarted = new AtomicBoolean();
    private final Runnable beforeWarmUp;
    /** Done once the warm-up has prepared a request, or failed to. */
    private final CompletableFuture<Void> requestWarmedUp = new CompletableFuture<>();

    /**
     * {@code apiKey}: a key given in code (never written anywhere), or {@code null} for the SDK's {@code OPENAI_API_KEY}. Its
     * closing begins when it is closed.
     */
    public OpenAiJudge(JudgeConfig settings, String apiKey) {
        this(settings, apiKey, new Closing());
    }

    /** {@code closing}: the closing of the run's judge this judge is part of, which it consults before each attempt. */
    public OpenAiJudge(JudgeConfig settings, String apiKey, Closing closing) {
        this(settings, apiKey, closing, () -> { });
    }

    /** {@code beforeWarmUp} runs on the warm-up's thread before it prepares a request, for tests that hold the warm-up back. */
    OpenAiJudge(JudgeConfig settings, String apiKey, Runnable beforeWarmUp) {
        this(settings, apiKey, new Closing(), beforeWarmUp);
    }

    private OpenAiJudge(JudgeConfig settings, String apiKey, Closing closing, Runnable beforeWarmUp) {
        this.closing = Objects.requireNonNull(closing, "closing");
        this.beforeWarmUp = Objects.requireNonNull(beforeWarmUp, "beforeWarmUp");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.apiKey = Optional.ofNullable(apiKey);
        this.parameters = new ModelParameters(settings.temperature(), settings.seed(), settings.maxTokens());
        this.retryPolicy = new RetryPolicy(settings.maxAttempts(), settings.retryBudget(), settings.initialBackoff(), settings.maxBackoff());
        this.errors = new OpenAiErrors(settings.baseUrl(), settings.timeout());
        this.apiKey.ifPresent(Secrets::register);
    }

    /** Whether the SDK client has been created (it is, only when a verdict is judged). */
    public boolean clientCreated() {
        return client != null;
    }

    /**
     * Starts loading, on two daemon threads, what the first call for {@code request} will need: on one the client, then
     * the reading of a reply; on the other the preparing of a request like its own, which the first calls wait for. Once
     * per judge; nothing is sent, and a failure is left for the call itself to report.
     */
    public void warmUp(JudgeRequest request) {
        if (!warmUpStarted.compareAndSet(false, true)) {
            return;
        }
        Metric metric = request.metric();
        String model = metric.model().orElse(settings.model());
        background("llm-judge-warm-up-client", () -> {
            client();
            return loadReply(model, metric, settings.maxTokens());
        }, new CompletableFuture<>());
        background("llm-judge-warm-up-request", () -> {
            beforeWarmUp.run();
            return loadRequest(parameters, model, instructions.computeIfAbsent(metric, PromptRenderer::instructions), metric);
        }, requestWarmedUp);
    }

    /**
     * Waits, at most {@link #WARM_UP_WAIT}, for the warm-up to have prepared a request. The SDK's first request in a JVM
     * introspects its classes (Kotlin reflection, Jackson's serializers) and neither caches what a thread is still building:
     * calls that start together would each do all of it, several times the CPU of the warm-up on a machine of few cores.
     */
    private void awaitWarmUp() {
        try {
            requestWarmedUp.get(WARM_UP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The call goes ahead: warming up only saves it time.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the warm-up has prepared a request (or failed to): from then on, calls go without waiting. */
    boolean requestWarmedUp() {
        return requestWarmedUp.isDone();
    }

    /**
     * Builds a request of {@code metric} and does to it what the SDK does before sending it: it looks the model up among
     * the parameters' functions by Kotlin reflection, whose first use loads a thousand classes, then serialises the body.
     */
    private static Void loadRequest(ModelParameters parameters, String model, String instructions, Metric metric) throws IOException {
        ModelParameters.Request attempt = parameters.request(model, new JudgePrompt(instructions, ""), metric);
        JvmClassMappingKt.getKotlinClass(attempt.params().getClass()).getMembers().stream()
                .filter(f -> f.getName().equals("model")).findFirst().ifPresent(f -> f.call(attempt.params()));
        // Typed as the SDK returns it: a local of a supertype would make the verifier load data binding with this class, in a replaying JVM too.
        JsonMapper json = ObjectMappers.jsonMapper();
        json.writeValueAsBytes(attempt.params()._body());
        return null;
    }

    /** Does to a reply what the SDK does (its data binding of a chat completion), then reads the verdict in it as a model's would be. */
    private static Void loadReply(String model, Metric metric, int maxTokens) throws IOException {
        JsonMapper json = ObjectMappers.jsonMapper();
        String verdict = json.createObjectNode().put("justification", "warm-up").put("score", metric.maxScore()).toString();
        ChatCompletion reply = ChatCompletion.builder().id("warm-up").created(0).model(model)
                .choices(List.of(ChatCompletion.Choice.builder().index(0).finishReason(ChatCompletion.Choice.FinishReason.STOP)
                        .logprobs(Optional.empty())
                        .message(ChatCompletionMessage.builder().content(verdict).refusal(Optional.empty()).build()).build()))
                .usage(CompletionUsage.builder().promptTokens(1).completionTokens(1).totalTokens(2).build())
                .build();
        new ReplyReader(model, metric, maxTokens).read(json.readValue(json.writeValueAsBytes(reply), ChatCompletion.class));
        return null;
    }

    /** Whether {@link #warmUp} was called: only in a run that needs a judge call. */
    public boolean warmUpStarted() {
        return warmUpStarted.get();
    }

    /** Runs {@code work} on a daemon thread named {@code name}, then completes {@code done}, whatever happened. */
    private static void background(String name, Callable<?> work, CompletableFuture<Void> done) {
        Thread thread = new Thread(() -> {
            try {
                work.call();
            } catch (Exception | LinkageError e) {
                // The call itself fails with the reason and the fix; warming up only saves it time.
            } finally {
                done.complete(null);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        return new JudgeFingerprint(request.metric().model().orElse(settings.model()), parameters.intended(),
                PromptRenderer.render(request.metric(), request.evaluationCase(),
                        instructions.computeIfAbsent(request.metric(), PromptRenderer::instructions)).messages());
    }

    /** Sends the fingerprint's messages (the instructions, then the case) to its model, asking for its {@code n} choices. */
    @Override
    public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
        Metric metric = request.metric();
        String model = fingerprint.model();
        int choices = choices(fingerprint);
        long seed = seed(fingerprint);
        int topLogprobs = topLogprobs(fingerprint);
        JudgePrompt prompt = prompt(fingerprint);
        if (closing.begun()) {
            // Not even a client is created for a call that could send nothing.
            throw closedBefore(1, null);
        }
        // Create the client and let the warm-up prepare a first request (once per judge, and slow on a cold JVM) before the
        // clock starts, so that latency is the judge's own.
        warmUp(request);
        OpenAIClient client = client();
        awaitWarmUp();
        Instant start = Instant.now();
        RetryPolicy.Retries retries = retryPolicy.start(closing);
        ReplyReader replies = new ReplyReader(model, metric, settings.maxTokens(), topLogprobs > 0);
        try {
            // What the next attempt is, once one was sent: for the error when closing keeps it from being sent.
            String next = null;
            for (int attempts = 1; ; attempts++) {
                if (closing.begun()) {
                    throw closedBefore(attempts, next);
                }
                ModelParameters.Request attempt = parameters.request(model, prompt, metric, choices, seed, topLogprobs);
                List<Sampling.Sample> parsed;
                try {
                    // A body the SDK cannot parse as a chat completion fails here; one that parses but holds none, in read.
                    parsed = replies.read(client.chat().completions().create(attempt.params()), choices);
                } catch (OpenAIException e) {
                    if (parameters.adaptTo(e, attempt)) {
                        next = "the request again with the parameter the model rejected (" + errors.problem(e) + ") adapted";
                    } else {
                        OpenAiErrors.Failure failure = errors.translate(e, model, topLogprobs > 0);
                        recover(failure, retries, replies);
                        next = failure instanceof OpenAiErrors.Transient ? "the retry after " + errors.problem(e)
                                : "the second ask after a reply that is not a chat completion";
                    }
                    continue;
                }
                if (!parsed.isEmpty()) {
                    return verdict(metric, model, attempt.sent(), parsed, Duration.between(start, Instant.now()), replies.spent());
                }
                next = "the second ask after a reply without a valid verdict";
            }
        } catch (JudgeException e) {
            // Replies received before the error (e.g. invalid ones) were paid for all the same.
            throw e.withSpent(replies.spent());
        }
    }

    /**
     * The batch request of the fingerprint: the body {@link #judge} would send first (serialised by the SDK's own JSON
     * mapper), the model, the parameters a verdict records, and how its reply is read. No client is created.
     */
    public BatchCollector.Entry batchEntry(JudgeRequest request, JudgeFingerprint fingerprint) {
        int choices = choices(fingerprint);
        int topLogprobs = topLogprobs(fingerprint);
        ModelParameters.Request first = parameters.request(fingerprint.model(), prompt(fingerprint), request.metric(), choices, seed(fingerprint),
                topLogprobs);
        try {
            return new BatchCollector.Entry(ObjectMappers.jsonMapper().writeValueAsString(first.params()._body()), fingerprint.model(),
                    first.sent(), choices, topLogprobs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the request body", e);
        }
    }

    private static int choices(JudgeFingerprint fingerprint) {
        return fingerprint.parameters().get("n") instanceof Number n ? n.intValue() : 1;
    }

    private long seed(JudgeFingerprint fingerprint) {
        return fingerprint.parameters().get("seed") instanceof Number s ? s.longValue() : settings.seed();
    }

    private static int topLogprobs(JudgeFingerprint fingerprint) {
        return Boolean.TRUE.equals(fingerprint.parameters().get("logprobs"))
                && fingerprint.parameters().get("top_logprobs") instanceof Number top ? top.intValue() : 0;
    }

    private static JudgePrompt prompt(JudgeFingerprint fingerprint) {
        List<String> messages = fingerprint.messages();
        return new JudgePrompt(messages.get(0), messages.get(1));
    }

    /** The verdict of the valid choices of one reply: each a sample, the score their median. */
    static Verdict verdict(Metric metric, String model, Map<String, Object> sent, List<Sampling.Sample> parsed,
            Duration latency, TokenUsage usage) {
        List<Sampling.Sample> samples = parsed.stream().map(p -> p.withJustification(Secrets.redact(p.justification()))).toList();
        Sampling sampling = new Sampling(samples.size(), samples.size() == 1 ? Sampling.Drawn.SINGLE : Sampling.Drawn.N, false, samples);
        return new Verdict(metric.name(), metric.version(), sampling.median(), metric.minScore(), metric.maxScore(),
                sampling.medianSample().justification(), model, sent, null, false, null, latency, usage, sampling);
    }

    /**
     * The error of a call that closing kept from sending attempt number {@code attempt}, {@code next} (none for the first):
     * not sent, so not billed.
     */
    private static JudgeException closedBefore(int attempt, String next) {
        if (next == null) {
            return new JudgeException(JudgeException.Reason.NETWORK, "the run's judge was closed before this judge call was sent:"
                    + " nothing was sent, so nothing was billed, and no verdict was recorded.");
        }
        return new JudgeException(JudgeException.Reason.NETWORK, "the run's judge was closed before attempt " + attempt + " of this"
                + " judge call (" + next + ") was sent: it was not sent, so not billed, and no verdict was recorded; the replies"
                + " received before are counted.");
    }

    /** Waits to retry a passing fault, or counts a reply that is no chat completion, its usage unknown; throws when nothing is left. */
    private static void recover(OpenAiErrors.Failure failure, RetryPolicy.Retries retries, ReplyReader replies) {
        if (failure instanceof OpenAiErrors.Transient fault) {
            retries.waitToRetry(fault.retryAfter(), fault.giveUp());
        } else if (failure instanceof OpenAiErrors.NotAChatCompletion reply) {
            replies.unreadable(reply.problem(), reply.cause());
        } else {
            throw ((OpenAiErrors.Final) failure).error();
        }
    }

    private synchronized OpenAIClient client() {
        if (client == null) {
            client = createClient(settings, apiKey);
        }
        return client;
    }

    /**
     * A client configured the SDK's way, then by {@code settings}, with the SDK's own retries off: {@link RetryPolicy} retries
     * each call, of the judge and of the batch API, so that the two never multiply. An endpoint in the environment that is no
     * http or https URL is refused first ({@link #checkEnvironmentBaseUrl}); only a missing credential is a missing API key.
     */
    static OpenAIClient createClient(JudgeConfig settings, Optional<String> apiKey) {
        checkEnvironmentBaseUrl(System::getProperty, System::getenv);
        OpenAIOkHttpClient.Builder builder;
        try {
            builder = OpenAIOkHttpClient.builder().fromEnv();
        } catch (RuntimeException e) {
            throw OpenAiErrors.notConfigurable(e);
        }
        settings.baseUrl().ifPresent(builder::baseUrl);
        apiKey.ifPresent(builder::apiKey);
        // An admin key is for the organisation's admin endpoints, never for chat calls or batches: with it alone the SDK would
        // build a client whose every call fails, so without an API key the key is missing all the same.
        builder.adminApiKey(Optional.empty());
        builder.maxRetries(0).timeout(settings.timeout());
        try {
            return builder.build();
        } catch (IllegalStateException e) {
            // The SDK's check of its required settings, of which only the credential (an API key) is not always set here.
            throw OpenAiErrors.noApiKey(e, adminKeySetBy(System::getProperty, System::getenv));
        } catch (RuntimeException e) {
            throw OpenAiErrors.notBuildable(e);
        }
    }

    /** Where the SDK would read an admin key from ({@code -Dopenai.adminKey}, else {@code OPENAI_ADMIN_KEY}), when one is set. */
    static Optional<String> adminKeySetBy(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        if (properties.apply("openai.adminKey") != null) {
            return Optional.of("-Dopenai.adminKey");
        }
        return environment.apply("OPENAI_ADMIN_KEY") != null ? Optional.of("OPENAI_ADMIN_KEY") : Optional.empty();
    }

    /**
     * Refuses the endpoint the SDK reads from {@code -Dopenai.baseUrl}, else {@code OPENAI_BASE_URL}, when it is set and is
     * no http or https URL with a host: the SDK takes any text, and fails on it with "host must not be null" or only at the
     * first request. It reads the variable even when {@code llmjudge.judge.base-url} is set, so it is checked then too.
     */
    static void checkEnvironmentBaseUrl(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String property = properties.apply("openai.baseUrl");
        String url = property != null ? property : environment.apply("OPENAI_BASE_URL");
        if (url != null && !HttpUrls.isHttpUrl(url)) {
            throw OpenAiErrors.badBaseUrl(property != null ? "-Dopenai.baseUrl" : "OPENAI_BASE_URL", url);
        }
    }

    /**
     * Begins closing, if the run's judge has not (no call sends another attempt), then closes the client. Close it once the
     * calls sent with it have finished: judging ahead waits for them before the runtime closes this judge.
     */
    @Override
    public void close() {
        closing.begin();
        OpenAIClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
