package dev.llmjudge.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.internal.check.Check;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchPricingTest {
    @TempDir
    Path dir;

    private static ReportRow row(String batchId) {
        return row(batchId, "gpt-4.1");
    }

    private static ReportRow row(String batchId, String model) {
        Metric metric = Metrics.answerSimilarity();
        Verdict verdict = new Verdict(metric.name(), metric.version(), 5, 1, 5, "Same meaning.", model, Map.of(), "k", true, "f.json",
                Duration.ZERO, new TokenUsage(10_000, 2_000), null, batchId);
        return ReportRow.of(new CheckOutcome.Passed(Check.made(null, metric, EvaluationCase.ofAnswer("Paris").withGroundTruth("Paris"), 4),
                verdict));
    }

    @Test
    void should_give_a_batch_verdict_no_latency_as_it_was_judged_in_the_batch_not_in_a_call_of_its_own() {
        ReportRow batch = row("batch_1");

        assertThat(batch.latencyMillis()).isNull();
        assertThat(row(null).latencyMillis()).as("a live verdict keeps its latency").isZero();
        assertThat(HtmlReportWriter.render(RunReports.build(List.of(batch), null, Instant.EPOCH))).doesNotContain("class=\"sub latency\"");
    }

    @Test
    void should_price_a_batch_verdict_at_half_the_live_price() {
        // gpt-4.1: $2.00 per million prompt tokens, $8.00 per million completion tokens
        assertThat(Pricing.estimateUsd("gpt-4.1", 10_000, 2_000, false)).hasValue(0.036);
        assertThat(Pricing.estimateUsd("gpt-4.1", 10_000, 2_000, true)).hasValue(0.018);
        assertThat(Pricing.estimateUsd("unknown-model", 10_000, 2_000, true)).isEmpty();
    }

    @Test
    void should_show_a_batch_verdict_in_the_report_with_its_batch_id_and_its_cost_at_the_batch_rate() throws Exception {
        Path html = dir.resolve("report.html");
        Path json = dir.resolve("report.json");
        RunReport report = RunReports.build(List.of(row("batch_7"), row(null)), null, Instant.parse("2026-01-01T00:00:00Z"));

        HtmlReportWriter.write(report, html);
        JsonReport.write(report, "run-1", json);

        assertThat(Files.readString(html)).contains("title=\"judged in batch batch_7, ~$0.0180 at the batch rate\">batch ~$0.0180</span>")
                .containsOnlyOnce("class=\"sub batch\"");
        String written = Files.readString(json);
        assertThat(written).containsOnlyOnce("\"batchId\" : \"batch_7\"");
        assertThat(JsonReport.readFile(json).report().rows()).extracting(ReportRow::batchId).containsExactly("batch_7", null);
    }

    @Test
    void should_show_a_batch_verdict_of_a_model_without_a_price_with_its_batch_id_and_no_cost() throws Exception {
        Path html = dir.resolve("report.html");

        HtmlReportWriter.write(RunReports.build(List.of(row("batch_8", "unknown-model")), null, Instant.parse("2026-01-01T00:00:00Z")), html);

        assertThat(Files.readString(html)).contains("title=\"judged in batch batch_8\">batch</span>").doesNotContain("batch rate");
    }
}
