package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.junit.fixtures.PairwiseFixtures;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Received;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "no worse than main" gate: each case's answer against the baseline report's, judged pairwise in both orders, on loopback. */
class PairwiseBaselineGateTest {
    private static final String WORSE = "[worse]";

    @TempDir
    Path cache;

    @TempDir
    Path baselineDir;

    @TempDir
    Path reports;

    private OpenAiCompatibleServer server;

    @BeforeEach
    void start() {
        server = OpenAiCompatibleServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
        PairwiseFixtures.ANSWERS.clear();
    }

    /** A consistent judge: single answers score 5; of two answers, the one marked worse loses wherever it is shown, else a tie. */
    private static Reply judge(Received request) {
        JsonNode shown = request.caseData();
        if (!shown.has("answer_a")) {
            return Reply.verdict(5, "Relevant.");
        }
        boolean aWorse = shown.path("answer_a").asText().contains(WORSE);
        boolean bWorse = shown.path("answer_b").asText().contains(WORSE);
        return aWorse == bWorse ? Reply.verdict(Metric.PAIRWISE_TIE, "Equally good.")
                : Reply.verdict(aWorse ? Metric.PAIRWISE_SECOND_BETTER : Metric.PAIRWISE_FIRST_BETTER, "One answer is worse.");
    }

    private Map<String, String> params(String runId) {
        Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
        params.put("llmjudge.report.run-id", runId);
        return params;
    }

    /** Runs the release fixture once with these answers, as the baseline run, and returns its report.json. */
    private Path baselineRun(Map<String, String> answers) {
        return baselineRun(answers, PairwiseFixtures.Release.class);
    }

    private Path baselineRun(Map<String, String> answers, Class<?> fixture) {
        PairwiseFixtures.ANSWERS.putAll(answers);
        Map<String, String> first = params("main");
        first.put("llmjudge.report.dir", baselineDir.toString());
        LauncherRuns.run(Map.of(), first, fixture);
        return baselineDir.resolve("report.json");
    }

    private LauncherRuns.Run candidateRun(Path baseline, Map<String, String> answers, String maxLossRate) {
        return candidateRun(baseline, answers, maxLossRate, PairwiseFixtures.Release.class);
    }

    private LauncherRuns.Run candidateRun(Path baseline, Map<String, String> answers, String maxLossRate, Class<?> fixture) {
        PairwiseFixtures.ANSWERS.putAll(answers);
        Map<String, String> second = params("branch");
        second.put("llmjudge.report.dir", reports.toString());
        second.put("llmjudge.report.baseline", baseline.toString());
        second.put("llmjudge.gate.pairwise-baseline", "true");
        second.put("llmjudge.gate.max-loss-rate", maxLossRate);
        return LauncherRuns.run(Map.of(), second, fixture);
    }

    private static final Map<String, String> MAIN = Map.of("refund", "Within 30 days of delivery.", "shipping", "Yes, to 40 countries.",
            "password", "Use the 'Forgot password' link.", "hours", "Weekdays 9 to 17.");

