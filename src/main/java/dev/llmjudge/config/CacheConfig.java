package dev.llmjudge.config;

import java.nio.file.Path;

/**
 * The verdict cache, {@code llmjudge.cache.*}.
 *
 * <pre>{@code
 * CacheConfig cache = LlmJudgeConfig.fromEnvironment().cache();
 * cache.dir();    // src/test/llm-judge unless configured
 * cache.mode();   // CacheMode.AUTO unless configured
 * }</pre>
 *
 * @param dir the directory of recorded verdicts
 * @param mode how the cache is used; never {@link CacheMode#DEFAULT}
 */
public record CacheConfig(Path dir, CacheMode mode) {
}
