package dev.llmjudge.config;

import java.nio.file.Path;

/**
 * The verdict cache, {@code llmjudge.cache.*}: its directory, its mode (never {@link CacheMode#DEFAULT})
 * and what a run does with the verdicts no check read.
 *
 * <pre>{@code
 * CacheConfig cache = LlmJudgeConfig.fromEnvironment().cache();
 * cache.dir();    // src/test/llm-judge unless configured
 * cache.mode();   // CacheMode.AUTO unless configured
 * cache.unused(); // UnusedVerdicts.REPORT unless configured
 * }</pre>
 */
public record CacheConfig(Path dir, CacheMode mode, UnusedVerdicts unused) {
}
