package dev.llmjudge.config;

import java.util.Locale;

/**
 * How the verdict cache is used ({@code llmjudge.cache.mode}).
 *
 * <pre>{@code
 * @LlmJudgeTest(cacheMode = CacheMode.REPLAY)   // this class replays recorded verdicts only
 * class SupportBotReplayTest { ... }
 * }</pre>
 */
public enum CacheMode {
    /** The default of {@code @LlmJudgeTest(cacheMode = ...)}: the configured mode. Never a configured or resolved mode itself. */
    DEFAULT,
    /** Use a recorded verdict when there is one; otherwise judge and record. The default. */
    AUTO,
    /** Use recorded verdicts only: a missing verdict errors the test. For CI without a key. */
    REPLAY,
    /**
     * Judge every case again and overwrite the recorded verdicts, once per run: a later check of the same case in the run
     * takes the verdict the run just recorded.
     */
    REFRESH,
    /** Neither read nor write the cache: judge every time. */
    OFF,
    /**
     * Judge nothing: a check whose verdict is not recorded is written as one request of a batch input file
     * ({@code llmjudge.batch.dir}) and its test is aborted, never passed; recorded verdicts are used as in {@link #AUTO}.
     * The batch is then judged with {@code dev.llmjudge.batch.BatchJudging}.
     */
    COLLECT;

    /** The value as written in configuration, e.g. {@code replay}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configured value (case-insensitive; {@link #DEFAULT} is not one), throwing with what is expected. */
    public static CacheMode parse(String value) {
        return Parsers.CACHE_MODE.parse(value);
    }
}
