package dev.llmjudge.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The run's configuration: one immutable value, resolved once.
 *
 * <p>Each key {@code llmjudge.<area>.<setting>} is looked up, first match wins, in:
 * <ol>
 *   <li>the given parameters: JUnit configuration parameters ({@code -D} system properties,
 *       then {@code junit-platform.properties}) when resolved by the extension; system
 *       properties, then {@code junit-platform.properties} on the class path otherwise;</li>
 *   <li>the environment variable derived from the key: upper case, dots and dashes to
 *       underscores ({@code llmjudge.cache.dir} &rarr; {@code LLMJUDGE_CACHE_DIR});</li>
 *   <li>the default.</li>
 * </ol>
 * An unknown {@code llmjudge.*} key or a malformed value fails fast with a
 * {@link ConfigurationException} naming the key and the value. The API key and base URL are
 * not keys of ours: they come the openai-java way ({@code OPENAI_API_KEY},
 * {@code OPENAI_BASE_URL}).
 *
 * <pre>{@code
 * LlmJudgeConfig config = LlmJudgeConfig.fromEnvironment();
 * config.judgeModel();   // "gpt-4.1" unless configured
 * config.cacheMode();    // CacheMode.AUTO unless configured
 * }</pre>
 */
public final class LlmJudgeConfig {
    /** Prefix shared by every key. */
    public static final String PREFIX = "llmjudge.";

    /** The judge model. Default {@value #DEFAULT_JUDGE_MODEL}. */
    public static final String JUDGE_MODEL = "llmjudge.judge.model";
    /** The judge's base URL, overriding {@code OPENAI_BASE_URL}. Default: unset (the SDK's). */
    public static final String JUDGE_BASE_URL = "llmjudge.judge.base-url";
    /** Sampling temperature. Default 0. */
    public static final String JUDGE_TEMPERATURE = "llmjudge.judge.temperature";
    /** Sampling seed. Default 42. */
    public static final String JUDGE_SEED = "llmjudge.judge.seed";
    /** Bound on the judge reply's tokens. Default 1024. */
    public static final String JUDGE_MAX_TOKENS = "llmjudge.judge.max-tokens";
    /** Per-request timeout, e.g. {@code 60s}. Default 60s. */
    public static final String JUDGE_TIMEOUT = "llmjudge.judge.timeout";
    /** Attempts per verdict for transient failures (429, 5xx, network). Default 4. */
    public static final String JUDGE_MAX_ATTEMPTS = "llmjudge.judge.max-attempts";
    /** Total time one verdict may spend retrying, e.g. {@code 120s}. Default 120s. */
    public static final String JUDGE_RETRY_BUDGET = "llmjudge.judge.retry-budget";
    /** First retry delay, doubled per attempt with jitter, e.g. {@code 1s}. Default 1s. */
    public static final String JUDGE_INITIAL_BACKOFF = "llmjudge.judge.initial-backoff";
    /** Cap of one retry delay, including a server's {@code Retry-After}. Default 30s. */
    public static final String JUDGE_MAX_BACKOFF = "llmjudge.judge.max-backoff";
    /** Most judge calls in progress at once, across every test of the run (per JVM). Default: no cap. */
    public static final String JUDGE_MAX_CONCURRENCY = "llmjudge.judge.max-concurrency";
    /** Most judge calls started in any 60 seconds, across every test of the run (per JVM). Default: no cap. */
    public static final String JUDGE_REQUESTS_PER_MINUTE = "llmjudge.judge.requests-per-minute";
    /** Largest prompt, in tokens, sent to the judge; a larger one errors before any request. Default {@value #DEFAULT_MAX_INPUT_TOKENS}. */
    public static final String JUDGE_MAX_INPUT_TOKENS = "llmjudge.judge.max-input-tokens";
    /** Most judge calls in one run (cached verdicts are free); further checks error. Default: no budget. */
    public static final String BUDGET_MAX_CALLS = "llmjudge.budget.max-calls";
    /** Most tokens (prompt and reply) the judge may use in one run; further checks error. Default: no budget. */
    public static final String BUDGET_MAX_TOKENS = "llmjudge.budget.max-tokens";
    /** Directory of recorded verdicts (commit it). Default {@value #DEFAULT_CACHE_DIR}. */
    public static final String CACHE_DIR = "llmjudge.cache.dir";
    /** {@code auto}, {@code replay}, {@code refresh} or {@code off}. Default {@code auto}. */
    public static final String CACHE_MODE = "llmjudge.cache.mode";
    /** Directory the report is written to. Default {@value #DEFAULT_REPORT_DIR}. */
    public static final String REPORT_DIR = "llmjudge.report.dir";
    /** A previous run's {@code report.json} to compare scores with. Default: unset (no comparison). */
    public static final String REPORT_BASELINE = "llmjudge.report.baseline";
    /** Identifies one run across test JVMs (Surefire forks) so their verdicts end in one report. Default: derived. */
    public static final String REPORT_RUN_ID = "llmjudge.report.run-id";
    /** Fails a test class when one of its cases scores this much or more below the baseline. Default: unset. */
    public static final String GATE_MAX_DROP = "llmjudge.gate.max-drop";
    /**
     * Per-metric gates, {@code llmjudge.gate.<metric>.min-mean} and
     * {@code llmjudge.gate.<metric>.min-pass-rate}; environment variables
     * {@code LLMJUDGE_GATE_<METRIC>_MIN_MEAN} and {@code LLMJUDGE_GATE_<METRIC>_MIN_PASS_RATE}.
     */
    public static final Pattern METRIC_GATE_KEY = Pattern.compile("llmjudge\\.gate\\.([a-z0-9][a-z0-9_]{0,63})\\.(min-mean|min-pass-rate)");
    private static final Pattern METRIC_GATE_ENV = Pattern.compile("LLMJUDGE_GATE_([A-Z0-9][A-Z0-9_]{0,63})_(MIN_MEAN|MIN_PASS_RATE)");
    /** Least time between two progress lines while judging, e.g. {@code 5s}; {@code 0s} turns them off. Default 5s. */
    public static final String PROGRESS_INTERVAL = "llmjudge.progress.interval";

