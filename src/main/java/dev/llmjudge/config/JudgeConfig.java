package dev.llmjudge.config;

import java.time.Duration;
import java.util.Optional;

/**
 * The judge's section of the configuration, {@code llmjudge.judge.*}: how the judge is called,
 * how often it is retried, and how many calls may run at once.
 *
 * <pre>{@code
 * JudgeConfig judge = LlmJudgeConfig.fromEnvironment().judge();
 * judge.model();            // "gpt-4.1" unless configured
 * judge.maxConcurrency();   // Optional.empty(): no cap
 * }</pre>
 *
 * @param model the judge model (or Azure deployment)
 * @param baseUrl the judge endpoint; empty: {@code OPENAI_BASE_URL}, else OpenAI
 * @param temperature sampling temperature
 * @param seed sampling seed
 * @param maxTokens bound on the judge reply's tokens
 * @param timeout per-request timeout
 * @param maxAttempts attempts per verdict on 429, 5xx and network errors
 * @param retryBudget total time one verdict may spend retrying
 * @param initialBackoff first retry delay; doubles per attempt, with jitter
 * @param maxBackoff cap of one retry delay, a server's {@code Retry-After} included
 * @param maxConcurrency most judge calls in progress at once, per JVM; empty: no cap
 * @param requestsPerMinute most judge calls started in any 60 seconds, per JVM; empty: no cap
 * @param maxInputTokens largest prompt, in tokens
 * @param missingKey what a check that must be judged does without an API key
 */
public record JudgeConfig(String model, Optional<String> baseUrl, double temperature, long seed, int maxTokens, Duration timeout,
        int maxAttempts, Duration retryBudget, Duration initialBackoff, Duration maxBackoff, Optional<Integer> maxConcurrency,
        Optional<Integer> requestsPerMinute, int maxInputTokens, MissingKey missingKey) {
}
