package dev.llmjudge.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history records how many checks of each metric were scored, and the trend says it of each run, marking a run mostly unscored. */
class HistoryScoredChecksTest {

    private static RunHistory.RunSummary run(String id, String at, RunHistory.Point point) {
        return new RunHistory.RunSummary(RunHistory.SCHEMA, id, at, null, Map.of("answer_similarity", point));
    }

    @Test
    void should_record_the_scored_and_skipped_checks_of_each_metric(@TempDir Path dir) throws IOException {
        List<ReportRow> rows = new ArrayList<>();
        rows.add(RowBuilder.row().withCaseKey("case-0").withScore(4).withSamples(List.of(4)).build());
        for (int i = 1; i <= 8; i++) {
            rows.add(RowBuilder.row().withCaseKey("case-" + i).errored("NETWORK", "connection reset").build());
        }
        rows.add(RowBuilder.row().withCaseKey("case-9").skipped("skipped: no API key for the judge").build());
        RunReport report = RunReports.builder(rows).generatedAt(Instant.parse("2025-05-01T10:00:00Z")).build();

        RunHistory.append(dir, RunHistory.summary(report, "run-1", null));

        assertThat(Files.readString(dir.resolve("run-1.json"))).contains("\"scored\" : 1", "\"skipped\" : 1").doesNotContain("checks", "few");
        assertThat(RunHistory.lastRuns(dir, RunHistory.RUNS_SHOWN, problem -> { }).get(0).metrics().get("answer_similarity"))
                .isEqualTo(new RunHistory.Point(9, 4.0, 1 / 9.0, 1, 5, 1, 1));
    }

    @Test
    void should_read_a_summary_written_before_scored_checks_were_recorded_as_it_was(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("run-0.json"), "{\"schema\": \"llm-judge-history/1\", \"runId\": \"run-0\", \"generatedAt\":"
                + " \"2025-04-30T10:00:00Z\", \"commit\": null, \"metrics\": {\"answer_similarity\": {\"count\": 3, \"mean\": 4.5,"
                + " \"passRate\": 1.0, \"minScore\": 1, \"maxScore\": 5}}}");

        List<RunHistory.RunSummary> runs = RunHistory.lastRuns(dir, RunHistory.RUNS_SHOWN, problem -> { });

        assertThat(runs.get(0).metrics().get("answer_similarity")).isEqualTo(new RunHistory.Point(3, 4.5, 1.0, 1, 5, null, null));
        assertThat(HistoryHtml.trend("answer_similarity", runs)).contains("aria-label=\"mean answer_similarity over the last 1 run: 4.50;\"")
                .doesNotContain("scored", "class=\"point");
    }

    @Test
    void should_say_of_each_run_how_many_checks_were_scored_and_mark_one_of_fewer_than_half() {
        List<RunHistory.RunSummary> runs = List.of(
                run("run-1", "2025-05-01T10:00:00Z", new RunHistory.Point(3, 4.5, 1.0, 1, 5, null, null)),
                run("run-2", "2025-05-02T10:00:00Z", new RunHistory.Point(10, 4.0, 0.9, 1, 5, 10, 0)),
                run("run-3", "2025-05-03T10:00:00Z", new RunHistory.Point(9, 4.2, 0.1, 1, 5, 1, 1)));

        String trend = HistoryHtml.trend("answer_similarity", runs);

        assertThat(trend).contains("aria-label=\"mean answer_similarity over the last 3 runs: 4.50; 4.00 over 10 of 10 checks scored;"
                + " 4.20 over 1 of 10 checks scored, fewer than half;\"");
        assertThat(titles(trend)).containsExactly("mean 4.00 over 10 of 10 checks scored",
                "mean 4.20 over 1 of 10 checks scored: fewer than half the checks were scored");
        assertThat(count(trend, "<circle class=\"point few\"")).isEqualTo(1);
        assertThat(trend).contains("<span class=\"trend-value\">4.20, 1 of 10 checks scored</span>")
                .contains("aria-label=\"pass rate of answer_similarity over the last 3 runs: 100%; 90%; 10%;\"");
    }

    @Test
    void should_show_the_last_value_alone_when_most_of_its_checks_were_scored() {
        String trend = HistoryHtml.trend("answer_similarity", List.of(run("run-1", "2025-05-01T10:00:00Z",
                new RunHistory.Point(4, 4.0, 1.0, 1, 5, 2, 0))));

        assertThat(trend).contains("<span class=\"trend-value\">4.00</span>").doesNotContain("class=\"point few\"");
        assertThat(titles(trend)).containsExactly("mean 4.00 over 2 of 4 checks scored");
    }

    private static List<String> titles(String svg) {
        List<String> titles = new ArrayList<>();
        Matcher m = Pattern.compile("<title>([^<]*)</title>").matcher(svg);
        while (m.find()) {
            titles.add(m.group(1));
        }
        return titles;
    }

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
