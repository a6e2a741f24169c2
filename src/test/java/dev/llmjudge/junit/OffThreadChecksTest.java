package dev.llmjudge.junit;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.internal.report.RunReports;
import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.junit.fixtures.OnlyThroughEngineTestKit;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Checks a test makes on threads it starts: judged and reported, attached to no test, and never left out of a gate silently. */
class OffThreadChecksTest {
    static OpenAiCompatibleServer server;

    @TempDir
    Path cache;

    @BeforeAll
    static void startJudge() {
        server = FixtureRuns.markerJudge();
    }

    @AfterAll
    static void stopJudge() {
        server.close();
    }

    private EngineExecutionResults run(Class<?> fixture) {
        return FixtureRuns.run(fixture, new HashMap<>(FixtureRuns.params(server, cache)));
    }

    @Test
    void should_fail_a_gated_class_whose_test_made_checks_on_threads_it_started_that_its_gate_did_not_count() {
        // On the test's thread one check scores 5 (mean 5 ≥ 4); the three on the executor's threads score 3: the mean of all is 3.5.
        EngineExecutionResults results = run(GatedWithChecksOnAnExecutor.class);

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(GatedWithChecksOnAnExecutor.class),
                finishedWithFailure(instanceOf(AssertionError.class), message(m -> m.equals("quality gate failed for"
                        + " OffThreadChecksTest.GatedWithChecksOnAnExecutor: 3 checks were made on threads that run no test while it ran"
                        + " (e.g. in a parallel stream or on an executor): they are in the report, but no test's entries and none of its"
                        + " gates counted them (answer_similarity on answer \"Four. [score=3]\"; answer_similarity on answer"
                        + " \"Three. [score=3]\"; answer_similarity on answer \"Two. [score=3]\"). Make every check on the test's own"
                        + " thread: get the answers in parallel if need be, then check them one after another (LlmJudgeRuntime.current()"
                        + ".prefetch(requests) judges them ahead, in parallel; JudgedSoftAssertions reports every failure at once)")))));
    }

    @Test
    void should_count_only_the_checks_on_the_tests_thread_in_its_report_entries() {
        EngineExecutionResults results = run(GatedWithChecksOnAnExecutor.class);

        assertThat(FixtureRuns.entriesOf(results, "judgesSeveralAnswers")).hasSize(1);
    }

    @Test
    void should_still_fail_a_gated_class_whose_checks_were_all_made_on_other_threads_saying_why() {
        EngineExecutionResults results = run(GatedWithEveryCheckOnAnExecutor.class);

        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(GatedWithEveryCheckOnAnExecutor.class),
                finishedWithFailure(instanceOf(AssertionError.class), message(m -> m.contains("no check of answer_similarity was made")
                        && m.contains("3 checks were made on threads that run no test while it ran")))));
    }

    @Test
    void should_not_fail_a_class_without_gates_for_checks_made_on_other_threads() {
        EngineExecutionResults results = run(UngatedWithChecksOnAnExecutor.class);

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(UngatedWithChecksOnAnExecutor.class),
                finishedSuccessfully()));
    }

    @Test
    void should_pass_a_gated_class_whose_checks_were_all_made_on_its_tests_threads() {
        EngineExecutionResults results = run(GatedWithEveryCheckOnTheTestsThread.class);

        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(GatedWithEveryCheckOnTheTestsThread.class),
                finishedSuccessfully()));
    }

    @Test
    void should_warn_in_the_report_and_on_the_console_of_checks_made_outside_any_test(@TempDir Path reportDir) throws IOException {
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), FixtureRuns.params(server, cache, reportDir, "gpt-4.1-mini"),
                UngatedWithChecksOnAnExecutor.class);

        RunReport report = JsonReport.read(reportDir.resolve("report.json"));
        assertThat(report.rows()).hasSize(4).filteredOn(r -> r.testId() == null).hasSize(3);
        String warning = "3 checks of 4 were made outside any test (on a thread that runs no test, e.g. in a parallel stream or on an"
                + " executor a test started, or outside a test method): they are in this report, but in no test's entries, and no"
                + " class gate counted them. Make every check on the test's own thread: get the answers in parallel if need be, then"
                + " check them one after another.";
        assertThat(report.warnings()).extracting(RunReport.Warning::kind, RunReport.Warning::message)
                .containsExactly(tuple(RunReports.UNATTACHED_CHECKS_WARNING, warning));
        assertThat(run.console()).contains("llm-judge: warning: " + warning);
    }

    @Test
    void should_list_the_failure_of_a_gated_class_for_checks_made_on_other_threads_among_the_reports_gates(@TempDir Path reportDir)
            throws IOException {
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), FixtureRuns.params(server, cache, reportDir, "gpt-4.1-mini"),
                GatedWithChecksOnAnExecutor.class);

        assertThat(run.summary().getContainersFailedCount()).isEqualTo(1);
        // The mean gate saw the check on the test's thread alone (5); the refusal counts the three it did not see.
        assertThat(JsonReport.read(reportDir.resolve("report.json")).gates())
                .extracting(GateResult::kind, GateResult::value, GateResult::passed)
                .containsExactly(tuple(GateResult.CLASS, 5.0, true), tuple(GateResult.UNATTACHED_CHECKS, 3.0, false));
    }

    @Test
    void should_not_warn_of_checks_outside_tests_when_every_check_was_made_on_its_tests_thread(@TempDir Path reportDir)
            throws IOException {
        LauncherRuns.run(Map.of(), FixtureRuns.params(server, cache, reportDir, "gpt-4.1-mini"), GatedWithEveryCheckOnTheTestsThread.class);

        assertThat(JsonReport.read(reportDir.resolve("report.json")).warnings()).isEmpty();
    }

    /** Makes each check on a thread of its own, and waits for them all; a failing check fails the test. */
    static void onAnExecutor(List<String> answers) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(answers.size());
        try {
            List<Future<?>> checks = answers.stream().<Future<?>>map(a -> executor.submit(
                    () -> assertThatAnswer(a).isSimilarTo("Truth").withScoreAtLeast(3))).toList();
            for (Future<?> check : checks) {
                check.get();
            }
        } finally {
            executor.shutdown();
        }
    }

    static final List<String> SCORED_3 = List.of("Two. [score=3]", "Three. [score=3]", "Four. [score=3]");

    @ExtendWith(OnlyThroughEngineTestKit.class)
    @QualityGate(metric = "answer_similarity", minMean = 4)
    static class GatedWithChecksOnAnExecutor {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void judgesSeveralAnswers() throws Exception {
            assertThatAnswer("One. [score=5]").isSimilarTo("Truth").withScoreAtLeast(3);
            onAnExecutor(SCORED_3);
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    @QualityGate(metric = "answer_similarity", minMean = 4)
    static class GatedWithEveryCheckOnAnExecutor {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void judgesSeveralAnswers() throws Exception {
            onAnExecutor(SCORED_3);
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class UngatedWithChecksOnAnExecutor {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void judgesSeveralAnswers() throws Exception {
            assertThatAnswer("One. [score=5]").isSimilarTo("Truth").withScoreAtLeast(3);
            onAnExecutor(SCORED_3);
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    @QualityGate(metric = "answer_similarity", minMean = 4)
    static class GatedWithEveryCheckOnTheTestsThread {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void judgesSeveralAnswers() {
            assertThatAnswer("One. [score=5]").isSimilarTo("Truth").withScoreAtLeast(3);
            assertThatAnswer("Two. [score=4]").isSimilarTo("Truth").withScoreAtLeast(3);
        }
    }
}
