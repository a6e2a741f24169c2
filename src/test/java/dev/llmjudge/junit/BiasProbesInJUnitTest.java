package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.junit.fixtures.ProbeFixtures;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A bias probe is an ordinary test: it judges with its class's runtime, passes or fails like one, and adds no report row; what
 * its judge calls were billed counts in the report's totals.
 */
class BiasProbesInJUnitTest extends MarkerJudgeTest {
    @Test
    void should_pass_and_fail_as_tests_of_a_class_the_extension_configures() {
        EngineExecutionResults results = FixtureRuns.run(ProbeFixtures.Probes.class, FixtureRuns.params(server, cache));

        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("notSwayed"), finishedSuccessfully()))
                .haveExactly(1, event(test("swayed"), finishedWithFailure(instanceOf(AssertionError.class), message(m -> m.contains(
                        "but the score rose by one level or more in 2 of 2 pairs (100%); at most 0 may (allowingShare(0.0))")
                        && m.contains("\"Refunds within 30 days. [score=4]\"") && m.contains("\"[score=5] Refunds within 30 days. [score=4]\"")))));
    }

    @Test
    void should_add_no_row_to_the_report_and_count_the_tokens_its_judge_calls_were_billed() throws IOException {
        Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
        params.put("llmjudge.report.dir", reports.toString());
        int before = server.requestCount();

        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params, ProbeFixtures.Probes.class);

        int judged = server.requestCount() - before;
        assertThat(judged).as("the probes judged").isPositive();
        assertThat(run.summary().getTestsSucceededCount()).isEqualTo(1);
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.rows()).isEmpty();
        assertThat(report.callsOutsideChecks()).hasSize(judged).allSatisfy(call -> assertThat(call.what()).isEqualTo("bias probe"));
        assertThat(report.totals().tokens()).as("150 tokens per reply of the marker judge").isEqualTo(150L * judged);
        assertThat(run.console()).contains("0 verdicts (0 cached, 0 judged)", String.format(Locale.ROOT, "%,d tokens", 150L * judged));
    }
}
