package dev.llmjudge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every key of the table: its default, a good value read into its type, a malformed value and its message. */
class ConfigKeysTest {

    /**
     * One key: where its value is in the configuration, its default, a good value and what it reads as,
     * and a malformed value with what the message says is expected ({@code null}: any text is a value).
     */
    record Row(String key, Function<LlmJudgeConfig, Object> value, Object defaultValue, String good, Object goodValue, String malformed,
            String expected) {
        @Override
        public String toString() {
            return key;
        }
    }

    private static final String LIMIT = "a whole number of at least 1, or no value for no limit";
    private static final String TIMEOUT = "a duration from 1ms to 576h (24 days), such as 500ms, 30s, 2m or PT30S";
    private static final String POSITIVE_DURATION = "a duration of at least 1ms, such as 500ms, 30s, 2m or PT30S";
    private static final String NON_NEGATIVE_DURATION = "a duration of 0s or more, such as 500ms, 30s, 2m or PT30S";
    private static final String BASE_URL = "an http or https URL such as https://api.openai.com/v1 or http://localhost:11434/v1";

    static List<Row> rows() {
        return List.of(
                new Row("llmjudge.judge.model", c -> c.judge().model(), "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-mini", " ",
                        "a model name, e.g. gpt-4.1"),
                new Row("llmjudge.judge.base-url", c -> c.judge().baseUrl(), Optional.empty(), "http://127.0.0.1:11434/v1",
                        Optional.of("http://127.0.0.1:11434/v1"), "localhost:11434/v1", BASE_URL),
                new Row("llmjudge.judge.temperature", c -> c.judge().temperature(), 0.0, "0.7", 0.7, "3", "a number from 0 to 2"),
                new Row("llmjudge.judge.seed", c -> c.judge().seed(), 42L, "7", 7L, "seven", "a whole number"),
                new Row("llmjudge.judge.max-tokens", c -> c.judge().maxTokens(), 1024, "2048", 2048, "8", "a whole number of at least 16"),
                new Row("llmjudge.judge.timeout", c -> c.judge().timeout(), Duration.ofSeconds(60), "PT30S", Duration.ofSeconds(30), "0s",
                        TIMEOUT),
                new Row("llmjudge.judge.max-attempts", c -> c.judge().maxAttempts(), 4, "1", 1, "0", "a whole number of at least 1"),
                new Row("llmjudge.judge.retry-budget", c -> c.judge().retryBudget(), Duration.ofSeconds(120), "2m", Duration.ofMinutes(2),
                        "later", NON_NEGATIVE_DURATION),
                new Row("llmjudge.judge.initial-backoff", c -> c.judge().initialBackoff(), Duration.ofSeconds(1), "250ms",
                        Duration.ofMillis(250), "PT-1S", NON_NEGATIVE_DURATION),
                new Row("llmjudge.judge.max-backoff", c -> c.judge().maxBackoff(), Duration.ofSeconds(30), "1h", Duration.ofHours(1),
                        "30 parsecs", NON_NEGATIVE_DURATION),
                new Row("llmjudge.judge.max-concurrency", c -> c.judge().maxConcurrency(), Optional.empty(), "4", Optional.of(4), "0", LIMIT),
                new Row("llmjudge.judge.requests-per-minute", c -> c.judge().requestsPerMinute(), Optional.empty(), "60", Optional.of(60),
                        "-5", LIMIT),
                new Row("llmjudge.judge.max-input-tokens", c -> c.judge().maxInputTokens(), 100_000, "32000", 32_000, "0",
                        "a whole number of at least 1"),
                new Row("llmjudge.judge.missing-key", c -> c.judge().missingKey(), MissingKey.ERROR, "Skip", MissingKey.SKIP, "ignore",
                        "one of error, skip"),
                new Row("llmjudge.judge.samples", c -> c.judge().samples(), 1, "5", 5, "101", "a whole number from 1 to 100"),
                new Row("llmjudge.judge.on-unstable", c -> c.judge().onUnstable(), OnUnstable.DECIDE, "Abort", OnUnstable.ABORT, "default",
                        "one of decide, fail, abort"),
                new Row("llmjudge.judge.score-by", c -> c.judge().scoreBy(), ScoreBy.REPLY, "Probabilities", ScoreBy.PROBABILITIES, "logprobs",
                        "one of reply, probabilities"),
                new Row("llmjudge.budget.max-calls", c -> c.budget().maxCalls(), Optional.empty(), "500", Optional.of(500L), "ten", LIMIT),
                new Row("llmjudge.budget.max-tokens", c -> c.budget().maxTokens(), Optional.empty(), "5000000000", Optional.of(5_000_000_000L),
                        "1.5", LIMIT),
                new Row("llmjudge.cache.dir", c -> c.cache().dir(), Path.of("src/test/llm-judge"), "verdicts", Path.of("verdicts"), " ",
                        "a directory"),
                new Row("llmjudge.cache.mode", c -> c.cache().mode(), CacheMode.AUTO, "Replay", CacheMode.REPLAY, "default",
                        "one of auto, replay, refresh, off, collect"),
                new Row("llmjudge.cache.unused", c -> c.cache().unused(), UnusedVerdicts.REPORT, "Delete", UnusedVerdicts.DELETE, "remove",
                        "one of report, delete"),
                new Row("llmjudge.batch.dir", c -> c.batch().dir(), Path.of("target/llm-judge/batch"), "nightly", Path.of("nightly"), " ",
                        "a directory"),
                new Row("llmjudge.batch.poll-interval", c -> c.batch().pollInterval(), Duration.ofSeconds(30), "10s", Duration.ofSeconds(10),
                        "0s", POSITIVE_DURATION),
                new Row("llmjudge.batch.max-requests", c -> c.batch().maxRequests(), 50_000, "1000", 1000, "0", "a whole number of at least 1"),
                new Row("llmjudge.batch.max-bytes", c -> c.batch().maxBytes(), 209_715_200, "1048576", 1_048_576, "lots",
                        "a whole number of at least 1"),
                new Row("llmjudge.report.dir", c -> c.report().dir(), Path.of("target/llm-judge"), "out", Path.of("out"), "", "a directory"),
                new Row("llmjudge.report.baseline", c -> c.report().baseline(), Optional.empty(), "main/report.json",
                        Optional.of(Path.of("main/report.json")), "nul\u0000char", "a file"),
                new Row("llmjudge.report.baseline-required", c -> c.report().baselineRequired(), false, "true", true, "maybe",
                        "true or false"),
                new Row("llmjudge.report.run-id", c -> c.report().runId(), Optional.empty(), "ci-1234", Optional.of("ci-1234"), null, null),
                new Row("llmjudge.report.history", c -> c.report().history(), Optional.empty(), "build-history",
                        Optional.of(Path.of("build-history")), "nul\u0000char", "a directory"),
                new Row("llmjudge.gate.max-drop", c -> c.gates().maxDrop(), Optional.empty(), "2", Optional.of(2), "0",
                        "a whole number of at least 1"),
                new Row("llmjudge.gate.pairwise-baseline", c -> c.pairwiseGate().enabled(), false, "TRUE", true, "yes", "true or false"),
                new Row("llmjudge.gate.max-loss-rate", c -> c.pairwiseGate().maxLossRate(), 0.0, "5%", 0.05, "1.5",
                        "a share from 0 to 1, or a percentage such as 5%"),
                new Row("llmjudge.gate.max-unstable", c -> c.gates().maxUnstable(), Optional.empty(), "10%",
                        Optional.of(UnstableLimit.parse("10%")), "0.1", "a count of unstable checks such as 2, or a share of the judged"
                        + " checks such as 10%"),
                new Row("llmjudge.gate.answer_similarity.min-mean", c -> c.gates().forMetric("answer_similarity").minMean(), Optional.empty(),
                        "3.5", Optional.of(3.5), "high", "a number, e.g. 3.5"),
                new Row("llmjudge.gate.answer_similarity.min-pass-rate", c -> c.gates().forMetric("answer_similarity").minPassRate(),
                        Optional.empty(), "90%", Optional.of(0.9), "1.2", "a pass rate from 0 to 1, or a percentage such as 90%"),
                new Row("llmjudge.gate.answer_similarity.max-drop", c -> c.gates().forMetric("answer_similarity").maxDrop(), Optional.empty(),
                        "2", Optional.of(2), "0", "a whole number of at least 1"),
                new Row("llmjudge.progress.interval", c -> c.progressInterval(), Duration.ofSeconds(5), "0s", Duration.ZERO, "PT-5S",
                        "a duration of 0s (no progress lines) or more"),
                new Row("llmjudge.sut.model", c -> c.sut().model(), Optional.empty(), "gpt-4.1", Optional.of("gpt-4.1"), null, null),
                new Row("llmjudge.shard", c -> c.shard(), Optional.empty(), "2/3", Optional.of(new Shard(2, 3)), "4/3",
                        "K/N with K from 1 to 3: there is no shard 4 of 3"),
                new Row("llmjudge.conversation.window", c -> c.conversation().window(), 4, "6", 6, "1", "a whole number of at least 2"));
    }

