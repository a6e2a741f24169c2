package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.internal.report.SelfPreference;
import dev.llmjudge.junit.fixtures.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code llmjudge.sut.model} naming the judge model, the run's report (HTML, JSON, Markdown)
 * warns of self-preference, and the console says so once; with another model under test, or none,
 * nothing warns. The fixtures are judged by the default model, gpt-4.1, at a loopback server.
 */
class SelfPreferenceWarningTest extends MarkerJudgeTest {
    private static final String WARNING = "2 of 2 verdicts were judged by gpt-4.1, the model under test (llmjudge.sut.model=gpt-4.1):"
            + " a judge tends to score answers of its own model higher (self-preference). Judge with another model"
            + " (llmjudge.judge.model, or the metric's model) to trust these scores.";

    private Map<String, String> params(String sutModel) {
        Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
        params.put("llmjudge.report.dir", reports.toString());
        params.put("llmjudge.report.run-id", "self-preference");
        if (sutModel != null) {
            params.put("llmjudge.sut.model", sutModel);
        }
        return params;
    }

    @Test
    void should_warn_in_every_report_file_and_once_on_the_console_when_the_judge_is_the_model_under_test() throws IOException {
        LauncherRuns.Run run = LauncherRuns.runClassByClass(Map.of(), params("gpt-4.1"), Fixtures.ReportEntries.class,
                Fixtures.GatePasses.class);

        // Two test plans, two reports written, two closing lines: the warning comes once, before the first.
        String html = reports.resolve("report.html").toString();
        assertThat(run.console().lines().toList()).containsExactly(
                "llm-judge: warning: " + WARNING,
                "llm-judge: 2 verdicts (0 cached, 2 judged), 1 below threshold, 0 errors, 300 tokens, <$0.01 — " + html,
                "llm-judge: 5 verdicts (0 cached, 5 judged), 1 below threshold, 0 errors, 750 tokens, <$0.01 — " + html);
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.warnings()).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(SelfPreference.KIND);
            assertThat(w.message()).isEqualTo(WARNING.replace("2 of 2", "5 of 5"));
        });
        assertThat(Files.readString(reports.resolve("report.html"))).contains("<li class=\"warning\" data-kind=\"SELF_PREFERENCE\">5 of 5"
                + " verdicts were judged by gpt-4.1, the model under test");
        assertThat(Files.readString(reports.resolve("summary.md"))).contains("> **Warning:** 5 of 5 verdicts were judged by gpt-4.1");
    }

    @Test
    void should_not_warn_when_another_model_is_under_test() throws IOException {
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params("gpt-4.1-mini"), Fixtures.ReportEntries.class);

        assertNoWarning(run);
    }

    @Test
    void should_not_warn_without_a_model_under_test() throws IOException {
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(null), Fixtures.ReportEntries.class);

        assertNoWarning(run);
    }

    private void assertNoWarning(LauncherRuns.Run run) throws IOException {
        assertThat(run.console().lines().toList()).singleElement().asString().startsWith("llm-judge: 2 verdicts (0 cached, 2 judged)");
        assertThat(JsonReport.read(reports.resolve("report.json")).warnings()).isEmpty();
        assertThat(Files.readString(reports.resolve("report.html"))).doesNotContain("class=\"warning\"");
        assertThat(Files.readString(reports.resolve("summary.md"))).doesNotContain("Warning");
    }
}
