package dev.llmjudge.junit;

import static dev.llmjudge.junit.FixtureRuns.entriesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.junit.fixtures.SampledFixtures;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.TestAbortedException;

/**
 * Unstable checks in JUnit: marked in their report entry, in report.json, the HTML and Markdown
 * reports and the closing line; aborted by {@code @LlmJudgeTest(onUnstable = ABORT)}; gated by
 * {@code @QualityGate(maxUnstable = ...)} and {@code llmjudge.gate.max-unstable}. The judge gives
 * the sample scores the {@code [scores=...]} marker of each answer names.
 */
class UnstableChecksTest {
    static OpenAiCompatibleServer server;

    @TempDir
    Path cache;

    @TempDir
    Path reports;

    @BeforeAll
    static void startJudge() {
        server = FixtureRuns.markerJudge();
    }

    @AfterAll
    static void stopJudge() {
        server.close();
    }

    private Map<String, String> params(Map<String, String> extra) {
        Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
        params.put("llmjudge.report.dir", reports.toString());
        params.put("llmjudge.report.run-id", "unstable-" + System.nanoTime());
        params.putAll(extra);
        return params;
    }

    @Test
    void should_mark_an_unstable_check_in_its_report_entry_and_pass_it_by_its_median() {
        EngineExecutionResults results = FixtureRuns.run(SampledFixtures.OneUnstable.class, params(Map.of()));

        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0).aborted(0));
        assertThat(entriesOf(results, "unstable()")).singleElement().satisfies(entry -> assertThat(entry)
                .containsEntry("outcome", "PASSED").containsEntry("score", "5").containsEntry("threshold", "4")
                .containsEntry("samples", "5, 2, 5").containsEntry("unstable", "true"));
        assertThat(entriesOf(results, "stable()")).singleElement().satisfies(entry -> assertThat(entry)
                .containsEntry("samples", "5, 5, 4").doesNotContainKey("unstable"));
    }

    @Test
    void should_mark_it_in_report_json_the_html_and_markdown_reports_and_count_it_in_the_closing_line() throws IOException {
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(Map.of()), SampledFixtures.OneUnstable.class);

        assertThat(run.console()).isEqualTo("llm-judge: 2 verdicts (0 cached, 2 judged), 0 below threshold, 1 unstable, 0 errors,"
                + " 300 tokens, <$0.01 — " + reports.resolve("report.html") + System.lineSeparator());
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.rows()).extracting(ReportRow::testName, ReportRow::unstable, ReportRow::samples).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("SampledFixtures$OneUnstable > unstable()", true, List.of(5, 2, 5)),
                org.assertj.core.groups.Tuple.tuple("SampledFixtures$OneUnstable > stable()", false, List.of(5, 5, 4)));
        assertThat(report.totals().unstable()).isEqualTo(1);
        JsonNode row = new ObjectMapper().readTree(reports.resolve("report.json").toFile()).path("rows").get(0);
        assertThat(row.has("unstable")).isTrue();
        assertThat(row.path("samples").isArray()).isTrue();
        assertThat(Files.readString(reports.resolve("summary.md"))).startsWith("## LLM judge: 2 verdicts, 0 below threshold, 1 unstable, 0 errors\n")
                .contains("### Unstable: samples on both sides of the threshold\n\n- **PASSED** answer\\_similarity samples 5, 2, 5,"
                        + " threshold 4 — SampledFixtures$OneUnstable &gt; unstable()\n");
        assertThat(Files.readString(reports.resolve("report.html"))).contains("<dt>Unstable</dt><dd>1</dd>",
                "<span class=\"sub unstable\">unstable: samples on both sides of the threshold</span>",
                "<span class=\"sub samples\">median of 5, 2, 5</span>");
    }

    @Test
    void should_abort_an_unstable_check_of_a_class_that_asks_for_it_with_every_sample_score() throws IOException {
        EngineExecutionResults results = FixtureRuns.run(SampledFixtures.AbortsUnstable.class, params(Map.of()));

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0).aborted(1));
        results.testEvents().assertThatEvents().haveExactly(1, event(test("unstable"), abortedWithReason(instanceOf(TestAbortedException.class),
                message(m -> m.startsWith("aborted: the check of answer_similarity (v1) on answer \"Paris, or maybe Lyon. [scores=5,2,5]\" is"
                        + " unstable at threshold 4: samples 5, 2, 5 (median 5, 3 of 3 drawn in one request with n)")
                        && m.contains("(llmjudge.judge.on-unstable=abort)")))));
        assertThat(entriesOf(results, "unstable()")).singleElement().satisfies(entry -> assertThat(entry)
                .containsEntry("outcome", "SKIPPED").containsEntry("samples", "5, 2, 5").containsEntry("unstable", "true")
                .doesNotContainKey("score"));

        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(Map.of()), SampledFixtures.AbortsUnstable.class);
        assertThat(run.console()).contains("1 verdict (1 cached, 0 judged), 0 below threshold, 1 unstable, 0 errors, 1 skipped,");
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.rows()).filteredOn(ReportRow::skipped).singleElement().satisfies(r -> {
            assertThat(r.unstable()).isTrue();
            assertThat(r.samples()).containsExactly(5, 2, 5);
            assertThat(r.score()).isNull();
        });
        assertThat(report.metrics().get("answer_similarity").passed()).as("an aborted check is neither a pass nor a failure").isEqualTo(1);
        assertThat(report.metrics().get("answer_similarity").failed()).isZero();
    }

    @Test
    void should_pass_a_max_unstable_gate_the_class_keeps_to() {
        EngineExecutionResults results = FixtureRuns.run(SampledFixtures.AllowsOneUnstable.class, params(Map.of()));

        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(SampledFixtures.AllowsOneUnstable.class),
                finishedSuccessfully()));
    }

    @Test
    void should_fail_a_max_unstable_gate_naming_each_unstable_check_with_its_samples() {
        EngineExecutionResults results = FixtureRuns.run(SampledFixtures.AllowsNoUnstable.class, params(Map.of()));

        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(SampledFixtures.AllowsNoUnstable.class),
                finishedWithFailure(instanceOf(AssertionError.class), message("quality gate failed for SampledFixtures.AllowsNoUnstable: 1 of 2"
                        + " judged checks of answer_similarity is unstable, more than the 0 allowed (their samples fall on both sides of the"
                        + " threshold):\n  answer_similarity samples 5, 2, 5 (median 5, threshold 4): SampledFixtures$AllowsNoUnstable >"
                        + " unstable()"))));
    }

    @Test
    void should_fail_max_unstable_gates_of_a_class_whose_every_check_was_aborted_as_unstable() {
        EngineExecutionResults everyMetric = FixtureRuns.run(SampledFixtures.AllAbortedNoUnstableAllowed.class, params(Map.of()));
        EngineExecutionResults oneMetric = FixtureRuns.run(SampledFixtures.AllAbortedMetricGate.class, params(Map.of()));
        EngineExecutionResults configured = FixtureRuns.run(SampledFixtures.AllAbortedAsUnstable.class,
                params(Map.of("llmjudge.gate.max-unstable", "0")));

        everyMetric.testEvents().assertStatistics(s -> s.aborted(2).failed(0));
        everyMetric.containerEvents().assertThatEvents().haveExactly(1, event(
                FixtureRuns.classContainer(SampledFixtures.AllAbortedNoUnstableAllowed.class), finishedWithFailure(message(m -> m.startsWith(
                        "quality gate failed for SampledFixtures.AllAbortedNoUnstableAllowed: 2 of 2 judged checks are unstable, more than"
                                + " the 0 allowed")))));
        oneMetric.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(SampledFixtures.AllAbortedMetricGate.class),
                finishedWithFailure(message(m -> m.startsWith("quality gate failed for SampledFixtures.AllAbortedMetricGate: 2 of 2 judged"
                        + " checks of answer_similarity are unstable") && m.contains("quality gate failed for SampledFixtures.AllAbortedMetricGate:"
                        + " no check of answer_similarity was scored, its 2 checks were aborted as unstable (llmjudge.judge.on-unstable=abort),"
                        + " so its mean and pass rate cannot be computed")))));
        configured.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(SampledFixtures.AllAbortedAsUnstable.class),
                finishedWithFailure(message(m -> m.contains("2 of 2 judged checks are unstable")))));
    }

    @Test
    void should_apply_a_configured_max_unstable_as_a_share_of_the_judged_checks() {
        EngineExecutionResults failing = FixtureRuns.run(SampledFixtures.OneUnstable.class, params(Map.of("llmjudge.gate.max-unstable", "25%")));
        failing.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(SampledFixtures.OneUnstable.class),
                finishedWithFailure(message(m -> m.startsWith("quality gate failed for SampledFixtures.OneUnstable: 1 of 2 judged checks (50%)"
                        + " is unstable, more than the 25% allowed")))));

        EngineExecutionResults passing = FixtureRuns.run(SampledFixtures.OneUnstable.class, params(Map.of("llmjudge.gate.max-unstable", "50%")));
        passing.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(SampledFixtures.OneUnstable.class),
                finishedSuccessfully()));
    }

    @Test
    void should_reject_a_malformed_max_unstable_and_a_mean_gate_without_its_metric() {
        EngineExecutionResults malformed = FixtureRuns.run(SampledFixtures.MalformedUnstableGate.class, params(Map.of()));
        malformed.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(SampledFixtures.MalformedUnstableGate.class),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(m -> m.contains("has maxUnstable \"a few\":"
                        + " expected a count of unstable checks such as 2, or a share of the judged checks such as 10%")))));

        EngineExecutionResults withoutMetric = FixtureRuns.run(SampledFixtures.GateWithoutMetric.class, params(Map.of()));
        withoutMetric.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(SampledFixtures.GateWithoutMetric.class),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(m -> m.contains("names no metric: give the"
                        + " metric of minMean and minPassRate")))));
    }

    @Test
    void should_reject_a_configured_max_unstable_that_is_neither_a_count_nor_a_share() {
        EngineExecutionResults results = FixtureRuns.run(SampledFixtures.OneUnstable.class, params(Map.of("llmjudge.gate.max-unstable", "0.1")));

        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(SampledFixtures.OneUnstable.class),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message("invalid value '0.1' for llmjudge.gate.max-unstable:"
                        + " expected a count of unstable checks such as 2, or a share of the judged checks such as 10% (set by"
                        + " -Dllmjudge.gate.max-unstable, junit-platform.properties or LLMJUDGE_GATE_MAX_UNSTABLE)"))));
    }

    @Test
    void should_reject_a_class_that_asks_for_more_samples_than_a_verdict_may_take() {
        EngineExecutionResults results = FixtureRuns.run(SampledFixtures.TooManySamples.class, params(Map.of()));

        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(SampledFixtures.TooManySamples.class),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message("invalid value 101 for samples of @LlmJudgeTest on "
                        + SampledFixtures.TooManySamples.class.getName() + ": expected a whole number from 1 to 100 (0 leaves"
                        + " llmjudge.judge.samples)"))));
        assertThat(results.testEvents().started().count()).isZero();
    }
}
