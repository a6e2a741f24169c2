package dev.llmjudge.junit;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static dev.llmjudge.junit.JudgeAssertions.assertThatJudge;
import static dev.llmjudge.probe.BiasProbes.assertThatMetric;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmjudge.internal.check.CallOutsideCheck;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.Pricing;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.junit.fixtures.OnlyThroughEngineTestKit;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.probe.Rewrite;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Judge calls that are billed but are in no check's row (the call that writes a metric's evaluation steps, verdicts judged
 * ahead that no check takes, the verdicts of a calibration against human labels, of a bias probe or of {@code Judging.grade})
 * are counted in the report's tokens and cost and listed, through a loopback server and the
 * report listener; a verdict judged ahead is recorded, so the next run does not pay for it again.
 */
class CallsOutsideChecksTest {
    private static final String MODEL = "gpt-4.1";
    private static final Set<String> SKIPPED_ROWS = Set.of("q21", "q22", "q23", "q24");
    /** The answers of rows q21 to q24. */
    private static final Pattern LAST_ROWS = Pattern.compile("Paris is capital 2[1-4]\\.");
    /** Counted down by each request of rows q21 to q24 that the server received, when a test waits for them; else {@code null}. */
    private static volatile CountDownLatch lastRowsAsked;

    @TempDir
    Path cache;

    @TempDir
    Path reports;

    /** The second run's report: the parts of one JVM's runs into one directory would be merged. */
    @TempDir
    Path nextReports;

