package dev.llmjudge.internal.cache;

import dev.llmjudge.config.ConfigOverrides;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.ScoreDistribution;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The JVM that {@link ReplayClassLoadingTest} starts to replay verdicts scored by probabilities,
 * of one sample and of three, through a runtime configured with
 * {@code llmjudge.judge.score-by=probabilities} in replay mode; prints
 * {@code REPLAYED_WEIGHTED <weighted score> <weighted score>}.
 *
 * <p>Usage: {@code ProbabilityReplayMain <dir>}; {@link #record} writes the verdicts it reads.
 */
public final class ProbabilityReplayMain {
    private static final Metric METRIC = Metrics.answerSimilarity();
    private static final String MODEL = "replay-probabilities-model";

    private ProbabilityReplayMain() {
    }

    public static void main(String[] args) {
        try (LlmJudgeRuntime runtime = runtime(Path.of(args[0]), "replay")) {
            StringBuilder line = new StringBuilder("REPLAYED_WEIGHTED");
            for (int samples : new int[] {1, 3}) {
                Verdict verdict = runtime.judge().judge(request(samples));
                if (!verdict.cached()) {
                    throw new IllegalStateException("the verdict of " + samples + " samples was not replayed");
                }
                line.append(' ').append(verdict.weightedScore().orElseThrow());
            }
            System.out.println(line);
        }
    }

    /** Records a verdict of one sample weighted 4.2 and one of three samples whose weighted median is 4.2. */
    static void record(Path dir) {
        try (LlmJudgeRuntime runtime = runtime(dir, "auto")) {
            VerdictStore store = new VerdictStore(dir);
            Sampling.Sample one = sample("4.2", Map.of(3, 0.1, 4, 0.6, 5, 0.3));
            store.write(verdict(Sampling.single(one)), request(1), key(runtime, request(1)));
            Sampling three = new Sampling(3, Sampling.Drawn.N, false, List.of(one, sample("4.5", Map.of(4, 0.5, 5, 0.5)),
                    sample("3.8", Map.of(3, 0.2, 4, 0.8))));
            store.write(verdict(three), request(3), key(runtime, request(3)));
        }
    }

    private static Sampling.Sample sample(String weighted, Map<Integer, Double> levels) {
        return new Sampling.Sample(4, "Weighted " + weighted + ".", new ScoreDistribution(levels));
    }

    private static Verdict verdict(Sampling sampling) {
        return new Verdict(METRIC.name(), METRIC.version(), sampling.median(), 1, 5, sampling.medianSample().justification(), MODEL,
                Map.of("temperature", 0.0, "seed", 42, "max_tokens", 1024, "response_format", "json_schema", "logprobs", true,
                        "top_logprobs", 20), null, false, null, Duration.ofMillis(800), new TokenUsage(900, 60), sampling);
    }

    private static String key(LlmJudgeRuntime runtime, JudgeRequest request) {
        return new CacheKeys().key(METRIC, runtime.judge().fingerprint(request));
    }

    private static JudgeRequest request(int samples) {
        return new JudgeRequest(METRIC, EvaluationCase.ofAnswer("Paris is the capital of France.")
                .withGroundTruth("The capital of France is Paris."), samples);
    }

    private static LlmJudgeRuntime runtime(Path dir, String mode) {
        return LlmJudgeRuntime.builder().config(LlmJudgeConfig.defaults().with(ConfigOverrides.of(Map.of(LlmJudgeConfig.CACHE_DIR,
                dir.toString(), LlmJudgeConfig.CACHE_MODE, mode, LlmJudgeConfig.JUDGE_MODEL, MODEL, LlmJudgeConfig.JUDGE_SCORE_BY,
                "probabilities", LlmJudgeConfig.PROGRESS_INTERVAL, "0s")))).build();
    }
}
