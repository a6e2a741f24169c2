package dev.llmjudge.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the verdict cache is used ({@code llmjudge.cache.mode}). */
public enum CacheMode {
    /** Use a recorded verdict when there is one; otherwise judge and record. The default. */
    AUTO,
    /** Use recorded verdicts only: a missing verdict errors the test. For CI without a key. */
    REPLAY,
    /** Judge every case again and overwrite the recorded verdicts. */
    REFRESH,
    /** Neither read nor write the cache: judge every time. */
    OFF;

    /** The value as written in configuration, e.g. {@code replay}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configured value (case-insensitive). */
    public static CacheMode parse(String value) {
        for (CacheMode mode : values()) {
            if (mode.value().equalsIgnoreCase(value.strip())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("one of " + Arrays.stream(values()).map(CacheMode::value).collect(Collectors.joining(", ")));
    }
}