    @Test
    void should_count_the_call_that_wrote_a_metrics_evaluation_steps_in_the_reports_tokens_and_cost() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(r -> r.promptText().contains("This is not a grading task")
                    ? Reply.verdict(1, "1. Read the answer.\n2. Judge its tone.").withUsage(300, 0, 40)
                    : Reply.verdict(5, "Polite.").withUsage(1_000, 0, 20));

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(server), StepsMetric.class);

            assertThat(run.summary().getTestsSucceededCount()).isEqualTo(1);
            assertThat(server.requestCount()).as("the steps written, then the check judged").isEqualTo(2);
            RunReport report = JsonReport.read(reports.resolve("report.json"));
            assertThat(report.rows()).singleElement().satisfies(row -> {
                assertThat(row.outcome()).isEqualTo(ReportRow.PASSED);
                assertThat(row.promptTokens()).isEqualTo(1_000);
                assertThat(row.completionTokens()).isEqualTo(20);
            });
            assertThat(report.callsOutsideChecks()).containsExactly(
                    new CallOutsideCheck(CallOutsideCheck.EVALUATION_STEPS, "polite_tone", MODEL, 300, 0, 40, null));
            assertThat(report.totals().tokens()).isEqualTo(1_020 + 340);
            double paid = Pricing.estimateUsd(MODEL, 1_000, 20).orElseThrow() + Pricing.estimateUsd(MODEL, 300, 40).orElseThrow();
            assertThat(report.totals().estimatedCostUsd()).isCloseTo(paid, within(1e-9));
            assertThat(run.console()).contains("1,360 tokens");
            assertThat(Files.readString(reports.resolve("summary.md"))).contains("1,360 tokens", "The tokens and cost include 1 billed judge call"
                    + " outside any check: evaluation steps (polite\\_tone): 1 call, 340 tokens");
            assertThat(Files.readString(reports.resolve("report.html"))).contains("<p class=\"note\" id=\"calls-outside-checks\">The tokens"
                    + " and cost include 1 billed judge call outside any check: evaluation steps (polite_tone): 1 call, 340 tokens");

            LauncherRuns.Run again = LauncherRuns.run(Map.of(), params(server, nextReports), StepsMetric.class);

            assertThat(again.summary().getTestsSucceededCount()).isEqualTo(1);
            assertThat(server.requestCount()).as("the steps and the verdict are recorded").isEqualTo(2);
            RunReport replayed = JsonReport.read(nextReports.resolve("report.json"));
            assertThat(replayed.callsOutsideChecks()).isEmpty();
            assertThat(replayed.totals().tokens()).isZero();
            assertThat(Files.readString(nextReports.resolve("report.html"))).doesNotContain("calls-outside-checks");
        }
    }

    @Test
    void should_count_the_verdicts_judged_ahead_for_rows_whose_tests_were_skipped_and_record_them_for_the_next_run() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            // The skipped rows' calls are still under way when the run ends: they were sent, and are billed.
            server.otherwise(r -> {
                boolean last = LAST_ROWS.matcher(r.promptText()).find();
                CountDownLatch asked = lastRowsAsked;
                if (last && asked != null) {
                    asked.countDown();
                }
                return Reply.verdict(5, "Same meaning.").withUsage(500, 0, 10).afterMillis(last ? 800 : 20);
            });
            // The skipped rows' tests end once each of their calls was sent: a call not sent when the run's judge closes is
            // not sent at all.
            lastRowsAsked = new CountDownLatch(SKIPPED_ROWS.size());

            LauncherRuns.Run run;
            try {
                run = LauncherRuns.run(Map.of(), params(server), SkipsItsLastRows.class);
            } finally {
                lastRowsAsked = null;
            }

            assertThat(run.summary().getTestsSucceededCount()).isEqualTo(20);
            assertThat(run.summary().getTestsAbortedCount()).isEqualTo(SKIPPED_ROWS.size());
            assertThat(server.requestCount()).as("every row judged ahead, once").isEqualTo(24);
            RunReport report = JsonReport.read(reports.resolve("report.json"));
            assertThat(report.rows()).hasSize(20);
            assertThat(report.callsOutsideChecks()).hasSize(SKIPPED_ROWS.size()).containsOnly(
                    new CallOutsideCheck(CallOutsideCheck.JUDGED_AHEAD_UNTAKEN, "answer_similarity", MODEL, 500, 0, 10, null));
            assertThat(report.totals().tokens()).as("the 20 checks' verdicts and the 4 no check took").isEqualTo(24 * 510);
            assertThat(Files.readString(reports.resolve("summary.md"))).contains("The tokens and cost include 4 billed judge calls outside"
                    + " any check: judged ahead, taken by no check (answer\\_similarity): 4 calls, 2,040 tokens");

            LauncherRuns.Run again = LauncherRuns.run(Map.of(), params(server, nextReports), SkipsItsLastRows.class);

            assertThat(again.summary().getTestsSucceededCount()).isEqualTo(20);
            assertThat(server.requestCount()).as("the skipped rows' verdicts were recorded, so nothing is paid for again").isEqualTo(24);
            assertThat(JsonReport.read(nextReports.resolve("report.json")).callsOutsideChecks()).isEmpty();
        }
    }

    @Test
    void should_count_the_calls_judged_ahead_that_failed_after_being_billed_for_rows_whose_tests_were_skipped() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            // The skipped rows get two replies with no verdict each (the first and its retry): billed, and no verdict.
            server.otherwise(r -> {
                boolean last = LAST_ROWS.matcher(r.promptText()).find();
                CountDownLatch asked = lastRowsAsked;
                if (last && asked != null) {
                    asked.countDown();
                }
                return (last ? Reply.content("I cannot grade this.") : Reply.verdict(5, "Same meaning.")).withUsage(500, 0, 10);
            });
            // The skipped rows' tests end once both asks of every skipped row were sent: an ask not sent when the run's judge
            // closes is not sent at all, which a loaded machine would otherwise make of this test's count.
            lastRowsAsked = new CountDownLatch(2 * SKIPPED_ROWS.size());

            LauncherRuns.Run run;
            try {
                run = LauncherRuns.run(Map.of(), params(server), SkipsItsLastRows.class);
            } finally {
                lastRowsAsked = null;
            }

            assertThat(run.summary().getTestsSucceededCount()).isEqualTo(20);
            assertThat(server.requestCount()).as("20 rows judged once, the 4 skipped ones twice").isEqualTo(28);
            RunReport report = JsonReport.read(reports.resolve("report.json"));
            assertThat(report.callsOutsideChecks()).hasSize(SKIPPED_ROWS.size()).containsOnly(
                    new CallOutsideCheck(CallOutsideCheck.JUDGED_AHEAD_FAILED_UNTAKEN, "answer_similarity", MODEL, 1_000, 0, 20, null));
            assertThat(report.totals().tokens()).as("every reply the server gave").isEqualTo(28 * 510);
            assertThat(Files.readString(reports.resolve("summary.md"))).contains("The tokens and cost include 4 billed judge calls outside"
                    + " any check: judged ahead and failed, taken by no check (answer\\_similarity): 4 calls, 4,080 tokens");
        }
    }

    @Test
    void should_count_the_verdicts_a_calibration_against_human_labels_judged_and_none_when_it_replays_them() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(r -> FixtureRuns.BY_MARKER.apply(r).withUsage(400, 0, 10));

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(server), Calibrates.class);

            assertThat(run.summary().getTestsSucceededCount()).isEqualTo(1);
            assertThat(server.requestCount()).as("one verdict per labelled row").isEqualTo(6);
            RunReport report = JsonReport.read(reports.resolve("report.json"));
            assertThat(report.rows()).isEmpty();
            assertThat(report.callsOutsideChecks()).hasSize(6).containsOnly(
                    new CallOutsideCheck("calibration against human labels", "answer_similarity", MODEL, 400, 0, 10, null));
            assertThat(report.totals().tokens()).isEqualTo(6 * 410);
            assertThat(report.totals().estimatedCostUsd()).isCloseTo(6 * Pricing.estimateUsd(MODEL, 400, 10).orElseThrow(), within(1e-9));
            assertThat(Files.readString(reports.resolve("summary.md"))).contains("The tokens and cost include 6 billed judge calls outside"
                    + " any check: calibration against human labels (answer\\_similarity): 6 calls, 2,460 tokens");

            LauncherRuns.Run again = LauncherRuns.run(Map.of(), params(server, nextReports), Calibrates.class);

            assertThat(again.summary().getTestsSucceededCount()).isEqualTo(1);
            assertThat(server.requestCount()).as("the rows' verdicts are recorded").isEqualTo(6);
            RunReport replayed = JsonReport.read(nextReports.resolve("report.json"));
            assertThat(replayed.callsOutsideChecks()).isEmpty();
            assertThat(replayed.totals().tokens()).isZero();
        }
    }

    @Test
    void should_count_the_verdicts_a_bias_probe_judged_also_the_billed_replies_of_a_judgement_that_failed() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            // The padded second answer gets two replies without a verdict (the first and its retry): billed, and no verdict.
            server.otherwise(r -> (r.promptText().contains("Paris is in France") && r.promptText().contains(PADDING)
                    ? Reply.content("I cannot grade this.") : FixtureRuns.BY_MARKER.apply(r)).withUsage(300, 0, 20));

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(server), Probes.class);

            assertThat(run.summary().getTestsFailedCount()).as("the probe got no verdict for one pair").isEqualTo(1);
            assertThat(server.requestCount()).as("two cases as they are and padded, the failing one asked twice").isEqualTo(5);
            RunReport report = JsonReport.read(reports.resolve("report.json"));
            assertThat(report.rows()).isEmpty();
            assertThat(report.callsOutsideChecks()).hasSize(4)
                    .filteredOn(call -> call.what().equals("bias probe")).hasSize(3)
                    .containsOnly(new CallOutsideCheck("bias probe", "answer_similarity", MODEL, 300, 0, 20, null));
            assertThat(report.callsOutsideChecks()).filteredOn(call -> call.what().equals("bias probe, failed"))
                    .containsExactly(new CallOutsideCheck("bias probe, failed", "answer_similarity", MODEL, 600, 0, 40, null));
            assertThat(report.totals().tokens()).as("every reply the server gave").isEqualTo(5 * 320);
        }
    }

    @Test
    void should_count_the_verdicts_graded_without_a_check_and_the_billed_replies_of_a_grade_that_failed() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(r -> (r.promptText().contains("Nobody knows.") ? Reply.content("I cannot grade this.")
                    : Reply.verdict(4, "Close.")).withUsage(250, 0, 5));

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(server), Grades.class);

            assertThat(run.summary().getTestsSucceededCount()).isEqualTo(2);
            assertThat(server.requestCount()).as("one grade, and one asked twice").isEqualTo(3);
            RunReport report = JsonReport.read(reports.resolve("report.json"));
            assertThat(report.rows()).isEmpty();
            assertThat(report.callsOutsideChecks()).containsExactlyInAnyOrder(
                    new CallOutsideCheck("graded without a check", "answer_similarity", MODEL, 250, 0, 5, null),
                    new CallOutsideCheck("graded without a check, failed", "answer_similarity", MODEL, 500, 0, 10, null));
            assertThat(report.totals().tokens()).as("every reply the server gave").isEqualTo(3 * 255);
        }
    }

    private Map<String, String> params(OpenAiCompatibleServer server) {
        return params(server, reports);
    }

    private Map<String, String> params(OpenAiCompatibleServer server, Path reportDir) {
        return FixtureRuns.params(server, cache, reportDir, MODEL);
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class StepsMetric {
        @RegisterExtension
        static final LlmJudgeExtension JUDGE = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void politeAnswer() {
            assertThatAnswer("Thank you for asking!").judgedBy(Metrics.withSteps("polite_tone", "answers in a polite tone")).withScoreAtLeast(4);
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class SkipsItsLastRows {
        @RegisterExtension
        static final LlmJudgeExtension JUDGE = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @ParameterizedTest
        @JudgeDataset(value = "prefetch/qa-24.jsonl", prefetch = "answer_similarity")
        void answersLikeTheReference(DatasetRow row) throws InterruptedException {
            CountDownLatch asked = lastRowsAsked;
            if (asked != null && SKIPPED_ROWS.contains(row.id())) {
                asked.await(10, TimeUnit.SECONDS);
            }
            Assumptions.assumeFalse(SKIPPED_ROWS.contains(row.id()), "not checked in this run");
            assertThatAnswer(row.answer()).isSimilarTo(row.groundTruth()).withScoreAtLeast(4);
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class Calibrates {
        @RegisterExtension
        static final LlmJudgeExtension JUDGE = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void agreesWithThePeople() {
            assertThatJudge(Metrics.answerSimilarity()).againstHumanLabels("calibration/agreeing.jsonl").hasWeightedKappaAtLeast(0.9);
        }
    }

    /** What the probe's default padding adds to an answer. */
    static final String PADDING = Rewrite.NEUTRAL_OPENING.get(0);

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class Probes {
        @RegisterExtension
        static final LlmJudgeExtension JUDGE = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void isNotSwayedByPadding() {
            assertThatMetric(Metrics.answerSimilarity()).onCases(List.of(
                    EvaluationCase.ofAnswer("The capital is Paris. [score=3]").withGroundTruth("Paris is the capital of France."),
                    EvaluationCase.ofAnswer("Paris is in France. [score=2]").withGroundTruth("Paris is the capital of France.")))
                    .isNotSwayedByVerbosity();
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class Grades {
        @RegisterExtension
        static final LlmJudgeExtension JUDGE = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void grades(Judging judging) {
            assertThat(judging.grade(Metrics.answerSimilarity(), EvaluationCase.ofAnswer("Paris.").withGroundTruth("Paris is the capital."))
                    .score()).isEqualTo(4);
        }

        @Test
        void gradesWithoutAVerdict(Judging judging) {
            assertThatThrownBy(() -> judging.grade(Metrics.answerSimilarity(),
                    EvaluationCase.ofAnswer("Nobody knows.").withGroundTruth("Paris is the capital."))).isInstanceOf(JudgeException.class);
        }
    }
}
