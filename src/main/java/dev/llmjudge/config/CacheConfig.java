package dev.llmjudge.config;

import java.nio.file.Path;

/**
 * The verdict cache, {@code llmjudge.cache.*}: its directory and its mode, never {@link CacheMode#DEFAULT}.
 *
 * <pre>{@code
 * CacheConfig cache = LlmJudgeConfig.fromEnvironment().cache();
 * cache.dir();    // src/test/llm-judge unless configured
 * cache.mode();   // CacheMode.AUTO unless configured
 * }</pre>
 */
public record CacheConfig(Path dir, CacheMode mode) {
}
