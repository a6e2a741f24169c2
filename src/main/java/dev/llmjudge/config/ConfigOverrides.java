package dev.llmjudge.config;

import dev.llmjudge.internal.Arguments;
import dev.llmjudge.internal.Secrets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings in code: typed values that win over the configured ones, each checked when it is set.
 *
 * <pre>{@code
 * ConfigOverrides replay = ConfigOverrides.builder()
 *     .model("gpt-4.1-mini")
 *     .cacheMode(CacheMode.REPLAY)
 *     .set("llmjudge.judge.timeout", "30s")
 *     .build();
 * LlmJudgeConfig config = LlmJudgeConfig.fromEnvironment().with(replay);
 * }</pre>
 */
public final class ConfigOverrides {
    private static final ConfigOverrides NONE = new ConfigOverrides(Map.of());

    private final Map<String, Object> values;

    private ConfigOverrides(Map<String, Object> values) {
        this.values = Map.copyOf(values);
    }

    /** No settings. */
    public static ConfigOverrides none() {
        return NONE;
    }

    /** Settings given as text, e.g. {@code Map.of("llmjudge.cache.mode", "replay")}; each is read with its key's parser. */
    public static ConfigOverrides of(Map<String, String> settings) {
        Builder builder = builder();
        settings.forEach(builder::set);
        return builder.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The value set for {@code key}, of the type of its table {@code entry}, or {@code null}. */
    @SuppressWarnings("unchecked")
    <T> T get(Key<T> entry, String key) {
        return (T) values.get(key);
    }

    Set<String> keys() {
        return values.keySet();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigOverrides other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "ConfigOverrides" + values;
    }

    /** Builds {@link ConfigOverrides}; a later setting of a key replaces an earlier one. */
    public static final class Builder {
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder() {
        }

        /** The judge model, e.g. {@code "gpt-4.1-mini"} ({@value LlmJudgeConfig#JUDGE_MODEL}). */
        public Builder model(String model) {
            return put(Keys.JUDGE_MODEL, Arguments.requireText(model, "model", "model", "the judge model's name, e.g. \"gpt-4.1-mini\""));
        }

        /** The judge endpoint, an http or https URL such as {@code "http://localhost:11434/v1"} ({@value LlmJudgeConfig#JUDGE_BASE_URL}). */
        public Builder baseUrl(String baseUrl) {
            String url = Arguments.requireText(baseUrl, "baseUrl", "base URL", "the judge endpoint, an http or https URL such as"
                    + " \"http://localhost:11434/v1\"").strip();
            try {
                return put(Keys.JUDGE_BASE_URL, Optional.of(Parsers.BASE_URL.parse(url)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("baseUrl must be " + e.getMessage() + ", got '" + Secrets.redactSetting(url) + "'");
            }
        }

        /** The directory of recorded verdicts ({@value LlmJudgeConfig#CACHE_DIR}). */
        public Builder cacheDirectory(Path directory) {
            return put(Keys.CACHE_DIR, Arguments.requireArgument(directory, "cacheDirectory(null)", "directory",
                    "the directory of recorded verdicts, e.g. Path.of(\"src/test/llm-judge\")"));
        }

        /** How the verdict cache is used ({@value LlmJudgeConfig#CACHE_MODE}); {@link CacheMode#DEFAULT} leaves the configured mode. */
        public Builder cacheMode(CacheMode mode) {
            if (Arguments.requireArgument(mode, "cacheMode(null)", "mode", "a CacheMode, e.g. CacheMode.REPLAY, or CacheMode.DEFAULT to"
                    + " leave the configured mode") == CacheMode.DEFAULT) {
                values.remove(Keys.CACHE_MODE.name());
                return this;
            }
            return put(Keys.CACHE_MODE, mode);
        }

        /** Samples per verdict ({@value LlmJudgeConfig#JUDGE_SAMPLES}); {@code 0} leaves the configured count. */
        public Builder samples(int samples) {
            if (samples == 0) {
                values.remove(Keys.JUDGE_SAMPLES.name());
                return this;
            }
            try {
                return put(Keys.JUDGE_SAMPLES, Parsers.SAMPLES.parse(String.valueOf(samples)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("samples must be " + e.getMessage() + ", got " + samples + " (0 leaves the configured count)");
            }
        }

        /** What an unstable check does ({@value LlmJudgeConfig#JUDGE_ON_UNSTABLE}); {@link OnUnstable#DEFAULT} leaves the configured value. */
        public Builder onUnstable(OnUnstable onUnstable) {
            if (Arguments.requireArgument(onUnstable, "onUnstable(null)", "value", "an OnUnstable, e.g. OnUnstable.FAIL, or OnUnstable.DEFAULT"
                    + " to leave the configured value") == OnUnstable.DEFAULT) {
                values.remove(Keys.JUDGE_ON_UNSTABLE.name());
                return this;
            }
            return put(Keys.JUDGE_ON_UNSTABLE, onUnstable);
        }

        /** What a check's score is ({@value LlmJudgeConfig#JUDGE_SCORE_BY}): the integer the judge wrote, or the probability-weighted mean. */
        public Builder scoreBy(ScoreBy scoreBy) {
            return put(Keys.JUDGE_SCORE_BY, Arguments.requireArgument(scoreBy, "scoreBy(null)", "value",
                    "ScoreBy.REPLY or ScoreBy.PROBABILITIES"));
        }

        /** The baseline report to compare scores with ({@value LlmJudgeConfig#REPORT_BASELINE}). */
        public Builder baseline(Path reportJson) {
            return put(Keys.REPORT_BASELINE, Optional.of(Arguments.requireArgument(reportJson, "baseline(null)", "report",
                    "the report.json of the run to compare with, e.g. Path.of(\"baseline/report.json\")")));
        }

        /** Fails a class when one of its cases scores {@code points} or more below the baseline ({@value LlmJudgeConfig#GATE_MAX_DROP}). */
        public Builder maxScoreDrop(int points) {
            if (points < 1) {
                throw new IllegalArgumentException("maxScoreDrop must be at least 1, got " + points);
            }
            return put(Keys.GATE_MAX_DROP, Optional.of(points));
        }

        /** Sets any key, e.g. {@code set("llmjudge.judge.timeout", "30s")}; throws {@link ConfigurationException} for a bad one. */
        public Builder set(String key, String value) {
            Arguments.requireArgument(key, "set(null, value)", "key", "a configuration key, e.g. \"llmjudge.judge.timeout\"");
            Arguments.requireArgument(value, "set(\"" + key + "\", null)", "value", "the key's value as text, as it would be written in"
                    + " junit-platform.properties");
            Key<?> entry = Keys.find(key).orElseThrow(() -> Keys.unknown(key, false));
            values.put(key, entry.parse(key, value));
            return this;
        }

        public ConfigOverrides build() {
            return new ConfigOverrides(values);
        }

        private <T> Builder put(Key<T> entry, T value) {
            values.put(entry.name(), value);
            return this;
        }
    }
}