    public static final String DEFAULT_JUDGE_MODEL = "gpt-4.1";
    public static final String DEFAULT_CACHE_DIR = "src/test/llm-judge";
    public static final String DEFAULT_REPORT_DIR = "target/llm-judge";
    public static final String DEFAULT_MAX_INPUT_TOKENS = "100000";

    /** Every key with its default ({@code null}: unset) and what it does, in documentation order. */
    public record Key(String name, String defaultValue, String description) {
        /** The environment variable derived from the key, e.g. {@code LLMJUDGE_CACHE_DIR}. */
        public String environmentVariable() {
            return environmentVariableOf(name);
        }
    }

    private static final List<Key> KEYS = new ArrayList<>(List.of(
            new Key(JUDGE_MODEL, DEFAULT_JUDGE_MODEL, "Judge model (or Azure deployment) name"),
            new Key(JUDGE_BASE_URL, null, "Judge endpoint; overrides OPENAI_BASE_URL"),
            new Key(JUDGE_TEMPERATURE, "0", "Sampling temperature (left out for models that reject it)"),
            new Key(JUDGE_SEED, "42", "Sampling seed (left out for models that reject it)"),
            new Key(JUDGE_MAX_TOKENS, "1024", "Bound on the judge reply's tokens"),
            new Key(JUDGE_TIMEOUT, "60s", "Per-request timeout"),
            new Key(JUDGE_MAX_ATTEMPTS, "4", "Attempts per verdict on 429, 5xx and network errors"),
            new Key(JUDGE_RETRY_BUDGET, "120s", "Total time one verdict may spend retrying"),
            new Key(JUDGE_INITIAL_BACKOFF, "1s", "First retry delay; doubles per attempt, with jitter"),
            new Key(JUDGE_MAX_BACKOFF, "30s", "Cap of one retry delay, including a server's Retry-After"),
            new Key(JUDGE_MAX_CONCURRENCY, null, "Most judge calls in progress at once (per JVM); unset: no cap"),
            new Key(JUDGE_REQUESTS_PER_MINUTE, null, "Most judge calls started in any 60 seconds (per JVM); unset: no cap"),
            new Key(JUDGE_MAX_INPUT_TOKENS, DEFAULT_MAX_INPUT_TOKENS, "Largest prompt in tokens; larger inputs error before any request"),
            new Key(BUDGET_MAX_CALLS, null, "Most judge calls per run (cached verdicts are free); unset: no budget"),
            new Key(BUDGET_MAX_TOKENS, null, "Most judge tokens (prompt and reply) per run; unset: no budget"),
            new Key(CACHE_DIR, DEFAULT_CACHE_DIR, "Directory of recorded verdicts, meant to be committed"),
            new Key(CACHE_MODE, "auto", "auto, replay, refresh or off"),
            new Key(REPORT_DIR, DEFAULT_REPORT_DIR, "Where report.html, report.json and summary.md go"),
            new Key(REPORT_BASELINE, null, "A previous run's report.json to compare scores with"),
            new Key(REPORT_RUN_ID, null, "Run id shared by the test JVMs of one build; derived from Surefire when unset"),
            new Key(GATE_MAX_DROP, null, "Fail a test class when a case scores this much or more below the baseline"),
            new Key(PROGRESS_INTERVAL, "5s", "Least time between two progress lines on the console while judging; 0s: none")));

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private final Map<String, String> values;

