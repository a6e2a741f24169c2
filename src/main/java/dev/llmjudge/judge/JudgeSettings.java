package dev.llmjudge.judge;

import dev.llmjudge.config.JudgeConfig;
import dev.llmjudge.config.LlmJudgeConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the OpenAI-compatible judge is called: the configuration's {@link JudgeConfig judge section}
 * with an API key given in code, if any. The builder starts from the configuration's defaults
 * ({@link LlmJudgeConfig#defaults()}).
 *
 * <pre>{@code
 * JudgeSettings settings = JudgeSettings.builder()
 *     .model("gpt-4.1")
 *     .baseUrl("http://127.0.0.1:11434/v1")   // Ollama
 *     .build();
 * JudgeSettings configured = JudgeSettings.of(LlmJudgeConfig.fromEnvironment().judge(), null);
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

    /** The settings a configuration's judge section stands for, with an API key given in code (or {@code null}: {@code OPENAI_API_KEY}). */
    public static JudgeSettings of(JudgeConfig judge, String apiKey) {
        return new JudgeSettings(judge.model(), judge.baseUrl().orElse(null), apiKey, judge.temperature(), judge.seed(), judge.maxTokens(),
                judge.timeout(), judge.maxAttempts(), judge.retryBudget(), judge.initialBackoff(), judge.maxBackoff());
    }

    /** A builder starting from the configuration's defaults. */
    public static Builder builder() {
        return of(LlmJudgeConfig.defaults().judge(), null).toBuilder();
    }

    public Builder toBuilder() {
        return new Builder().model(model).baseUrl(baseUrl).apiKey(apiKey).temperature(temperature).seed(seed)
                .maxTokens(maxTokens).timeout(timeout).maxAttempts(maxAttempts).retryBudget(retryBudget)
                .backoff(initialBackoff, maxBackoff);
    }

    /** Builds {@link JudgeSettings}; every setting starts at the default of its configuration key. */
    public static final class Builder {
        private String model;
        private String baseUrl;
        private String apiKey;
        private double temperature;
        private long seed;
        private int maxTokens;
        private Duration timeout;
        private int maxAttempts;
        private Duration retryBudget;
        private Duration initialBackoff;
        private Duration maxBackoff;

        private Builder() {
        }

        /** Default: that of {@value LlmJudgeConfig#JUDGE_MODEL}. */
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

        /** Default: that of {@value LlmJudgeConfig#JUDGE_TEMPERATURE}. */
        public Builder temperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Default: that of {@value LlmJudgeConfig#JUDGE_SEED}. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Default: that of {@value LlmJudgeConfig#JUDGE_MAX_TOKENS}. */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** Default: that of {@value LlmJudgeConfig#JUDGE_TIMEOUT}. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Default: that of {@value LlmJudgeConfig#JUDGE_MAX_ATTEMPTS}. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** Default: that of {@value LlmJudgeConfig#JUDGE_RETRY_BUDGET}. */
        public Builder retryBudget(Duration retryBudget) {
            this.retryBudget = retryBudget;
            return this;
        }

        /** Default: those of {@value LlmJudgeConfig#JUDGE_INITIAL_BACKOFF} and {@value LlmJudgeConfig#JUDGE_MAX_BACKOFF}. */
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
