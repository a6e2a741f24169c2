package dev.llmjudge.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The judge's section of the configuration: each component is the {@code llmjudge.judge.*} key of
 * its name ({@code maxTokens}: {@code llmjudge.judge.max-tokens}), as {@link LlmJudgeConfig#keys()}
 * describes it; an empty {@code Optional} is unset.
 *
 * <pre>{@code
 * JudgeConfig judge = LlmJudgeConfig.fromEnvironment().judge();
 * judge.model();            // "gpt-4.1" unless configured
 * judge.maxConcurrency();   // Optional.empty(): no cap
 * }</pre>
 */
public record JudgeConfig(String model, Optional<String> baseUrl, double temperature, long seed, int maxTokens, Duration timeout,
        int maxAttempts, Duration retryBudget, Duration initialBackoff, Duration maxBackoff, Optional<Integer> maxConcurrency,
        Optional<Integer> requestsPerMinute, int maxInputTokens, MissingKey missingKey, int samples, OnUnstable onUnstable,
        ScoreBy scoreBy) {

    public JudgeConfig {
        scoreBy = scoreBy == null ? ScoreBy.REPLY : scoreBy;
    }

    /** The judge section scored by the judge's reply ({@link ScoreBy#REPLY}). */
    public JudgeConfig(String model, Optional<String> baseUrl, double temperature, long seed, int maxTokens, Duration timeout,
            int maxAttempts, Duration retryBudget, Duration initialBackoff, Duration maxBackoff, Optional<Integer> maxConcurrency,
            Optional<Integer> requestsPerMinute, int maxInputTokens, MissingKey missingKey, int samples, OnUnstable onUnstable) {
        this(model, baseUrl, temperature, seed, maxTokens, timeout, maxAttempts, retryBudget, initialBackoff, maxBackoff, maxConcurrency,
                requestsPerMinute, maxInputTokens, missingKey, samples, onUnstable, ScoreBy.REPLY);
    }
}