    private LlmJudgeConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
        // Parse everything now so that a malformed value fails at start-up, not at first use.
        judgeModel();
        temperature();
        seed();
        maxTokens();
        timeout();
        maxAttempts();
        retryBudget();
        cacheMode();
        progressInterval();
        initialBackoff();
        maxBackoff();
        maxConcurrency();
        requestsPerMinute();
        maxInputTokens();
        budgetMaxCalls();
        budgetMaxTokens();
        gateMaxDrop();
        values.forEach((key, value) -> {
            if (METRIC_GATE_KEY.matcher(key).matches()) {
                parseMetricGate(key, value);
            }
        });
    }

    /** All known keys, in documentation order. */
    public static List<Key> keys() {
        return List.copyOf(KEYS);
    }

    /** The environment variable that stands for a key: {@code llmjudge.cache.dir} &rarr; {@code LLMJUDGE_CACHE_DIR}. */
    public static String environmentVariableOf(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Resolves the configuration from system properties, {@code junit-platform.properties} on the
     * class path, the environment and the defaults. Used when no JUnit extension is registered.
     */
    public static LlmJudgeConfig fromEnvironment() {
        Properties file = new Properties();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream("junit-platform.properties")) {
            if (in != null) {
                file.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read junit-platform.properties", e);
        }
        Map<String, String> params = new TreeMap<>();
        file.stringPropertyNames().forEach(k -> params.put(k, file.getProperty(k)));
        System.getProperties().stringPropertyNames().forEach(k -> params.put(k, System.getProperty(k)));
        return resolve(params.keySet(), k -> Optional.ofNullable(params.get(k)), System.getenv(), Map.of());
    }

    /**
     * Resolves the configuration.
     *
     * @param parameterNames the names the parameter source knows (to find unknown keys); may be empty
     * @param parameters the first source, e.g. JUnit configuration parameters
     * @param environment the environment variables
     * @param overrides values that win over everything (programmatic settings of an extension)
     * @throws ConfigurationException when a key is unknown or a value malformed
     */
    public static LlmJudgeConfig resolve(Iterable<String> parameterNames, Function<String, Optional<String>> parameters,
            Map<String, String> environment, Map<String, String> overrides) {
        Map<String, Key> known = new LinkedHashMap<>();
        KEYS.forEach(k -> known.put(k.name(), k));
        Map<String, String> gates = new TreeMap<>();
        Map<String, String> envNames = new LinkedHashMap<>();
        known.keySet().forEach(k -> envNames.put(environmentVariableOf(k), k));
        for (String env : environment.keySet()) {
            Matcher gate = METRIC_GATE_ENV.matcher(env);
            if (gate.matches()) {
                gates.put(metricGateKey(gate.group(1).toLowerCase(Locale.ROOT), gate.group(2).toLowerCase(Locale.ROOT).replace('_', '-')),
                        environment.get(env));
            } else if (env.startsWith("LLMJUDGE_") && !envNames.containsKey(env)) {
                throw unknown(env, "environment variable " + env);
            }
        }
        for (String name : parameterNames) {
            if (METRIC_GATE_KEY.matcher(name).matches()) {
                parameters.apply(name).ifPresent(v -> gates.put(name, v));
            } else if (name.startsWith(PREFIX) && !known.containsKey(name)) {
                throw unknown(name, name);
            }
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (METRIC_GATE_KEY.matcher(e.getKey()).matches()) {
                gates.put(e.getKey(), e.getValue());
            } else if (!known.containsKey(e.getKey())) {
                throw unknown(e.getKey(), e.getKey());
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Key key : known.values()) {
            String value = overrides.get(key.name());
            if (value == null) {
                value = parameters.apply(key.name()).orElse(null);
            }
            if (value == null) {
                value = environment.get(key.environmentVariable());
            }
            if (value == null) {
                value = key.defaultValue();
            }
            if (value != null && !value.isBlank()) {
                values.put(key.name(), value.strip());
            }
        }
        gates.forEach((key, value) -> {
            if (value != null && !value.isBlank()) {
                values.put(key, value.strip());
            }
        });
        return new LlmJudgeConfig(values);
    }

    private static ConfigurationException unknown(String key, String what) {
        return new ConfigurationException(key, "unknown configuration key '" + what + "': the keys are "
                + String.join(", ", KEYS.stream().map(Key::name).toList()) + " and llmjudge.gate.<metric>.min-mean|min-pass-rate");
    }

    /** This configuration with some values replaced (keys must be known). */
    public LlmJudgeConfig with(Map<String, String> overrides) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (KEYS.stream().noneMatch(k -> k.name().equals(e.getKey())) && !METRIC_GATE_KEY.matcher(e.getKey()).matches()) {
                throw unknown(e.getKey(), e.getKey());
            }
            if (e.getValue() == null) {
                copy.remove(e.getKey());
            } else {
                copy.put(e.getKey(), e.getValue());
            }
        }
        return new LlmJudgeConfig(copy);
    }

    /** The raw value of a key, if set (or defaulted). */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Every resolved value, for diagnostics. Holds no secrets: API keys are never configuration keys. */
    public Map<String, String> values() {
        return values;
    }

    public String judgeModel() {
        return values.get(JUDGE_MODEL);
    }

    public Optional<String> judgeBaseUrl() {
        return get(JUDGE_BASE_URL);
    }

    public double temperature() {
        String raw = values.get(JUDGE_TEMPERATURE);
        try {
            double t = Double.parseDouble(raw);
            if (t < 0 || t > 2) {
                throw malformed(JUDGE_TEMPERATURE, raw, "a number from 0 to 2");
            }
            return t;
        } catch (NumberFormatException e) {
            throw malformed(JUDGE_TEMPERATURE, raw, "a number from 0 to 2");
        }
    }

    public long seed() {
        String raw = values.get(JUDGE_SEED);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw malformed(JUDGE_SEED, raw, "a whole number");
        }
    }

    public int maxTokens() {
        return positiveInt(JUDGE_MAX_TOKENS, 16);
    }

    public int maxAttempts() {
        return positiveInt(JUDGE_MAX_ATTEMPTS, 1);
    }

    public Duration timeout() {
        return duration(JUDGE_TIMEOUT);
    }

    public Duration retryBudget() {
        return duration(JUDGE_RETRY_BUDGET);
    }

    public Duration initialBackoff() {
        return duration(JUDGE_INITIAL_BACKOFF);
    }

    public Duration maxBackoff() {
        return duration(JUDGE_MAX_BACKOFF);
    }

    /** The cap on judge calls in progress at once, if set. */
    public OptionalInt maxConcurrency() {
        return optionalPositive(JUDGE_MAX_CONCURRENCY, Integer.MAX_VALUE).stream().mapToInt(Math::toIntExact).findFirst();
    }

    /** The cap on judge calls started in any 60 seconds, if set. */
    public OptionalInt requestsPerMinute() {
        return optionalPositive(JUDGE_REQUESTS_PER_MINUTE, Integer.MAX_VALUE).stream().mapToInt(Math::toIntExact).findFirst();
    }

    public int maxInputTokens() {
        return positiveInt(JUDGE_MAX_INPUT_TOKENS, 1);
    }

    /** The run's budget of judge calls, if set. */
    public OptionalLong budgetMaxCalls() {
        return optionalPositive(BUDGET_MAX_CALLS, Long.MAX_VALUE);
    }

    /** The run's budget of judge tokens, if set. */
    public OptionalLong budgetMaxTokens() {
        return optionalPositive(BUDGET_MAX_TOKENS, Long.MAX_VALUE);
    }

    /** Reads an optional limit: unset (or blank) means no limit. */
    private OptionalLong optionalPositive(String key, long max) {
        String raw = values.get(key);
        if (raw == null) {
            return OptionalLong.empty();
        }
        try {
            long v = Long.parseLong(raw);
            if (v < 1 || v > max) {
                throw malformed(key, raw, "a whole number of at least 1, or no value for no limit");
            }
            return OptionalLong.of(v);
        } catch (NumberFormatException e) {
            throw malformed(key, raw, "a whole number of at least 1, or no value for no limit");
        }
    }

    public Path cacheDir() {
        return Path.of(values.get(CACHE_DIR));
    }

    public CacheMode cacheMode() {
        String raw = values.get(CACHE_MODE);
        try {
            return CacheMode.parse(raw);
        } catch (IllegalArgumentException e) {
            throw malformed(CACHE_MODE, raw, e.getMessage());
        }
    }

    public Path reportDir() {
        return Path.of(values.get(REPORT_DIR));
    }

    /** The least time between two progress lines while judging; zero when progress lines are off (also when set blank). */
    public Duration progressInterval() {
        if (values.get(PROGRESS_INTERVAL) == null) {
            return Duration.ZERO;
        }
        Duration interval = duration(PROGRESS_INTERVAL);
        if (interval.isNegative()) {
            throw malformed(PROGRESS_INTERVAL, values.get(PROGRESS_INTERVAL), "a duration of 0s (no progress lines) or more");
        }
        return interval;
    }

    /** The baseline report to compare scores with, if configured. */
    public Optional<Path> reportBaseline() {
        return get(REPORT_BASELINE).map(Path::of);
    }

    /** The run id shared by the test JVMs of one build, if configured. */
    public Optional<String> reportRunId() {
        return get(REPORT_RUN_ID);
    }

    /** The largest score drop against the baseline that is still allowed, plus one; empty when not gated. */
    public OptionalInt gateMaxDrop() {
        return values.containsKey(GATE_MAX_DROP) ? OptionalInt.of(positiveInt(GATE_MAX_DROP, 1)) : OptionalInt.empty();
    }

    /**
     * The per-metric gates this configuration could enumerate (system properties,
     * {@code junit-platform.properties}, environment, overrides), by key, e.g.
     * {@code llmjudge.gate.answer_similarity.min-mean -> 3.5}.
     */
    public Map<String, Double> metricGates() {
        Map<String, Double> gates = new TreeMap<>();
        values.forEach((key, value) -> {
            if (METRIC_GATE_KEY.matcher(key).matches()) {
                gates.put(key, parseMetricGate(key, value));
            }
        });
        return gates;
    }

    /** The key of a per-metric gate: {@code metricGateKey("answer_similarity", "min-mean")}. */
    public static String metricGateKey(String metric, String setting) {
        return PREFIX + "gate." + metric + "." + setting;
    }

    /**
     * Parses the value of a per-metric gate: a mean from 0 to 100, or a pass rate written as a
     * fraction ({@code 0.9}) or a percentage ({@code 90%}).
     *
     * @throws ConfigurationException when the value is malformed
     */
    public static double parseMetricGate(String key, String raw) {
        boolean passRate = key.endsWith(".min-pass-rate");
        String expected = passRate ? "a pass rate from 0 to 1, or a percentage such as 90%" : "a number, e.g. 3.5";
        String text = raw.strip();
        boolean percent = passRate && text.endsWith("%");
        try {
            double v = Double.parseDouble(percent ? text.substring(0, text.length() - 1).strip() : text);
            if (percent) {
                v = v / 100.0;
            }
            if (Double.isNaN(v) || Double.isInfinite(v) || v < 0 || (passRate && v > 1)) {
                throw malformed(key, raw, expected);
            }
            return v;
        } catch (NumberFormatException e) {
            throw malformed(key, raw, expected);
        }
    }

    /** Reads a whole number of at least {@code min}; for keys added by other parts of the library. */
    public int positiveInt(String key, int min) {
        String raw = values.get(key);
        try {
            int v = Integer.parseInt(raw);
            if (v < min) {
                throw malformed(key, raw, "a whole number of at least " + min);
            }
            return v;
        } catch (NumberFormatException e) {
            throw malformed(key, raw, "a whole number of at least " + min);
        }
    }

    /** Reads a duration written as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
    public Duration duration(String key) {
        String raw = values.get(key);
        Matcher m = DURATION.matcher(raw.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        try {
            return Duration.parse(raw);
        } catch (DateTimeParseException e) {
            throw malformed(key, raw, "a duration such as 500ms, 30s, 2m or PT30S");
        }
    }

    private static ConfigurationException malformed(String key, String value, String expected) {
        return new ConfigurationException(key, "invalid value '" + value + "' for " + key + ": expected " + expected
                + " (set by -D" + key + ", junit-platform.properties or " + environmentVariableOf(key) + ")");
    }

    @Override
    public String toString() {
        return "LlmJudgeConfig" + values;
    }
}
