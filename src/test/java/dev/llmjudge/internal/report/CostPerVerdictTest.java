package dev.llmjudge.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's cost of a verdict: prompt, cached prompt and reply tokens, cached ones at the cached rate. */
class CostPerVerdictTest {
    private static ReportRow judged(String test, boolean cached, long prompt, Long cachedPrompt, long reply) {
        ReportRow r = RunReportsTest.scored(test, "A", 5, 4, cached, "gpt-4.1");
        return RowBuilder.from(r).withPromptTokens(prompt).withCachedPromptTokens(cachedPrompt).withCompletionTokens(reply).build();
    }

    @Test
    void should_price_a_row_with_its_cached_prompt_tokens_at_the_cached_rate() {
        ReportRow row = judged("a", false, 1_000, 800L, 100);

        // gpt-4.1: 200 prompt tokens at $2.00, 800 cached at $0.50, 100 reply at $8.00 per million.
        assertThat(row.estimatedCostUsd()).hasValueSatisfying(usd -> assertThat(usd).isEqualTo((200 * 2.00 + 800 * 0.50 + 100 * 8.00) / 1e6));
        assertThat(judged("b", false, 1_000, null, 100).estimatedCostUsd()).hasValue((1_000 * 2.00 + 100 * 8.00) / 1e6);
    }

    @Test
    void should_show_the_tokens_and_cost_of_a_judged_verdict_in_the_markdown_summary_and_the_totals() {
        List<ReportRow> rows = List.of(judged("a", false, 1_000, 800L, 100), judged("b", false, 1_200, 1_000L, 100),
                judged("c", true, 5_000, 0L, 500));
        RunReport report = RunReports.build(rows, null, Instant.EPOCH);

        String md = MarkdownSummary.render(report, Path.of("target/llm-judge/report.html"));

        assertThat(md).contains("per judged verdict: 1,100 prompt tokens (900 cached) · 100 reply tokens · ~$0.0017\n");
        double perCall = (200 * 2.00 + 800 * 0.50 + 100 * 8.00) / 1e6 + (200 * 2.00 + 1_000 * 0.50 + 100 * 8.00) / 1e6;
        assertThat(report.totals().estimatedCostUsd()).isCloseTo(perCall, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void should_show_no_cost_per_verdict_when_every_verdict_was_recorded() {
        assertThat(RunReports.perJudgedVerdict(List.of(judged("c", true, 5_000, 0L, 500)))).isEmpty();
    }
}
