package dev.llmjudge.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * One entry of the configuration table ({@link LlmJudgeConfig#keys()}): a key's name, its default
 * as written in configuration ({@code null}: unset), the parser of its values and what it means
 * (the README's configuration table). A per-metric key is a pattern whose name holds {@code <metric>}.
 *
 * <pre>{@code
 * for (Key<?> key : LlmJudgeConfig.keys()) {
 *     System.out.println(key.name() + " (" + key.environmentVariable() + "), default " + key.defaultValue()
 *             + ": " + key.description());
 * }
 * }</pre>
 *
 * @param <T> the type of the key's value
 * @param name the key, e.g. {@code llmjudge.judge.timeout}
 * @param defaultValue the default as written in configuration, e.g. {@code 60s}; {@code null} when unset by default
 * @param parser reads a value (stripped; empty when set blank or unset) into its type
 * @param description what the key does
 */
public record Key<T>(String name, String defaultValue, Parser<T> parser, String description) {
    /** The placeholder for the metric's name in a per-metric key. */
    public static final String METRIC = "<metric>";

    /** Reads a key's text into its value; a malformed text throws {@link IllegalArgumentException} saying what is expected. */
    @FunctionalInterface
    public interface Parser<T> {
        /** Reads {@code text}, stripped; empty when the key is set blank, or unset without a default. */
        T parse(String text);
    }

    public Key {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(description, "description");
    }

    /** The environment variable that stands for the key, e.g. {@code LLMJUDGE_JUDGE_TIMEOUT} or {@code LLMJUDGE_GATE_<METRIC>_MIN_MEAN}. */
    public String environmentVariable() {
        return LlmJudgeConfig.environmentVariableOf(name);
    }

    /** Whether the key is a per-metric pattern such as {@code llmjudge.gate.<metric>.min-mean}. */
    public boolean isPattern() {
        return name.contains(METRIC);
    }

    /** Whether {@code candidate} names this key: the name itself, or for a pattern, the pattern with a metric name. */
    public boolean matches(String candidate) {
        return isPattern() ? metricOf(candidate).isPresent() : name.equals(candidate);
    }

    /** The key of one metric, e.g. {@code llmjudge.gate.answer_similarity.min-mean}; the name itself when not a pattern. */
    public String forMetric(String metric) {
        return name.replace(METRIC, metric);
    }

    /** The metric a key of this pattern is for, e.g. {@code answer_similarity} for {@code llmjudge.gate.answer_similarity.min-mean}. */
    Optional<String> metricOf(String candidate) {
        return metricIn(candidate, false);
    }

    /** The key an environment variable stands for, when it is this key's, e.g. {@code LLMJUDGE_GATE_FAITHFULNESS_MIN_MEAN}. */
    Optional<String> nameOfVariable(String variable) {
        if (isPattern()) {
            return metricIn(variable, true).map(this::forMetric);
        }
        return environmentVariable().equals(variable) ? Optional.of(name) : Optional.empty();
    }

    /** The names this key could stand for next to an unknown one, in its form (a pattern with each beginning of it as the metric). */
    Stream<String> spellingsNear(String unknown, boolean variable) {
        String own = variable ? environmentVariable() : name;
        int at = own.indexOf(placeholder(variable));
        if (at < 0 || !unknown.startsWith(own.substring(0, at))) {
            return Stream.of(own);
        }
        return IntStream.rangeClosed(at + 1, unknown.length())
                .mapToObj(end -> own.substring(0, at) + unknown.substring(at, end) + own.substring(at + METRIC.length()));
    }

    /** Reads the value set for {@code key} (this key's name, or one its pattern matches), naming the key when it is malformed. */
    T parse(String key, String raw) {
        String text = raw.strip();
        try {
            return parser.parse(text);
        } catch (IllegalArgumentException e) {
            throw ConfigurationException.malformed(key, text, e.getMessage());
        }
    }

    /** The value of {@code key} when no source sets it. */
    T defaultFor(String key) {
        return parse(key, defaultValue == null ? "" : defaultValue);
    }

    private static String placeholder(boolean variable) {
        return variable ? METRIC.toUpperCase(Locale.ROOT) : METRIC;
    }

    /** The metric a name of this pattern is for, the name written as a key or as an environment variable. */
    private Optional<String> metricIn(String candidate, boolean variable) {
        String own = variable ? environmentVariable() : name;
        int at = own.indexOf(placeholder(variable));
        if (at < 0) {
            return Optional.empty();
        }
        String metric = variable ? "([A-Z0-9][A-Z0-9_]{0,63})" : "([a-z0-9][a-z0-9_]{0,63})";
        Matcher m = Pattern.compile(Pattern.quote(own.substring(0, at)) + metric + Pattern.quote(own.substring(at + METRIC.length())))
                .matcher(candidate);
        return m.matches() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
    }
}
