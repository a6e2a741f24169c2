package dev.llmjudge.config;

import dev.llmjudge.config.Key.Parser;
import dev.llmjudge.internal.HttpUrls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The parsers of the configuration table; each rejects a value with what it expects. */
final class Parsers {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final String LIMIT = "a whole number of at least 1, or no value for no limit";

    static final Parser<String> TEXT = text -> text;
    /** The judge endpoint, an http or https URL with a host: the OpenAI client takes any text, and fails on it late, naming no key. */
    static final Parser<String> BASE_URL = parser(HttpUrls.EXPECTED, Function.identity(), HttpUrls::isHttpUrl);
    static final Parser<Path> DIRECTORY = parser("a directory", Path::of, path -> !path.toString().isEmpty());
    static final Parser<Path> FILE = parser("a file", Path::of, path -> true);
    /** Samples per verdict: at most 100, as {@code JudgeRequest.MAX_SAMPLES}. */
    static final Parser<Integer> SAMPLES = parser("a whole number from 1 to 100", Integer::parseInt, v -> v >= 1 && v <= 100);
    static final Parser<Double> TEMPERATURE = parser("a number from 0 to 2", Double::parseDouble, t -> t >= 0 && t <= 2);
    static final Parser<Long> SEED = parser("a whole number", Long::parseLong, seed -> true);
    static final Parser<CacheMode> CACHE_MODE = choice(List.of(CacheMode.AUTO, CacheMode.REPLAY, CacheMode.REFRESH, CacheMode.OFF, CacheMode.COLLECT));
    static final Parser<Optional<Integer>> INT_LIMIT = optional(parser(LIMIT, Integer::parseInt, v -> v >= 1));
    static final Parser<Optional<Long>> LONG_LIMIT = optional(parser(LIMIT, Long::parseLong, v -> v >= 1));
    private static final Parser<Duration> DURATION = parser("a duration such as 500ms, 30s, 2m or PT30S", Parsers::duration, d -> true);
    /**
     * A request timeout: the HTTP client takes 0 for no timeout at all, and refuses more than {@code Integer.MAX_VALUE}
     * milliseconds (24.8 days) only when it is built, with "timeout too large".
     */
    static final Parser<Duration> TIMEOUT = parser("a duration from 1ms to 576h (24 days), such as 500ms, 30s, 2m or PT30S",
            Parsers::duration, d -> d.compareTo(Duration.ofMillis(1)) >= 0 && d.compareTo(Duration.ofHours(576)) <= 0);
    /** A duration that must not be zero, e.g. a poll interval: one of 0 would poll without pause. */
    static final Parser<Duration> POSITIVE_DURATION = parser("a duration of at least 1ms, such as 500ms, 30s, 2m or PT30S",
            Parsers::duration, d -> d.compareTo(Duration.ofMillis(1)) >= 0);
    /** A duration of which zero means something, e.g. a retry delay of 0s retries at once. */
    static final Parser<Duration> NON_NEGATIVE_DURATION = parser("a duration of 0s or more, such as 500ms, 30s, 2m or PT30S",
            Parsers::duration, d -> !d.isNegative());
    /** A progress interval: {@code 0s} or blank turn progress lines off. */
    static final Parser<Duration> PROGRESS_INTERVAL = text -> {
        Duration interval = text.isEmpty() ? Duration.ZERO : DURATION.parse(text);
        if (interval.isNegative()) {
            throw new IllegalArgumentException("a duration of 0s (no progress lines) or more");
        }
        return interval;
    };
    static final Parser<Optional<Double>> MIN_MEAN = optional(parser("a number, e.g. 3.5", Double::parseDouble, v -> v >= 0 && v < Double.POSITIVE_INFINITY));
    static final Parser<Optional<Double>> MIN_PASS_RATE = optional(parser("a pass rate from 0 to 1, or a percentage such as 90%",
            Parsers::fraction, v -> v >= 0 && v <= 1));
    static final Parser<Double> RATE = parser("a share from 0 to 1, or a percentage such as 5%", Parsers::fraction, v -> v >= 0 && v <= 1);
    static final Parser<Boolean> BOOLEAN = text -> switch (text.strip().toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException("true or false");
    };

    private Parsers() {
    }

    /** Text that must not be blank, e.g. a model name. */
    static Parser<String> nonBlank(String expected) {
        return parser(expected, Function.identity(), text -> !text.isEmpty());
    }

    /** A whole number of at least {@code min}. */
    static Parser<Integer> wholeNumber(int min) {
        return parser("a whole number of at least " + min, Integer::parseInt, v -> v >= min);
    }

    /** One of {@code allowed}, written in lower case with dashes ({@code skip}, {@code max-tokens}), case-insensitive. */
    static <E extends Enum<E>> Parser<E> choice(List<E> allowed) {
        String expected = "one of " + allowed.stream().map(Parsers::spelling).collect(Collectors.joining(", "));
        return text -> allowed.stream().filter(e -> spelling(e).equalsIgnoreCase(text.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(expected));
    }

    /** How a constant is written in configuration: {@code MAX_TOKENS} as {@code max-tokens}. */
    static String spelling(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Unset when blank, else what {@code parser} reads. */
    static <T> Parser<Optional<T>> optional(Parser<T> parser) {
        return text -> text.isEmpty() ? Optional.empty() : Optional.of(parser.parse(text));
    }

    /** Reads with {@code read} and checks with {@code valid}; any failure rejects the text with {@code expected}. */
    private static <T> Parser<T> parser(String expected, Function<String, T> read, Predicate<T> valid) {
        return text -> {
            T value;
            try {
                value = read.apply(text);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(expected, e);
            }
            if (!valid.test(value)) {
                throw new IllegalArgumentException(expected);
            }
            return value;
        };
    }

    /** A fraction written as {@code 0.05} or as a percentage, {@code 5%}. */
    private static double fraction(String text) {
        return text.endsWith("%") ? Double.parseDouble(text.substring(0, text.length() - 1).strip()) / 100.0 : Double.parseDouble(text);
    }

    /** A duration written as {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT30S}). */
    private static Duration duration(String text) {
        Matcher m = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Duration.parse(text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
