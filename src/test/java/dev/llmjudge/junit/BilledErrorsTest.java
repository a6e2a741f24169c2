package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.Pricing;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A judge call that fails after its replies were billed (two replies holding no verdict) is an error, never a score, and
 * the report counts what it spent in the run's tokens and cost: the report says what the run paid.
 */
class BilledErrorsTest {
    private static final String MODEL = "gpt-4.1";

    @TempDir
    Path cache;

    @TempDir
    Path reports;

    @Test
    void should_count_the_tokens_and_cost_of_calls_that_failed_after_invalid_replies_in_the_report() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(r -> Reply.content("I cannot decide.").withUsage(1_000, 0, 50));
            Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
            params.put(LlmJudgeConfig.REPORT_DIR, reports.toString());
            params.put(LlmJudgeConfig.JUDGE_MODEL, MODEL);

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params, Fixtures.ReportEntries.class);

            assertThat(server.requestCount()).as("each check asked twice, an invalid reply each time").isEqualTo(4);
            assertThat(run.summary().getTestsFailedCount()).isEqualTo(2);
            RunReport report = JsonReport.read(reports.resolve("report.json"));
            assertThat(report.rows()).hasSize(2).allSatisfy(row -> {
                assertThat(row.outcome()).isEqualTo(ReportRow.ERROR);
                assertThat(row.errorReason()).isEqualTo("INVALID_REPLY");
                assertThat(row.score()).isNull();
                assertThat(row.promptTokens()).isEqualTo(2_000);
                assertThat(row.completionTokens()).isEqualTo(50 * 2);
                assertThat(row.judgeModel()).isEqualTo(MODEL);
            });
            RunReport.Totals totals = report.totals();
            assertThat(totals.errors()).isEqualTo(2);
            assertThat(totals.verdicts()).as("an error is never a verdict").isZero();
            assertThat(totals.tokens()).isEqualTo(2 * 2_100);
            double paid = 2 * Pricing.estimateUsd(MODEL, 2_000, 100).orElseThrow();
            assertThat(totals.estimatedCostUsd()).isCloseTo(paid, within(1e-9));
            assertThat(run.console()).contains("2 errors", "4,200 tokens");
            assertThat(Files.readString(reports.resolve("report.html"))).as("each error row shows its billed tokens")
                    .contains("title=\"2,000 prompt + 100 completion\">2,100\u00a0tokens</span>");
        }
    }
}
