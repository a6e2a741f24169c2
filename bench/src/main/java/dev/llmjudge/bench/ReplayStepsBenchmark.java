package dev.llmjudge.bench;

import dev.llmjudge.bench.fixtures.Rows;
import dev.llmjudge.internal.cache.CacheKeys;
import dev.llmjudge.internal.cache.VerdictStore;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.config.ConfigOverrides;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.openai.OpenAiJudge;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The steps of one replayed check, each on its own and JIT-warm: the request's fingerprint
 * (rendering the prompt), its cache key, and reading the recorded verdict (one small file read
 * and parse). Run by {@link Bench} against the verdicts it recorded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReplayStepsBenchmark {
    /** The recorded verdicts' directory (set by the benchmark). */
    @Param("")
    public String cacheDir;

    private final Metric metric = Metrics.answerSimilarity();
    private OpenAiJudge judge;
    private JudgeRequest request;
    private JudgeFingerprint fingerprint;
    private VerdictStore store;
    /** As a cache holds it: the metric's parts hashed once. */
    private final CacheKeys keys = new CacheKeys();
    private String key;

    @Setup
    public void setUp() {
        judge = new OpenAiJudge(LlmJudgeConfig.defaults().with(ConfigOverrides.builder().model(Bench.MODEL).build()).judge(), null);
        request = new JudgeRequest(metric, EvaluationCase.ofAnswer(Rows.prediction(42)).withGroundTruth(Rows.groundTruth(42)));
        fingerprint = judge.fingerprint(request);
        store = new VerdictStore(Path.of(cacheDir));
        key = keys.key(metric, fingerprint);
        if (store.read(metric, key).isEmpty()) {
            throw new IllegalStateException("no recorded verdict for row 42 in " + cacheDir);
        }
    }

    @Benchmark
    public JudgeFingerprint fingerprint() {
        return judge.fingerprint(request);
    }

    @Benchmark
    public String cacheKey() {
        return keys.key(metric, fingerprint);
    }

    @Benchmark
    public Verdict readRecordedVerdict() {
        return store.read(metric, key).orElseThrow();
    }
}
