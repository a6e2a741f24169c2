package dev.llmjudge.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Batch judging, {@code llmjudge.batch.*}: where {@link CacheMode#COLLECT} writes the requests it
 * collects and the batch command keeps its state and results, how often the command asks for the
 * status, and the provider's limits a batch is split by.
 *
 * <pre>{@code
 * BatchConfig batch = LlmJudgeConfig.fromEnvironment().batch();
 * batch.dir();          // target/llm-judge/batch unless configured
 * batch.pollInterval(); // 30s unless configured
 * }</pre>
 *
 * @param dir the directory of collected requests, the command's state and its results
 * @param pollInterval the time between two status requests
 * @param maxRequests the most requests in one batch
 * @param maxBytes the largest batch input file, in bytes
 */
public record BatchConfig(Path dir, Duration pollInterval, int maxRequests, int maxBytes) {
}