    @Test
    void should_fail_the_class_above_the_loss_rate_listing_each_lost_case_with_both_answers() throws IOException {
        server.otherwise(PairwiseBaselineGateTest::judge);
        Path baseline = baselineRun(MAIN);

        LauncherRuns.Run run = candidateRun(baseline, Map.of("refund", "Refunds, maybe, sometimes. " + WORSE,
                "shipping", "Yes, to 40 countries and by express.", "password", "Use the 'Forgot password' link."), "5%");

        assertThat(run.summary().getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(AssertionError.class)
                .hasMessage("quality gate failed for PairwiseFixtures.Release: 1 of 4 cases (25%) lose to the baseline's answers, more"
                        + " than the 5% allowed (0 wins, 3 ties, 1 loss; judged pairwise in both orders against " + baseline + "):"
                        + "\n  PairwiseFixtures$Release > refund()"
                        + "\n    baseline answer: \"Within 30 days of delivery.\""
                        + "\n    answer now:      \"Refunds, maybe, sometimes. [worse]\""));
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.gates()).filteredOn(g -> g.kind().equals(GateResult.PAIRWISE_BASELINE)).singleElement()
                .satisfies(g -> {
                    assertThat(g.passed()).isFalse();
                    assertThat(g.value()).isEqualTo(0.25);
                    assertThat(g.bound()).isEqualTo(0.05);
                });
        List<ReportRow> comparisons = report.rows().stream().filter(r -> r.metric().equals("pairwise_preference")).toList();
        assertThat(comparisons).extracting(ReportRow::testName, ReportRow::outcome, ReportRow::answer, ReportRow::groundTruth)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("PairwiseFixtures$Release > refund()", ReportRow.FAILED,
                                "Refunds, maybe, sometimes. " + WORSE, "Within 30 days of delivery."),
                        org.assertj.core.groups.Tuple.tuple("PairwiseFixtures$Release > shipping()", ReportRow.PASSED,
                                "Yes, to 40 countries and by express.", "Yes, to 40 countries."));
        assertThat(comparisons).allSatisfy(r -> assertThat(r.description()).isEqualTo(PairwiseBaselineGate.DESCRIPTION));
        assertThat(report.baseline().newCases()).as("a comparison with the baseline is no case of its own").isEmpty();
        assertThat(report.baseline().changes()).extracting(RunReport.ScoreChange::metric).containsOnly("answer_relevance");
        assertThat(java.nio.file.Files.readString(reports.resolve("report.html")))
                .contains("<span class=\"label\">Reference answer</span>");
        // 4 checks in the baseline run, the 2 whose answer changed in this one (the others are recorded), and two orders for
        // each of those 2 comparisons: an answer that did not change ties with no request.
        assertThat(server.requests()).hasSize(4 + 2 + 2 * 2);
    }

    @Test
    void should_pass_at_a_loss_rate_within_the_bound() {
        server.otherwise(PairwiseBaselineGateTest::judge);
        Path baseline = baselineRun(MAIN);

        LauncherRuns.Run run = candidateRun(baseline, Map.of("refund", "Refunds, maybe, sometimes. " + WORSE), "25%");

        assertThat(run.summary().getTotalFailureCount()).isZero();
        RunReport report;
        try {
            report = JsonReport.read(reports.resolve("report.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(report.gates()).filteredOn(g -> g.kind().equals(GateResult.PAIRWISE_BASELINE)).singleElement()
                .satisfies(g -> assertThat(g.message()).startsWith("quality gate passed for PairwiseFixtures.Release: 1 of 4 cases (25%)"
                        + " lose to the baseline's answers, at most the 25% allowed (0 wins, 3 ties, 1 loss;"));
    }

    @Test
    void should_count_a_position_biased_judge_as_ties_so_no_case_loses() throws IOException {
        server.otherwise(request -> request.promptText().contains("answer_a")
                ? Reply.verdict(Metric.PAIRWISE_FIRST_BETTER, "The first answer is better.") : Reply.verdict(5, "Relevant."));
        Path baseline = baselineRun(MAIN);

        LauncherRuns.Run run = candidateRun(baseline, Map.of("refund", "Refunds, maybe, sometimes. " + WORSE), "0");

        assertThat(run.summary().getTotalFailureCount()).isZero();
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.gates()).filteredOn(g -> g.kind().equals(GateResult.PAIRWISE_BASELINE)).singleElement()
                .satisfies(g -> assertThat(g.message()).contains("(0 wins, 4 ties, 1 of them position-inconsistent, 0 losses;"));
        assertThat(java.nio.file.Files.readString(reports.resolve("report.html"))).contains("tie (position-inconsistent: the two orders disagree)");
    }

    @Test
    void should_fail_when_cases_are_in_the_baseline_but_none_could_be_compared() throws IOException {
        server.otherwise(PairwiseBaselineGateTest::judge);
        Path baseline = baselineRun(MAIN, PairwiseFixtures.NoQuestion.class);

        LauncherRuns.Run run = candidateRun(baseline, Map.of("refund", "Refunds, maybe, sometimes. " + WORSE,
                "shipping", "No." + WORSE), "5%", PairwiseFixtures.NoQuestion.class);

        assertThat(run.summary().getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("quality gate failed for PairwiseFixtures.NoQuestion: no case could be compared with the baseline's"
                        + " answers in " + baseline + ", so the gate cannot pass (2 cases are in the baseline)\n  not compared:"
                        + " PairwiseFixtures$NoQuestion > ")
                .hasMessageContaining("(its checks name no question: add withQuestion(question))"));
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.gates()).filteredOn(g -> g.kind().equals(GateResult.PAIRWISE_BASELINE)).singleElement()
                .satisfies(g -> {
                    assertThat(g.passed()).isFalse();
                    assertThat(g.value()).isNull();
                });
    }

    @Test
    void should_pass_a_class_none_of_whose_cases_is_in_the_baseline_saying_that_nothing_was_compared() throws IOException {
        server.otherwise(PairwiseBaselineGateTest::judge);
        Path baseline = baselineRun(MAIN, PairwiseFixtures.NoQuestion.class);

        LauncherRuns.Run run = candidateRun(baseline, Map.of(), "5%");

        assertThat(run.summary().getTotalFailureCount()).isZero();
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.gates()).filteredOn(g -> g.kind().equals(GateResult.PAIRWISE_BASELINE)).singleElement()
                .satisfies(g -> {
                    assertThat(g.passed()).isTrue();
                    assertThat(g.value()).isNull();
                    assertThat(g.message()).isEqualTo("quality gate passed for PairwiseFixtures.Release: none of its 4 cases is in the"
                            + " baseline " + baseline + ", so none was compared (new tests, or tests renamed since the baseline)");
                });
    }

    @Test
    void should_compare_and_report_a_nested_classs_case_once() throws IOException {
        server.otherwise(PairwiseBaselineGateTest::judge);
        Path baseline = baselineRun(MAIN, PairwiseFixtures.WithNested.class);

        LauncherRuns.Run run = candidateRun(baseline, Map.of("refund", "Refunds, maybe, sometimes. " + WORSE), "100%",
                PairwiseFixtures.WithNested.class);

        assertThat(run.summary().getTotalFailureCount()).isZero();
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.rows()).filteredOn(r -> PairwiseBaselineGate.DESCRIPTION.equals(r.description()))
                .extracting(ReportRow::testName).containsExactly("PairwiseFixtures$WithNested > Refunds > refund()");
        assertThat(report.gates()).filteredOn(g -> g.kind().equals(GateResult.PAIRWISE_BASELINE)).extracting(GateResult::scope)
                .containsExactlyInAnyOrder("PairwiseFixtures.WithNested", "PairwiseFixtures.WithNested.Refunds");
    }

    private static final Map<String, String> CHANGED = Map.of("refund", "Refunds within a month.", "shipping", "Yes, worldwide.",
            "password", "Click 'Forgot password'.", "hours", "Monday to Friday, 9 to 17.");

    /** A run with the gate on and the requests not recorded collected for a batch (llmjudge.cache.mode=collect). */
    private LauncherRuns.Run collectingRun(Path baseline, Path batches) {
        Map<String, String> collecting = params("branch");
        collecting.put("llmjudge.report.dir", reports.toString());
        collecting.put("llmjudge.report.baseline", baseline.toString());
        collecting.put("llmjudge.gate.pairwise-baseline", "true");
        collecting.put("llmjudge.gate.max-loss-rate", "0");
        collecting.put("llmjudge.cache.mode", "collect");
        collecting.put("llmjudge.batch.dir", batches.toString());
        return LauncherRuns.run(Map.of(), collecting, PairwiseFixtures.Release.class);
    }

    @Test
    void should_not_evaluate_the_gate_of_a_class_whose_checks_were_all_collected_rather_than_pass_it_as_having_no_case_in_the_baseline(
            @TempDir Path batches) throws IOException {
        server.otherwise(PairwiseBaselineGateTest::judge);
        Path baseline = baselineRun(MAIN);
        int requests = server.requests().size();
        PairwiseFixtures.ANSWERS.putAll(CHANGED);

        LauncherRuns.Run run = collectingRun(baseline, batches);

        assertThat(run.summary().getTestsAbortedCount()).as("every check was collected, none judged").isEqualTo(4);
        assertThat(run.summary().getTotalFailureCount()).isZero();
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.gates()).as("no check was judged, so no answer could be compared: the gate is not evaluated, as any gate"
                + " whose checks were all skipped").filteredOn(g -> g.kind().equals(GateResult.PAIRWISE_BASELINE)).isEmpty();
        assertThat(server.requests()).hasSize(requests);
    }

    @Test
    void should_fail_when_every_comparison_of_a_case_in_the_baseline_was_collected_for_a_batch_rather_than_pass_on_0_of_0(
            @TempDir Path batches, @TempDir Path elsewhere) throws IOException {
        server.otherwise(PairwiseBaselineGateTest::judge);
        Path baseline = baselineRun(MAIN);
        // The checks of the changed answers are recorded (a run without the gate), their comparisons with the baseline are not.
        PairwiseFixtures.ANSWERS.putAll(CHANGED);
        Map<String, String> recording = params("recording");
        recording.put("llmjudge.report.dir", elsewhere.toString());
        LauncherRuns.run(Map.of(), recording, PairwiseFixtures.Release.class);
        int requests = server.requests().size();

        LauncherRuns.Run run = collectingRun(baseline, batches);

        String message = "quality gate failed for PairwiseFixtures.Release: no case could be compared with the baseline's answers in "
                + baseline + ", so the gate cannot pass (4 cases are in the baseline)\n  not compared: 4 cases collected for a batch"
                + " (llmjudge.cache.mode=collect)";
        assertThat(run.summary().getFailures()).singleElement().satisfies(f -> assertThat(f.getException())
                .isInstanceOf(AssertionError.class).hasMessage(message));
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.gates()).filteredOn(g -> g.kind().equals(GateResult.PAIRWISE_BASELINE)).singleElement().satisfies(g -> {
            assertThat(g.passed()).isFalse();
            assertThat(g.value()).isNull();
        });
        assertThat(report.rows()).filteredOn(r -> PairwiseBaselineGate.DESCRIPTION.equals(r.description()))
                .as("each comparison is listed, as collected").hasSize(4).allSatisfy(r -> assertThat(r.skipped()).isTrue());
        assertThat(server.requests()).as("nothing judged: the checks replayed, the comparisons collected").hasSize(requests);
    }
}
