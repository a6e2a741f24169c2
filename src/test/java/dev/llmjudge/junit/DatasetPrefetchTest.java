package dev.llmjudge.junit;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** {@code @JudgeDataset(prefetch = ...)} through the Jupiter engine: every row judged once, ahead, within the cap. */
class DatasetPrefetchTest {
    private static final int ROWS = 24;
    private static final int CAP = 3;
    private static final String FIXTURE_RUN = "llmjudge.test.dataset-prefetch-fixture";

    @TempDir
    Path cacheDir;

    private OpenAiCompatibleServer server;

    @BeforeEach
    void startServer() {
        server = OpenAiCompatibleServer.start().otherwise(r -> Reply.verdict(5, "Same meaning.").afterMillis(40));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void should_judge_every_row_ahead_when_junit_runs_the_rows_one_after_another() {
        EngineExecutionResults results = run(Prefetched.class, Map.of());

        results.testEvents().assertStatistics(s -> s.started(ROWS).succeeded(ROWS));
        assertThat(server.requestCount()).isEqualTo(ROWS);
        assertThat(server.maxConcurrentRequests()).as("requests in flight at once while the rows run one by one")
                .isBetween(2, LlmJudgeRuntime.DEFAULT_PREFETCH_PARALLELISM);
    }

    @Test
    void should_report_each_row_judged_ahead_as_judged_in_this_run_though_its_check_leaves_out_the_rows_question() {
        EngineExecutionResults results = run(Prefetched.class, Map.of());

        List<Map<String, String>> checks = results.allEvents().reportingEntryPublished().stream()
                .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs()).filter(entry -> entry.containsKey("metric")).toList();
        assertThat(checks).hasSize(ROWS).extracting(entry -> entry.get("cached")).as("whether each check's verdict was recorded before the run")
                .containsOnly("false");
        assertThat(server.requestCount()).isEqualTo(ROWS);
    }

    @Test
    void should_judge_ahead_no_more_rows_at_once_than_the_concurrency_cap() {
        EngineExecutionResults results = run(Prefetched.class, Map.of("llmjudge.judge.max-concurrency", String.valueOf(CAP)));

        results.testEvents().assertStatistics(s -> s.started(ROWS).succeeded(ROWS));
        assertThat(server.requestCount()).isEqualTo(ROWS);
        assertThat(server.maxConcurrentRequests()).isBetween(2, CAP);
    }

    @Test
    void should_judge_one_row_at_a_time_without_prefetch() {
        EngineExecutionResults results = run(NotPrefetched.class, Map.of());

        results.testEvents().assertStatistics(s -> s.started(ROWS).succeeded(ROWS));
        assertThat(server.requestCount()).isEqualTo(ROWS);
        assertThat(server.maxConcurrentRequests()).isEqualTo(1);
    }

    @Test
    void should_judge_each_row_once_and_stay_within_the_cap_under_parallel_execution() {
        EngineExecutionResults results = run(Prefetched.class, Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "8",
                "llmjudge.judge.max-concurrency", String.valueOf(CAP)));

