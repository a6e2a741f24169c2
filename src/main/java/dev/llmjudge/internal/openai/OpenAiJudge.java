package dev.llmjudge.internal.openai;

import dev.llmjudge.judge.Verdict;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.internal.Secrets;
import com.openai.client.OpenAIClient;
import dev.llmjudge.config.JudgeConfig;
import java.util.Objects;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIException;
import dev.llmjudge.metric.Metric;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

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
 * <p>A verdict is judged in a short loop over four parts of one job each: the request's
 * parameters and the adaptations each model needs, the retry policy (attempts, backoff,
 * {@code Retry-After}, retry budget), the translation of every SDK exception into a
 * {@link JudgeException} that names the fix, and the reading of the reply (a reply without a
 * verdict is asked for once more).
 *
 * <pre>{@code
 * Judge judge = new OpenAiJudge(LlmJudgeConfig.fromEnvironment().judge(), null);   // the key from OPENAI_API_KEY
 * Verdict v = judge.judge(new JudgeRequest(Metrics.answerSimilarity(),
 *     EvaluationCase.ofAnswer("Paris").withGroundTruth("Paris is the capital of France.")));
 * }</pre>
 */
public final class OpenAiJudge implements Judge, AutoCloseable {
    private final JudgeConfig settings;
    private final Optional<String> apiKey;
    private final ModelParameters parameters;
    private final RetryPolicy retryPolicy;
    private final OpenAiErrors errors;
    private volatile OpenAIClient client;

    /**
     * @param settings the judge's section of the configuration
     * @param apiKey a key given in code (never written anywhere), or {@code null} for {@code OPENAI_API_KEY} as the SDK reads it
     */
    public OpenAiJudge(JudgeConfig settings, String apiKey) {
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

    private String modelFor(JudgeRequest request) {
        return request.metric().model().orElse(settings.model());
    }

    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        return new JudgeFingerprint(modelFor(request), parameters.intended(),
                PromptRenderer.render(request.metric(), request.evaluationCase()).messages());
    }

    /** Sends the fingerprint's messages (the instructions, then the case) to its model. */
    @Override
    public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
        Metric metric = request.metric();
        String model = fingerprint.model();
        JudgePrompt prompt = JudgePrompt.of(fingerprint.messages());
        // Create the client first (once per judge, and slow on a cold JVM) so that latency is the judge's own.
        OpenAIClient client = client();
        Instant start = Instant.now();
        RetryPolicy.Retries retries = retryPolicy.start();
        ReplyReader replies = new ReplyReader(model, metric, settings.maxTokens());
        try {
            while (true) {
                ModelParameters.Request attempt = parameters.request(model, prompt, metric);
                Optional<VerdictParser.ParsedReply> parsed;
                try {
                    // Reading the reply is inside: a body that parses as JSON but is no chat completion fails here.
                    parsed = replies.read(client.chat().completions().create(attempt.params()));
                } catch (OpenAIException e) {
                    if (!parameters.adaptTo(e, attempt)) {
                        recover(errors.translate(e, model), retries, replies);
                    }
                    continue;
                }
                if (parsed.isPresent()) {
                    return new Verdict(metric.name(), metric.version(), parsed.get().score(), metric.minScore(), metric.maxScore(),
                            Secrets.redact(parsed.get().justification()), model, attempt.sent(), null, false, null,
                            Duration.between(start, Instant.now()), replies.spent());
                }
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
        } else if (failure instanceof OpenAiErrors.NotAChatCompletion reply) {
            replies.reject(reply.problem(), reply.cause());
        } else {
            throw ((OpenAiErrors.Final) failure).error();
        }
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
        settings.baseUrl().ifPresent(builder::baseUrl);
        apiKey.ifPresent(builder::apiKey);
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
