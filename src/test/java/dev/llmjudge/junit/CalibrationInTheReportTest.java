package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.internal.report.CalibrationEntry;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.junit.fixtures.CalibrationFixtures;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Calibrations made in tests reach the run's report.json, report.html and summary.md, attributed to their tests. */
class CalibrationInTheReportTest {
    @TempDir
    Path cache;

    @TempDir
    Path reports;

    private OpenAiCompatibleServer server;

    @BeforeEach
    void startJudge() {
        server = FixtureRuns.markerJudge();
    }

    @AfterEach
    void stopJudge() {
        server.close();
    }

    @Test
    void should_write_each_calibration_with_its_figures_and_bounds_to_every_report_file() throws IOException {
        Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
        params.put("llmjudge.report.dir", reports.toString());
        params.put("llmjudge.report.run-id", "calibration-run");

        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params, CalibrationFixtures.Golden.class);

        assertThat(run.summary().getTestsSucceededCount()).isEqualTo(1);
        assertThat(run.summary().getTestsFailedCount()).isEqualTo(1);
        RunReport report = JsonReport.read(reports.resolve("report.json"));
        assertThat(report.calibrations()).hasSize(2);
        CalibrationEntry agrees = entry(report, "agreesWithThePeople()");
        assertThat(agrees.outcome()).isEqualTo("PASSED");
        assertThat(agrees.dataset()).isEqualTo("calibration/agreeing.jsonl");
        assertThat(agrees.figures().exactAgreement()).isEqualTo(1.0);
        assertThat(agrees.bounds()).singleElement().satisfies(b -> assertThat(b.figure()).isEqualTo("weighted kappa"));
        CalibrationEntry disagrees = entry(report, "disagreesWithThePeople()");
        assertThat(disagrees.outcome()).isEqualTo("FAILED");
        assertThat(disagrees.bounds()).extracting(b -> b.met()).containsExactly(true, false);
        assertThat(disagrees.matrix().counts().get(4)).as("human 5").containsExactly(0, 0, 0, 1, 1);
        assertThat(disagrees.disagreements()).extracting(CalibrationEntry.Disagreement::row).containsExactly(
                "calibration/hand-computed.jsonl:2", "calibration/hand-computed.jsonl:4", "calibration/hand-computed.jsonl:5");
        assertThat(Files.readString(reports.resolve("report.html"), StandardCharsets.UTF_8)).contains("<section id=\"calibrations\">",
                "CalibrationFixtures$Golden &gt; disagreesWithThePeople()");
        assertThat(Files.readString(reports.resolve("summary.md"), StandardCharsets.UTF_8)).contains("### Calibration against human labels",
                "- **PASSED** answer\\_similarity on calibration/agreeing.jsonl", "- **FAILED** answer\\_similarity on calibration/hand-computed.jsonl");
        assertThat(run.console()).contains("llm-judge: 0 verdicts");
    }

    private static CalibrationEntry entry(RunReport report, String method) {
        return report.calibrations().stream().filter(c -> c.testName().endsWith("> " + method)).findFirst().orElseThrow();
    }
}