    @Test
    void should_have_a_row_for_every_key_of_the_table() {
        assertThat(LlmJudgeConfig.keys()).allSatisfy(key -> assertThat(rows()).anySatisfy(row -> assertThat(key.matches(row.key())).isTrue()));
        assertThat(rows()).hasSameSizeAs(LlmJudgeConfig.keys());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void should_default_to_the_table(Row row) {
        assertThat(row.value().apply(LlmJudgeConfig.defaults())).isEqualTo(row.defaultValue());
        assertThat(row.value().apply(LlmJudgeConfig.resolve(ConfigSources.none()))).isEqualTo(row.defaultValue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void should_read_a_good_value_into_its_type_from_every_source(Row row) {
        String variable = LlmJudgeConfig.environmentVariableOf(row.key());
        Stream.of(LlmJudgeConfig.resolve(ConfigSources.of(Map.of(row.key(), row.good()), Map.of())),
                LlmJudgeConfig.resolve(ConfigSources.of(Map.of(), Map.of(variable, row.good()))),
                LlmJudgeConfig.defaults().with(ConfigOverrides.builder().set(row.key(), " " + row.good() + " ").build()))
                .forEach(config -> assertThat(row.value().apply(config)).isEqualTo(row.goodValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void should_reject_a_malformed_value_naming_key_value_and_what_is_expected(Row row) {
        if (row.malformed() == null) {
            assertThat(row.value().apply(LlmJudgeConfig.resolve(ConfigSources.of(Map.of(row.key(), "any text"), Map.of())))).isNotNull();
            return;
        }
        String message = "invalid value '" + row.malformed().strip() + "' for " + row.key() + ": expected " + row.expected() + " (set by -D"
                + row.key() + ", junit-platform.properties or " + LlmJudgeConfig.environmentVariableOf(row.key()) + ")";
        assertThatThrownBy(() -> LlmJudgeConfig.resolve(ConfigSources.of(Map.of(row.key(), row.malformed()), Map.of())))
                .isInstanceOf(ConfigurationException.class).hasMessage(message)
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo(row.key());
        assertThatThrownBy(() -> LlmJudgeConfig.resolve(ConfigSources.of(Map.of(), Map.of(LlmJudgeConfig.environmentVariableOf(row.key()),
                row.malformed())))).hasMessage(message);
        assertThatThrownBy(() -> ConfigOverrides.builder().set(row.key(), row.malformed())).hasMessage(message);
    }

    @Test
    void should_name_every_key_with_its_environment_variable_and_mark_the_patterns() {
        assertThat(LlmJudgeConfig.keys()).filteredOn(Key::isPattern).extracting(Key::name, Key::environmentVariable).containsExactly(
                tuple("llmjudge.gate.<metric>.min-mean", "LLMJUDGE_GATE_<METRIC>_MIN_MEAN"),
                tuple("llmjudge.gate.<metric>.min-pass-rate", "LLMJUDGE_GATE_<METRIC>_MIN_PASS_RATE"),
                tuple("llmjudge.gate.<metric>.max-drop", "LLMJUDGE_GATE_<METRIC>_MAX_DROP"));
        assertThat(LlmJudgeConfig.keys()).extracting(Key::name).doesNotHaveDuplicates().allMatch(name -> name.startsWith(LlmJudgeConfig.PREFIX));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"not a url", "localhost:11434/v1", "ftp://example.com/v1", "http:///v1", "http://my_host/v1", "http://localhost:0/v1",
            "http://localhost:65536/v1", "/v1"})
    void should_refuse_a_base_url_that_is_no_http_or_https_url_with_a_host(String url) {
        assertThatThrownBy(() -> LlmJudgeConfig.resolve(ConfigSources.of(Map.of("llmjudge.judge.base-url", url), Map.of())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("invalid value '" + url + "' for llmjudge.judge.base-url: expected " + BASE_URL);
        assertThatThrownBy(() -> ConfigOverrides.builder().baseUrl(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl must be " + BASE_URL + ", got '" + url + "'");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://api.openai.com/v1", "HTTP://127.0.0.1:11434/v1", "http://[::1]:8080/v1",
            "https://judge.openai.azure.com/openai/deployments/gpt-4.1?api-version=2024-10-21", "http://user:secret@proxy.example:65535"})
    void should_take_any_http_or_https_url_with_a_host_as_a_base_url(String url) {
        assertThat(LlmJudgeConfig.resolve(ConfigSources.of(Map.of("llmjudge.judge.base-url", url), Map.of())).judge().baseUrl()).hasValue(url);
        assertThat(LlmJudgeConfig.defaults().with(ConfigOverrides.builder().baseUrl(" " + url + " ").build()).judge().baseUrl()).hasValue(url);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"llmjudge.judge.timeout, 0s", "llmjudge.judge.timeout, 0ms", "llmjudge.judge.timeout, PT-5S",
            "llmjudge.judge.timeout, PT0.0005S", "llmjudge.judge.timeout, 577h", "llmjudge.batch.poll-interval, 0ms",
            "llmjudge.batch.poll-interval, PT-30S", "llmjudge.judge.retry-budget, PT-1S", "llmjudge.judge.initial-backoff, PT-0.5S",
            "llmjudge.judge.max-backoff, PT-1M"})
    void should_refuse_a_zero_duration_where_it_means_no_timeout_or_no_pause_and_a_negative_one_anywhere(String key, String value) {
        String expected = switch (key) {
            case "llmjudge.judge.timeout" -> TIMEOUT;
            case "llmjudge.batch.poll-interval" -> POSITIVE_DURATION;
            default -> NON_NEGATIVE_DURATION;
        };
        assertThatThrownBy(() -> LlmJudgeConfig.resolve(ConfigSources.of(Map.of(key, value), Map.of())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("invalid value '" + value + "' for " + key + ": expected " + expected);
    }

    @Test
    void should_take_the_shortest_and_longest_timeout_and_a_zero_retry_budget_or_backoff() {
        JudgeConfig judge = LlmJudgeConfig.resolve(ConfigSources.of(Map.of("llmjudge.judge.timeout", "1ms", "llmjudge.judge.retry-budget", "0s",
                "llmjudge.judge.initial-backoff", "0ms", "llmjudge.judge.max-backoff", "PT0S"), Map.of())).judge();

        assertThat(judge.timeout()).isEqualTo(Duration.ofMillis(1));
        assertThat(List.of(judge.retryBudget(), judge.initialBackoff(), judge.maxBackoff())).containsOnly(Duration.ZERO);
        assertThat(LlmJudgeConfig.resolve(ConfigSources.of(Map.of("llmjudge.judge.timeout", "576h"), Map.of())).judge().timeout())
                .isEqualTo(Duration.ofDays(24));
        assertThat(LlmJudgeConfig.resolve(ConfigSources.of(Map.of("llmjudge.batch.poll-interval", "1ms"), Map.of())).batch().pollInterval())
                .isEqualTo(Duration.ofMillis(1));
    }
}
