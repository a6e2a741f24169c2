package dev.llmjudge.reliability;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.config.ConfigOverrides;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.cache.CacheKeys;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.internal.openai.OpenAiJudge;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.internal.report.MetricStats;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs judged checks the way a user's test does (assertThatAnswer through a runtime pointed at
 * a loopback server), records every {@link CheckOutcome} the checks publish, and checks the
 * outcome of a fault: a {@link JudgeException}, an ERROR result, no score in the aggregates,
 * no verdict file.
 */
final class JudgeHarness implements AutoCloseable {
    static final String ANSWER = "Paris is the capital of France.";
    static final String GROUND_TRUTH = "The capital of France is Paris.";
    static final String METRIC = "answer_similarity";

    /**
     * Retries small enough that a fault that exhausts them costs tens of milliseconds. The
     * timeout stays long, so that a slow first call of a loaded JVM is not retried and request
     * counts stay exact; tests of stalls set their own.
     */
    static final Map<String, String> FAST_RETRIES = Map.of(
            LlmJudgeConfig.JUDGE_MAX_ATTEMPTS, "3",
            LlmJudgeConfig.JUDGE_INITIAL_BACKOFF, "10ms",
            LlmJudgeConfig.JUDGE_MAX_BACKOFF, "50ms",
            LlmJudgeConfig.JUDGE_TIMEOUT, "15s",
            LlmJudgeConfig.JUDGE_RETRY_BUDGET, "30s");

    final Path cacheDir;
    final List<CheckOutcome> checks = new CopyOnWriteArrayList<>();
    private final Consumer<CheckOutcome> listener = checks::add;
    private final List<LlmJudgeRuntime> runtimes = new ArrayList<>();

    JudgeHarness(Path tempDir) {
        this.cacheDir = tempDir.resolve("verdicts");
        CheckRecorder.addListener(listener);
    }

    static LlmJudgeConfig config(String baseUrl, Path cacheDir, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(FAST_RETRIES);
        all.put(LlmJudgeConfig.JUDGE_BASE_URL, baseUrl);
        all.put(LlmJudgeConfig.CACHE_DIR, cacheDir.toString());
        all.put(LlmJudgeConfig.JUDGE_MODEL, "judge-test-model");
        all.putAll(settings);
        return LlmJudgeConfig.defaults().with(ConfigOverrides.of(all));
    }

    LlmJudgeRuntime runtime(String baseUrl) {
        return runtime(baseUrl, Map.of());
    }

    LlmJudgeRuntime runtime(String baseUrl, Map<String, String> settings) {
        return runtime(baseUrl, settings, "test-key");
    }

    LlmJudgeRuntime runtime(String baseUrl, Map<String, String> settings, String apiKey) {
        LlmJudgeRuntime runtime = LlmJudgeRuntime.builder().config(config(baseUrl, cacheDir, settings)).apiKey(apiKey).build();
        runtimes.add(runtime);
        return runtime;
    }

    /** The one-line promise: {@code assertThatAnswer(answer).isSimilarTo(truth).withScoreAtLeast(4)}. */
    static void similarityCheck() {
        assertThatAnswer(ANSWER).isSimilarTo(GROUND_TRUTH).withScoreAtLeast(4);
    }

    /** Runs the similarity check, which must pass. */
    void pass(LlmJudgeRuntime runtime) {
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            similarityCheck();
        }
    }

    /** Runs the similarity check, which must error (not fail, not pass); returns the error. */
    JudgeException error(LlmJudgeRuntime runtime) {
        return error(runtime, JudgeHarness::similarityCheck);
    }

    /** Runs a check, which must error with a {@link JudgeException}: neither pass nor fail an assertion. */
    static JudgeException error(LlmJudgeRuntime runtime, Runnable check) {
        Throwable thrown = null;
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            check.run();
        } catch (Throwable t) {
            thrown = t;
        }
        assertThat(thrown).as("the check must error, not pass").isNotNull();
        assertThat(thrown).as("a judge fault is a test error, never an assertion failure").isNotInstanceOf(AssertionError.class);
        assertThat(thrown).isInstanceOf(JudgeException.class);
        return (JudgeException) thrown;
    }

    /** The single check made so far was recorded as an ERROR with this error, and the aggregates count it as one. */
    void assertRecordedAsError(JudgeException error) {
        assertThat(checks).hasSize(1);
        assertThat(checks.get(0)).isInstanceOf(CheckOutcome.Errored.class);
        CheckOutcome.Errored result = (CheckOutcome.Errored) checks.get(0);
        assertThat(result.verdict()).isNull();
        assertThat(result.reason()).isEqualTo(error.reason());
        assertThat(result.message()).isEqualTo(error.getMessage());
        MetricStats stats = MetricStats.of(result.check().metric().name(), rows());
        assertThat(stats.errors()).isEqualTo(1);
        assertThat(stats.scored()).isZero();
        assertThat(stats.mean()).isNaN();
        assertThat(stats.passRate()).isZero();
    }

    /** No file at all under the cache directory: no verdict, no temporary file. */
    void assertNothingCached() {
        assertThat(filesUnder(cacheDir)).as("files under the cache directory").isEmpty();
    }

    /** Verdict files (not temporary files) under the cache directory. */
    List<Path> verdictFiles() {
        return filesUnder(cacheDir).stream().filter(p -> p.getFileName().toString().endsWith(".json")).toList();
    }

    static List<Path> filesUnder(Path dir) {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port on 127.0.0.1 that nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    /** The cache key of the similarity check with the defaults of {@link #config}: one sample, scored by the reply. */
    String keyOfTheSimilarityCheck(String baseUrl) {
        OpenAiJudge judge = new OpenAiJudge(config(baseUrl, cacheDir, Map.of()).judge(), null);
        JudgeRequest request = new JudgeRequest(Metrics.answerSimilarity(), EvaluationCase.ofAnswer(ANSWER).withGroundTruth(GROUND_TRUTH));
        return new CacheKeys().key(request.metric(), judge.fingerprint(request));
    }

    /** The key a verdict file is named by. */
    static String keyOf(Path verdictFile) {
        String name = verdictFile.getFileName().toString();
        return name.substring(0, name.length() - ".json".length());
    }

    /** The checks made so far, as report rows. */
    List<ReportRow> rows() {
        return checks.stream().map(ReportRow::of).toList();
    }

    @Override
    public void close() {
        CheckRecorder.removeListener(listener);
        runtimes.forEach(LlmJudgeRuntime::close);
    }
}
