package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.config.ConfigurationException;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration mistakes that would switch a gate off without a word: each fails the run, or the run says so at its end. */
class ConfigurationMistakesTest {
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

    private Map<String, String> params(String key, String value) {
        Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
        params.put("llmjudge.report.dir", reports.toString());
        if (key != null) {
            params.put(key, value);
        }
        return params;
    }

    @Test
    void should_fail_the_discovery_naming_an_unknown_key_given_only_as_a_launcher_parameter() {
        int requests = server.requestCount();

        assertThatThrownBy(() -> LauncherRuns.run(Map.of(), params("llmjudge.gate.answer_similarity.min-passrate", "90%"),
                Fixtures.KeylessRecorded.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("unknown configuration key 'llmjudge.gate.answer_similarity.min-passrate': the keys are llmjudge.judge.model,")
                .hasMessageEndingWith("; did you mean llmjudge.gate.answer_similarity.min-pass-rate?");
        assertThat(server.requestCount()).as("no test ran").isEqualTo(requests);
    }

    @Test
    void should_warn_at_the_end_of_the_run_of_a_gate_on_a_misspelt_metric_as_a_launcher_parameter() throws IOException {
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params("llmjudge.gate.answer_similarty.min-mean", "4.5"),
                Fixtures.KeylessRecorded.class);

        String warning = "llmjudge.gate.answer_similarty.min-mean is set, but no check of answer_similarty was made in this run, so that"
                + " gate was not evaluated; did you mean llmjudge.gate.answer_similarity.min-mean?";
        assertThat(run.summary().getTestsSucceededCount()).isEqualTo(1);
        assertThat(run.console()).contains("llm-judge: warning: " + warning + "\n");
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.warnings()).extracting(RunReport.Warning::message).contains(warning);
    }

    @Test
    void should_warn_at_the_end_of_the_run_of_a_gate_on_a_misspelt_metric_as_an_environment_variable() {
        LauncherRuns.Run run = LauncherRuns.run(Map.of("LLMJUDGE_GATE_ANSWER_SIMILARTY_MIN_PASS_RATE", "90%"), params(null, null),
                Fixtures.KeylessRecorded.class);

        assertThat(run.console()).contains("llm-judge: warning: llmjudge.gate.answer_similarty.min-pass-rate is set, but no check of"
                + " answer_similarty was made in this run, so that gate was not evaluated; did you mean"
                + " llmjudge.gate.answer_similarity.min-pass-rate?\n");
    }

    @Test
    void should_not_warn_of_a_gate_on_a_metric_the_run_checked() {
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params("llmjudge.gate.answer_similarity.min-mean", "4.5"),
                Fixtures.KeylessRecorded.class);

        assertThat(run.summary().getTestsSucceededCount()).isEqualTo(1);
        assertThat(run.console()).doesNotContain("warning");
    }

    @Test
    void should_warn_at_the_end_of_the_run_that_skipped_checks_left_the_gates_over_them_unevaluated() throws IOException {
        Map<String, String> params = params("llmjudge.judge.missing-key", "skip");
        params.put("llmjudge.gate.answer_similarity.min-pass-rate", "100%");

        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params, Fixtures.Keyless.class);

        assertThat(run.summary().getTestsAbortedCount()).isEqualTo(2);
        assertThat(run.summary().getTotalFailureCount()).as("the gate was not evaluated: no failure").isZero();
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.gates()).isEmpty();
        assertThat(report.warnings()).extracting(RunReport.Warning::message).singleElement().asString()
                .startsWith("2 checks were skipped, not judged (e.g. Fixtures$Keyless > recorded(): skipped: no API key for the judge")
                .endsWith("): no quality gate counted them, and a gate on a metric whose checks were all skipped was not evaluated");
        assertThat(run.console()).contains("llm-judge: warning: 2 checks were skipped, not judged (e.g. ");
    }
}