        results.testEvents().assertStatistics(s -> s.started(ROWS).succeeded(ROWS));
        assertThat(server.requestCount()).isEqualTo(ROWS);
        assertThat(server.maxConcurrentRequests()).isBetween(2, CAP);
    }

    @Test
    void should_send_nothing_when_every_row_is_recorded() {
        run(Prefetched.class, Map.of());
        int recorded = server.requestCount();

        EngineExecutionResults again = run(Prefetched.class, Map.of());

        again.testEvents().assertStatistics(s -> s.succeeded(ROWS));
        assertThat(recorded).isEqualTo(ROWS);
        assertThat(server.requestCount()).isEqualTo(ROWS);
    }

    @Test
    void should_judge_ahead_only_the_good_rows_and_fail_the_bad_row_on_its_own() {
        server.otherwise(r -> Reply.verdict(5, "Same meaning.").afterMillis(300));

        EngineExecutionResults results = run(PrefetchedWithBadRow.class, Map.of());

        results.testEvents().assertStatistics(s -> s.started(3).succeeded(2).failed(1));
        results.testEvents().assertThatEvents().haveExactly(1, finishedWithFailure(instanceOf(DatasetException.class),
                message("prefetch/qa-3-bad-line-2.jsonl:2:1: missing \"ground_truth\"")));
        assertThat(server.requests()).extracting(r -> r.promptText().contains("Paris is capital 1.") ? 1
                : r.promptText().contains("Paris is capital 3.") ? 3 : 0).as("rows judged").containsExactlyInAnyOrder(1, 3);
        assertThat(server.maxConcurrentRequests()).as("the two good rows judged ahead, at once").isEqualTo(2);
    }

    @Test
    void should_name_the_built_in_metrics_when_prefetch_names_an_unknown_one() {
        EngineExecutionResults results = run(UnknownPrefetchMetric.class, Map.of());

        results.containerEvents().assertThatEvents().haveExactly(1, finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                message("@JudgeDataset(prefetch) names the metric 'similarity' on prefetch/qa-24.jsonl; the metrics that can be judged"
                        + " ahead are the built-in ones: answer_similarity, answer_correctness, faithfulness, answer_relevance, relevance")));
        assertThat(server.requestCount()).isZero();
    }

    private EngineExecutionResults run(Class<?> fixture, Map<String, String> extra) {
        Map<String, String> params = new HashMap<>(extra);
        params.put(FIXTURE_RUN, "true");
        params.put("llmjudge.judge.base-url", server.baseUrl());
        params.put("llmjudge.cache.dir", cacheDir.toString());
        params.put("llmjudge.progress.interval", "0s");
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).configurationParameters(params).execute();
    }

    /** Runs the fixtures only when this test starts them, not when a build or an IDE finds them. */
    static final class OnlyAsFixture implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(FIXTURE_RUN).isPresent()
                    ? ConditionEvaluationResult.enabled("run by DatasetPrefetchTest")
                    : ConditionEvaluationResult.disabled("a fixture of DatasetPrefetchTest");
        }
    }

    @ExtendWith(OnlyAsFixture.class)
    static class Prefetched {
        @RegisterExtension
        static final LlmJudgeExtension JUDGE = LlmJudgeExtension.newInstance().apiKey(TestRuntimes.API_KEY).build();

        @ParameterizedTest
        @JudgeDataset(value = "prefetch/qa-24.jsonl", prefetch = "answer_similarity")
        void answersLikeTheReference(DatasetRow row) {
            assertThatAnswer(row.answer()).isSimilarTo(row.groundTruth()).withScoreAtLeast(4);
        }
    }

    @ExtendWith(OnlyAsFixture.class)
    static class NotPrefetched {
        @RegisterExtension
        static final LlmJudgeExtension JUDGE = LlmJudgeExtension.newInstance().apiKey(TestRuntimes.API_KEY).build();

        @ParameterizedTest
        @JudgeDataset("prefetch/qa-24.jsonl")
        void answersLikeTheReference(DatasetRow row) {
            assertThatAnswer(row.answer()).isSimilarTo(row.groundTruth()).withScoreAtLeast(4);
        }
    }

    @ExtendWith(OnlyAsFixture.class)
    static class PrefetchedWithBadRow {
        @RegisterExtension
        static final LlmJudgeExtension JUDGE = LlmJudgeExtension.newInstance().apiKey(TestRuntimes.API_KEY).build();

        @ParameterizedTest
        @JudgeDataset(value = "prefetch/qa-3-bad-line-2.jsonl", prefetch = "answer_similarity")
        void answersLikeTheReference(DatasetRow row) {
            assertThatAnswer(row.answer()).isSimilarTo(row.groundTruth()).withScoreAtLeast(4);
        }
    }

    @ExtendWith(OnlyAsFixture.class)
    static class UnknownPrefetchMetric {
        @RegisterExtension
        static final LlmJudgeExtension JUDGE = LlmJudgeExtension.newInstance().apiKey(TestRuntimes.API_KEY).build();

        @ParameterizedTest
        @JudgeDataset(value = "prefetch/qa-24.jsonl", prefetch = "similarity")
        void answersLikeTheReference(DatasetRow row) {
            assertThatAnswer(row.answer()).isSimilarTo(row.groundTruth()).withScoreAtLeast(4);
        }
    }
}
