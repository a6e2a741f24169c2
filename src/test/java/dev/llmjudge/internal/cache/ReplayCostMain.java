package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.config.CacheMode;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.testsupport.TestRuntimes;
import dev.llmjudge.internal.openai.OpenAiJudge;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The JVM that {@link ReplayCostTest} starts for each measurement: replays {@code <rows>}
 * recorded verdicts of {@code <dir>} through a {@link CachingJudge} in replay mode, each check
 * timed on its own right after the same row checked with a plain AssertJ assertion, {@code
 * <passes>} times over, and prints for the first and the last pass one line
 * {@code REPLAY_COST pass=<n> plain=<ns> judged=<ns> judged_p90=<ns> plain_cpu=<ns> judged_cpu=<ns>}
 * (medians; wall time, and the thread's CPU time).
 *
 * <p>Usage: {@code ReplayCostMain <dir> <rows> <passes>}; {@link #record} writes the verdicts it reads.
 */
public final class ReplayCostMain {
    static final String MODEL = "replay-cost-model";
    private static final Metric METRIC = Metrics.answerSimilarity();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ReplayCostMain() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int rows = Integer.parseInt(args[1]);
        int passes = Integer.parseInt(args[2]);
        OpenAiJudge openAi = new OpenAiJudge(TestRuntimes.judge(MODEL), null);
        CachingJudge judge = new CachingJudge(openAi, new VerdictStore(dir), CacheMode.REPLAY);
        for (int pass = 1; pass <= passes; pass++) {
            long[] plain = new long[rows];
            long[] judged = new long[rows];
            long[] plainCpu = new long[rows];
            long[] judgedCpu = new long[rows];
            for (int i = 0; i < rows; i++) {
                String answer = answer(i);
                String truth = groundTruth(i);

                long cpu = THREADS.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                assertThat(answer).contains("Paris").isNotEqualTo(truth);
                plain[i] = System.nanoTime() - start;
                plainCpu[i] = THREADS.getCurrentThreadCpuTime() - cpu;

                cpu = THREADS.getCurrentThreadCpuTime();
                start = System.nanoTime();
                Verdict verdict = judge.judge(new JudgeRequest(METRIC, EvaluationCase.ofAnswer(answer).withGroundTruth(truth)));
                assertThat(verdict.score()).isGreaterThanOrEqualTo(4);
                judged[i] = System.nanoTime() - start;
                judgedCpu[i] = THREADS.getCurrentThreadCpuTime() - cpu;

                if (!verdict.cached()) {
                    throw new IllegalStateException("row " + i + " was not replayed");
                }
            }
            if (pass == 1 || pass == passes) {
                System.out.printf(Locale.ROOT, "REPLAY_COST pass=%d plain=%d judged=%d judged_p90=%d plain_cpu=%d judged_cpu=%d%n", pass,
                        percentile(plain, 0.5), percentile(judged, 0.5), percentile(judged, 0.9), percentile(plainCpu, 0.5),
                        percentile(judgedCpu, 0.5));
            }
        }
    }

    /** Records the verdict of every row in {@code dir}, under the key a replay computes. */
    static void record(Path dir, int rows) {
        OpenAiJudge openAi = new OpenAiJudge(TestRuntimes.judge(MODEL), null);
        VerdictStore store = new VerdictStore(dir);
        for (int i = 0; i < rows; i++) {
            JudgeRequest request = new JudgeRequest(METRIC, EvaluationCase.ofAnswer(answer(i)).withGroundTruth(groundTruth(i)));
            Verdict verdict = new Verdict(METRIC.name(), METRIC.version(), 5, 1, 5, "Row " + i + " says what the ground truth says.",
                    MODEL, Map.of("temperature", 0.0, "seed", 42, "max_tokens", 1024, "response_format", "json_schema"), null, false, null,
                    Duration.ofMillis(800), new TokenUsage(900, 60));
            store.write(verdict, request, new CacheKeys().key(METRIC, openAi.fingerprint(request)));
        }
    }

    static String answer(int i) {
        return "Paris is the capital of France (row " + i + ").";
    }

    static String groundTruth(int i) {
        return "Row " + i + ": Paris is the capital of France.";
    }

    private static long percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))];
    }
}
