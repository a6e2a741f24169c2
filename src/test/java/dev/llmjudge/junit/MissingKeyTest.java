package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.junit.fixtures.PairwiseFixtures;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.TestAbortedException;

/** Without an API key, {@code llmjudge.judge.missing-key} decides: the check errors (the default) or its test is skipped. */
class MissingKeyTest {
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

    @BeforeEach
    void recordOneCase() {
        FixtureRuns.run(Fixtures.KeylessRecorded.class, FixtureRuns.params(server, cache));
    }

    private Map<String, String> params(String missingKey) {
        Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
        params.put("llmjudge.report.dir", reports.toString());
        if (missingKey != null) {
            params.put("llmjudge.judge.missing-key", missingKey);
        }
        return params;
    }

    @Test
    void should_error_without_a_key_by_default_and_still_replay_what_is_recorded() {
        int requests = server.requestCount();

        EngineExecutionResults results = FixtureRuns.run(Fixtures.Keyless.class, params(null));

        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("recorded"), finishedSuccessfully()))
                .haveExactly(1, event(test("unrecorded"), finishedWithFailure(instanceOf(JudgeException.class),
                        message(m -> m.startsWith("no API key for the judge")))));
        assertThat(server.requestCount()).isEqualTo(requests);
    }

    @Test
    void should_skip_a_comparison_and_a_check_awaiting_its_evaluation_steps_with_the_reason_and_send_nothing() {
        int requests = server.requestCount();

        EngineExecutionResults results = FixtureRuns.run(PairwiseFixtures.Keyless.class, params("skip"));

        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("comparison"), abortedWithReason(instanceOf(TestAbortedException.class),
                        message(m -> m.startsWith("skipped: no API key for the judge")))))
                .haveExactly(1, event(test("steps"), abortedWithReason(instanceOf(TestAbortedException.class),
                        message(m -> m.startsWith("skipped: no API key for the judge")))));
        assertThat(server.requestCount()).isEqualTo(requests);
        assertThat(cache.resolve("_steps")).doesNotExist();
    }

    @Test
    void should_skip_the_test_with_the_reason_when_told_to_and_report_the_check_as_skipped() throws IOException {
        int requests = server.requestCount();

        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params("skip"), Fixtures.Keyless.class);

        assertThat(run.summary().getTestsSucceededCount()).isEqualTo(1);
        assertThat(run.summary().getTestsAbortedCount()).isEqualTo(1);
        EngineExecutionResults results = FixtureRuns.run(Fixtures.Keyless.class, params("skip"));
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("recorded"), finishedSuccessfully()))
                .haveExactly(1, event(test("unrecorded"), abortedWithReason(instanceOf(TestAbortedException.class),
                        message(m -> m.startsWith("skipped: no API key for the judge") && m.endsWith("(llmjudge.judge.missing-key=skip)")))));
        assertThat(server.requestCount()).isEqualTo(requests);
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.rows()).filteredOn(ReportRow::skipped).singleElement().satisfies(r -> {
            assertThat(r.testName()).isEqualTo("Fixtures$Keyless > unrecorded()");
            assertThat(r.score()).isNull();
            assertThat(r.errorMessage()).startsWith("skipped: no API key for the judge");
        });
        assertThat(report.totals().skipped()).isEqualTo(1);
        assertThat(report.totals().errors()).isZero();
        assertThat(report.metrics().get("answer_similarity").count()).as("a skip is in none of the figures").isEqualTo(1);
        assertThat(run.console()).contains("0 errors, 1 skipped,");
    }

    @Test
    void should_say_in_the_gate_that_failed_and_in_the_report_that_its_mean_is_over_the_judged_check_alone() throws IOException {
        FixtureRuns.run(Fixtures.GatedKeylessRecorded.class, FixtureRuns.params(server, cache));

        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params("skip"), Fixtures.GatedKeyless.class);

        String message = "quality gate failed for Fixtures.GatedKeyless: mean answer_similarity 3.00 is below 3.5 over 1 judged check"
                + " (1 scored, 0 errors; 1 skipped, not judged)";
        assertThat(run.summary().getTestsAbortedCount()).isEqualTo(1);
        assertThat(run.summary().getFailures()).singleElement().satisfies(f -> assertThat(f.getException()).hasMessage(message));
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.gates()).singleElement().satisfies(g -> {
            assertThat(g.message()).isEqualTo(message);
            assertThat(g.value()).as("the mean of the judged check alone").isEqualTo(3.0);
        });
        assertThat(Files.readString(reports.resolve("report.html")))
                .contains("mean answer_similarity 3.00 is below 3.5 over 1 judged check (1 scored, 0 errors; 1 skipped, not judged)");
    }

    @Test
    void should_error_on_an_endpoint_in_the_environment_that_is_no_url_and_not_skip_as_if_no_key_were_set() {
        // The SDK's -Dopenai.baseUrl stands for OPENAI_BASE_URL, which a test cannot set; both are checked alike, the property first.
        System.setProperty("openai.baseUrl", "localhost:11434/v1");
        try {
            EngineExecutionResults results = FixtureRuns.run(Fixtures.Keyless.class, params("skip"));

            results.testEvents().assertThatEvents()
                    .haveExactly(1, event(test("recorded"), finishedSuccessfully()))
                    .haveExactly(1, event(test("unrecorded"), finishedWithFailure(instanceOf(JudgeException.class),
                            message("invalid value 'localhost:11434/v1' for -Dopenai.baseUrl: expected an http or https URL such as"
                                    + " https://api.openai.com/v1 or http://localhost:11434/v1 (unset: OpenAI's endpoint)"))));
        } finally {
            System.clearProperty("openai.baseUrl");
        }
    }
}
