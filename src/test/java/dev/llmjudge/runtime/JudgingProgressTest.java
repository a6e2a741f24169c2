package dev.llmjudge.runtime;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.config.ConfigSources;
import dev.llmjudge.config.ConfigurationException;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress lines: quiet on replay and short judging, informative while long judging goes on. */
class JudgingProgressTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private long now = 1_000 * SECOND;
    private final JudgingProgress progress = new JudgingProgress(Duration.ofSeconds(5), lines::add, () -> now);

    @TempDir
    Path cacheDir;

    @Test
    void should_print_nothing_when_every_verdict_is_replayed() {
        for (int i = 0; i < 1000; i++) {
            progress.replayed();
            now += SECOND;
        }
        assertThat(lines).isEmpty();
    }

    @Test
    void should_print_nothing_when_judging_ends_within_the_interval() {
        progress.prefetchQueued(3);
        for (int i = 0; i < 3; i++) {
            progress.judgingStarted();
            now += SECOND;
            progress.judgingFinished(true);
            progress.prefetchDone();
        }
        assertThat(lines).isEmpty();
    }

    @Test
    void should_show_judged_cached_remaining_rate_and_eta_every_interval() {
        progress.replayed();
        progress.replayed();
        progress.prefetchQueued(100);
        // Four verdicts a second, one at a time.
        for (int i = 0; i <= 40; i++) {
            progress.judgingStarted();
            now += SECOND / 4;
            progress.judgingFinished(i != 7);
            progress.prefetchDone();
        }

        assertThat(lines).containsExactly(
                "llm-judge: 20 judged (1 judge error), 2 cached, 80 remaining (4.0/s, ETA 20s)",
                "llm-judge: 40 judged (1 judge error), 2 cached, 60 remaining (4.0/s, ETA 15s)");
    }

    @Test
    void should_show_counts_and_rate_without_eta_when_the_total_is_unknown() {
        for (int i = 0; i < 6; i++) {
            progress.judgingStarted();
            now += SECOND;
            progress.judgingFinished(true);
        }
        assertThat(lines).containsExactly("llm-judge: 5 judged, 0 cached (1.0/s)");
    }

    @Test
    void should_count_judge_errors_as_judge_errors_not_as_failures() {
        for (int i = 0; i < 6; i++) {
            progress.judgingStarted();
            now += SECOND;
            progress.judgingFinished(i % 2 == 0);
        }
        assertThat(lines).containsExactly("llm-judge: 5 judged (2 judge errors), 0 cached (1.0/s)");
    }

    @Test
    void should_go_quiet_again_once_judging_has_stopped_for_an_interval() {
        progress.prefetchQueued(6);
        for (int i = 0; i < 6; i++) {
            progress.judgingStarted();
            now += SECOND;
            progress.judgingFinished(true);
            progress.prefetchDone();
        }
        lines.clear();
        now += (JudgingProgress.MIN_SPELL_GAP_SECONDS + 1) * SECOND;
        for (int i = 0; i < 100; i++) {
            progress.replayed();
            now += SECOND;
        }
        assertThat(lines).isEmpty();
    }

    @Test
    void should_write_progress_lines_while_a_runtime_judges_and_none_while_it_replays() {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(r -> Reply.verdict(5, "Same meaning.").afterMillis(20));
            Map<String, String> everyMillisecond = Map.of(LlmJudgeConfig.PROGRESS_INTERVAL, "1ms");
            List<JudgeRequest> rows = IntStream.range(0, 12).mapToObj(i -> new JudgeRequest(Metrics.answerSimilarity(),
                    EvaluationCase.ofAnswer("Answer " + i).withGroundTruth("Truth " + i))).toList();

            try (LlmJudgeRuntime cold = runtime(server, everyMillisecond); var scope = LlmJudgeRuntime.use(cold)) {
                cold.prefetch(rows);
                rows.forEach(JudgingProgressTest::check);
            }
            assertThat(lines).isNotEmpty().allMatch(line -> line.matches(
                    "llm-judge: \\d+ judged, 0 cached(, \\d+ remaining)? \\(\\d+\\.\\d/s(, ETA \\d+s)?\\)"), "progress line");
            assertThat(lines).anyMatch(line -> line.contains(" remaining ") && line.contains(", ETA "));

            lines.clear();
            try (LlmJudgeRuntime warm = runtime(server, everyMillisecond); var scope = LlmJudgeRuntime.use(warm)) {
                warm.prefetch(rows);
                rows.forEach(JudgingProgressTest::check);
            }
            assertThat(lines).isEmpty();
        }
    }

    @Test
    void should_write_no_progress_lines_when_turned_off() {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start();
                LlmJudgeRuntime runtime = runtime(server, Map.of(LlmJudgeConfig.PROGRESS_INTERVAL, "0s"));
                var scope = LlmJudgeRuntime.use(runtime)) {
            server.otherwise(r -> Reply.verdict(5, "Same meaning.").afterMillis(5));
            IntStream.range(0, 5).forEach(i -> check(new JudgeRequest(Metrics.answerSimilarity(),
                    EvaluationCase.ofAnswer("Answer " + i).withGroundTruth("Truth " + i))));
        }
        assertThat(lines).isEmpty();
    }

    @Test
    void should_read_the_progress_interval_with_5s_by_default_and_0s_for_off() {
        assertThat(config(Map.of()).progressInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config(Map.of(LlmJudgeConfig.PROGRESS_INTERVAL, "30s")).progressInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config(Map.of(LlmJudgeConfig.PROGRESS_INTERVAL, "0s")).progressInterval()).isZero();
        assertThatThrownBy(() -> config(Map.of(LlmJudgeConfig.PROGRESS_INTERVAL, "PT-5S")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("invalid value 'PT-5S' for llmjudge.progress.interval: expected a duration of 0s (no progress lines) or more");
    }

    private static LlmJudgeConfig config(Map<String, String> params) {
        return LlmJudgeConfig.resolve(ConfigSources.of(params, Map.of()));
    }

    private LlmJudgeRuntime runtime(OpenAiCompatibleServer server, Map<String, String> overrides) {
        return LlmJudgeRuntime.builder().config(TestRuntimes.config(server, cacheDir, overrides)).apiKey(TestRuntimes.API_KEY)
                .progressTo(lines::add).build();
    }

    private static void check(JudgeRequest row) {
        assertThatAnswer(row.evaluationCase().answer()).isSimilarTo(row.evaluationCase().groundTruth()).withScoreAtLeast(4);
    }
}
