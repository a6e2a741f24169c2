package dev.llmjudge.judge;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the OpenAI-compatible judge is called. Built from configuration by the runtime; the
 * defaults are documented on each builder method.
 *
 * <pre>{@code
 * JudgeSettings settings = JudgeSettings.builder()
 *     .model("gpt-4.1")
 *     .baseUrl("http://127.0.0.1:11434/v1")   // Ollama
 *     .build();
 * }</pre>
 *
 * @param model the judge model
 * @param baseUrl overrides {@code OPENAI_BASE_URL}, or {@code null}
 * @param apiKey overrides {@code OPENAI_API_KEY} (programmatic use only; never read from a file), or {@code null}
 * @param temperature sampling temperature
 * @param seed sampling seed
 * @param maxTokens bound on the reply's tokens
 * @param timeout per-request timeout
 * @param maxAttempts attempts per verdict for transient failures (429, 5xx, network)
 * @param retryBudget total time one verdict may spend on retries
 * @param initialBackoff first backoff delay; doubles per attempt, with jitter
 * @param maxBackoff cap of one backoff delay (also caps {@code Retry-After})
 */
public record JudgeSettings(
        String model,
        String baseUrl,
        String apiKey,
        double temperature,
        long seed,
        int maxTokens,
        Duration timeout,
        int maxAttempts,
        Duration retryBudget,
        Duration initialBackoff,
        Duration maxBackoff) {

    /** The default judge model: a current, capable OpenAI chat model that honours temperature and seed. */
    public static final String DEFAULT_MODEL = "gpt-4.1";

    public JudgeSettings {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("judge model is blank: set llmjudge.judge.model, e.g. gpt-4.1");
        }
        if (maxTokens < 16) {
            throw new IllegalArgumentException("max tokens " + maxTokens + " is too small for a justification: use at least 16");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
        }
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retryBudget, "retryBudget");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
    }

    public Optional<String> baseUrlOverride() {
        return Optional.ofNullable(baseUrl);
    }

    public Optional<String> apiKeyOverride() {
        return Optional.ofNullable(apiKey);
    }

    /** The settings with secrets left out, fit for a log line. */
    @Override
    public String toString() {
        return "JudgeSettings[model=" + model + ", baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "from environment" : "[set]")
                + ", temperature=" + temperature + ", seed=" + seed + ", maxTokens=" + maxTokens + ", timeout=" + timeout
                + ", maxAttempts=" + maxAttempts + ", retryBudget=" + retryBudget + "]";
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().model(model).baseUrl(baseUrl).apiKey(apiKey).temperature(temperature).seed(seed)
                .maxTokens(maxTokens).timeout(timeout).maxAttempts(maxAttempts).retryBudget(retryBudget)
                .backoff(initialBackoff, maxBackoff);
    }

    /** Builds {@link JudgeSettings}. */
    public static final class Builder {
        private String model = DEFAULT_MODEL;
        private String baseUrl;
        private String apiKey;
        private double temperature = 0.0;
        private long seed = 42;
        private int maxTokens = 1024;
        private Duration timeout = Duration.ofSeconds(60);
        private int maxAttempts = 4;
        private Duration retryBudget = Duration.ofSeconds(120);
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofSeconds(30);

        private Builder() {
        }

        /** Default {@value JudgeSettings#DEFAULT_MODEL}. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Default: {@code OPENAI_BASE_URL}, else the SDK's (OpenAI). */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** Default: {@code OPENAI_API_KEY} as the SDK reads it. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Default 0. */
        public Builder temperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Default 1024. */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** Default 60 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Default 4. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Default 120 s. */
        public Builder retryBudget(Duration retryBudget) {
            this.retryBudget = retryBudget;
            return this;
        }

        /** Default 1 s doubling, capped at 30 s. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public JudgeSettings build() {
            return new JudgeSettings(model, baseUrl, apiKey, temperature, seed, maxTokens, timeout, maxAttempts,
                    retryBudget, initialBackoff, maxBackoff);
        }
    }
}
