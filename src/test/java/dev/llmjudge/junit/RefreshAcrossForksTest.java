package dev.llmjudge.junit;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.junit.fixtures.OnlyThroughEngineTestKit;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code refresh} mode judges a case again once per run also when the run is several Surefire forks: each fork is a test JVM of
 * its own (here a launcher session of its own, which is all a fork shares with the others: the files and the run id), and a
 * fork that checks a case another fork of the run refreshed before takes the verdict recorded, through a loopback server.
 */
class RefreshAcrossForksTest {
    private static final String CRITERION = "answers in a polite tone";

    @TempDir
    Path cache;

    @TempDir
    Path reports;

    private Map<String, String> params(OpenAiCompatibleServer server, String mode, String runId) {
        Map<String, String> params = FixtureRuns.params(server, cache);
        params.put(LlmJudgeConfig.CACHE_MODE, mode);
        params.put(LlmJudgeConfig.REPORT_DIR, reports.toString());
        params.put(LlmJudgeConfig.REPORT_RUN_ID, runId);
        return params;
    }

    @Test
    void should_judge_a_case_two_forks_of_one_run_check_once_in_refresh_mode_and_again_in_the_next_run() {
        try (OpenAiCompatibleServer server = FixtureRuns.markerJudge()) {
            assertThat(LauncherRuns.run(Map.of(), params(server, "auto", "build-6"), Fixtures.SameCaseGated.class)
                    .summary().getTestsSucceededCount()).isEqualTo(1);
            int recorded = server.requestCount();

            LauncherRuns.Run firstFork = LauncherRuns.run(Map.of(), params(server, "refresh", "build-7"), Fixtures.SameCaseGated.class);
            LauncherRuns.Run secondFork = LauncherRuns.run(Map.of(), params(server, "refresh", "build-7"), Fixtures.SameCaseTwice.class);

            assertThat(firstFork.summary().getTestsSucceededCount() + secondFork.summary().getTestsSucceededCount()).isEqualTo(3);
            assertThat(server.requestCount() - recorded).as("requests of the two forks of the refresh run for the one case they check")
                    .isEqualTo(1);

            int refreshed = server.requestCount();
            LauncherRuns.run(Map.of(), params(server, "refresh", "build-8"), Fixtures.SameCaseTwice.class);
            assertThat(server.requestCount() - refreshed).as("requests of the next refresh run, a build of its own").isEqualTo(1);
        }
    }

    @Test
    void should_write_the_evaluation_steps_once_for_two_forks_of_one_run_so_that_the_verdicts_of_both_replay() {
        AtomicInteger stepsWritten = new AtomicInteger();
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            // Steps worded differently each time they are written, as a model at a temperature above 0 writes them.
            server.otherwise(r -> r.promptText().contains("This is not a grading task")
                    ? Reply.verdict(1, "1. Read the answer (draft " + stepsWritten.incrementAndGet() + ").\n2. Judge its tone.")
                    : Reply.verdict(5, "Polite."));
            LauncherRuns.run(Map.of(), params(server, "auto", "build-6"), PoliteThanks.class, PoliteWelcome.class);
            int recorded = server.requestCount();

            LauncherRuns.Run firstFork = LauncherRuns.run(Map.of(), params(server, "refresh", "build-7"), PoliteThanks.class);
            LauncherRuns.Run secondFork = LauncherRuns.run(Map.of(), params(server, "refresh", "build-7"), PoliteWelcome.class);

            assertThat(firstFork.summary().getTestsSucceededCount() + secondFork.summary().getTestsSucceededCount()).isEqualTo(2);
            long stepsAsked = server.requests().subList(recorded, server.requestCount()).stream()
                    .filter(r -> r.promptText().contains("This is not a grading task")).count();
            int refreshed = server.requestCount();

            LauncherRuns.Run replay = LauncherRuns.run(Map.of(), params(server, "replay", "build-8"), PoliteThanks.class, PoliteWelcome.class);

            assertThat(replay.summary().getTestsFailedCount())
                    .as("checks of the next run that find no verdict: recorded under steps the steps file no longer holds").isZero();
            assertThat(replay.summary().getTestsSucceededCount()).isEqualTo(2);
            assertThat(server.requestCount()).isEqualTo(refreshed);
            assertThat(stepsAsked).as("the steps asked for in the refresh run of two forks").isEqualTo(1);
            assertThat(refreshed - recorded).as("the refresh run's requests: the steps once, then each fork's verdict").isEqualTo(3);
        }
    }

    private static Metric polite() {
        return Metrics.withSteps("polite_tone", CRITERION);
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class PoliteThanks {
        @RegisterExtension
        static final LlmJudgeExtension JUDGE = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void thanks() {
            assertThatAnswer("Thank you for asking!").judgedBy(polite()).withScoreAtLeast(4);
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class PoliteWelcome {
        @RegisterExtension
        static final LlmJudgeExtension JUDGE = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void welcome() {
            assertThatAnswer("You are most welcome.").judgedBy(polite()).withScoreAtLeast(4);
        }
    }
}
