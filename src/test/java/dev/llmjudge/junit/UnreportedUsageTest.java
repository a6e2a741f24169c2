package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that sends no {@code usage} in its replies (as some OpenAI-compatible servers do): the report says the usage is
 * unknown, never that the calls cost 0 tokens and $0.00, and a verdict replayed later says so too.
 */
class UnreportedUsageTest {
    /** A priced model, so that a call's cost would be shown if its tokens were known. */
    private static final String MODEL = "gpt-4.1";

    @TempDir
    Path cache;

    @TempDir
    Path reports;

    private Map<String, String> params(OpenAiCompatibleServer server) {
        return params(server, reports);
    }

    private Map<String, String> params(OpenAiCompatibleServer server, Path reportDir) {
        return FixtureRuns.params(server, cache, reportDir, MODEL);
    }

    @Test
    void should_report_verdicts_without_usage_as_usage_not_reported_rather_than_as_free() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(request -> FixtureRuns.BY_MARKER.apply(request).withoutUsage());

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(server), Fixtures.ReportEntries.class);

            assertThat(server.requestCount()).isEqualTo(2);
            RunReport.Totals totals = JsonReport.read(reports.resolve("report.json")).totals();
            assertThat(totals.judged()).isEqualTo(2);
            assertThat(totals.estimatedCostUsd()).as("a cost of unknown tokens is unknown, not $0.00").isNull();
            assertThat(run.console()).contains("0 tokens (usage not reported by the server for 2 replies), cost unknown")
                    .doesNotContain("$0.00");
            JsonNode rows = new ObjectMapper().readTree(reports.resolve("report.json").toFile()).path("rows");
            assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row.path("unreportedReplies").asInt()).isEqualTo(1));
            String html = Files.readString(reports.resolve("report.html"));
            assertThat(html).contains("usage not reported by the server").doesNotContain("0\u00a0tokens</span>");
            assertThat(Files.readString(reports.resolve("summary.md"))).contains(
                    "0 tokens (usage not reported by the server for 2 replies) · cost unknown",
                    "per judged verdict: usage not reported by the server");
        }
    }

    @Test
    void should_report_errors_after_replies_without_usage_as_billed_with_usage_not_reported() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(r -> Reply.content("I cannot decide.").withoutUsage());

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(server), Fixtures.ReportEntries.class);

            assertThat(server.requestCount()).as("each check asked twice, an invalid reply each time").isEqualTo(4);
            RunReport report = JsonReport.read(reports.resolve("report.json"));
            assertThat(report.rows()).hasSize(2).allSatisfy(row -> {
                assertThat(row.errorReason()).isEqualTo("INVALID_REPLY");
                assertThat(row.score()).as("a judge failure is never a score").isNull();
                assertThat(row.judgeModel()).isEqualTo(MODEL);
            });
            assertThat(report.totals().verdicts()).isZero();
            assertThat(report.totals().estimatedCostUsd()).isNull();
            assertThat(run.console()).contains("2 errors", "0 tokens (usage not reported by the server for 4 replies), cost unknown");
        }
    }

    @Test
    void should_still_say_the_usage_was_not_reported_when_the_verdicts_are_replayed() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(request -> FixtureRuns.BY_MARKER.apply(request).withoutUsage());
            LauncherRuns.run(Map.of(), params(server), Fixtures.ReportEntries.class);
            Path replayed = reports.resolve("replayed");
            Map<String, String> replay = params(server, replayed);
            replay.put(LlmJudgeConfig.CACHE_MODE, "replay");

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), replay, Fixtures.ReportEntries.class);

            assertThat(server.requestCount()).as("the second run replays both verdicts").isEqualTo(2);
            assertThat(run.console()).contains("2 cached").contains("0 tokens, $0.00").doesNotContain("not reported");
            String html = Files.readString(replayed.resolve("report.html"));
            assertThat(html).as("a replayed verdict tells what it was billed when judged").contains("usage not reported by the server")
                    .doesNotContain("0\u00a0tokens</span>");
        }
    }

    @Test
    void should_report_usage_as_before_when_the_server_sends_it() throws IOException {
        try (OpenAiCompatibleServer server = FixtureRuns.markerJudge()) {
            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(server), Fixtures.ReportEntries.class);

            assertThat(run.console()).contains("300 tokens, <$0.01").doesNotContain("not reported");
            JsonNode rows = new ObjectMapper().readTree(reports.resolve("report.json").toFile()).path("rows");
            assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row.has("unreportedReplies")).isFalse());
            assertThat(Files.readString(reports.resolve("report.html"))).contains("150\u00a0tokens</span>")
                    .doesNotContain("usage not reported");
        }
    }
}
