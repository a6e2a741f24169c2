package dev.llmjudge.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.internal.check.PairwiseJudgement;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's pairwise section: wins, ties (position-inconsistent ones counted) and losses, losses first, both answers side by side. */
class PairwiseRowsTest {
    private static final Metric PAIRWISE = Metrics.pairwisePreference();
    private static final String QUESTION = "How long does a refund take?";

    /** A comparison row as the report listener makes it, from what each order of the judge said (3 first answer better, 1 second). */
    private static ReportRow comparison(String test, String candidate, String reference, int candidateFirst, int referenceFirst) {
        Verdict verdict = new PairwiseJudgement(PAIRWISE, said(candidateFirst), said(referenceFirst)).verdict();
        return ReportFixtures.passed(test, PAIRWISE.name(), new EvaluationCase(QUESTION, candidate, reference, null), verdict.score(),
                2, true, 900, 400, 60, verdict.justification());
    }

    private static Verdict said(int score) {
        return new Verdict(PAIRWISE.name(), PAIRWISE.version(), score, Metric.PAIRWISE_SECOND_BETTER, Metric.PAIRWISE_FIRST_BETTER,
                "Reasons for " + score + ".", "judge-test-model", Map.of(), null, true, null, null, null);
    }

    private static RunReport report() {
        return RunReports.build(List.of(
                comparison("Bot > won", "Refunds take 5 days.", "Refunds take a while.", 3, 1),
                comparison("Bot > tied by position", "Refunds take 5 working days.", "Refunds take 5 days.", 3, 3),
                comparison("Bot > lost", "No idea.", "Refunds take 5 days.", 1, 3),
                comparison("Bot > tied", "Five days.", "5 days.", 2, 2),
                ReportFixtures.passed("Bot > single answer", "answer_similarity", new EvaluationCase(QUESTION, "5 days.", "5 days.", null), 5, 4,
                        true, 900, 400, 60)), null, Instant.parse("2026-12-02T10:15:30Z"));
    }

    @Test
    void should_count_wins_ties_and_losses_of_the_comparisons_only() {
        PairwiseRows comparisons = PairwiseRows.of(report().rows());

        assertThat(comparisons.rows()).extracting(ReportRow::testName).containsExactly("Bot > won", "Bot > tied by position", "Bot > lost",
                "Bot > tied");
        assertThat(comparisons.tally()).isEqualTo("1 win, 2 ties (1 position-inconsistent), 1 loss");
    }

    @Test
    void should_list_every_comparison_on_the_page_losses_first_with_both_answers_side_by_side() {
        String html = HtmlReportWriter.render(report());

        assertThat(html).contains("<section id=\"pairwise\">", "1 win, 2 ties (1 position-inconsistent), 1 loss");
        Matcher rows = Pattern.compile("<tr class=\"comparison (\\w+)\">.*?<td class=\"test\">([^<]*)</td>.*?<td class=\"text candidate\">"
                + "<span class=\"t\" dir=\"auto\">([^<]*)</span></td><td class=\"text reference\"><span class=\"t\" dir=\"auto\">([^<]*)</span>")
                .matcher(html);
        StringBuilder seen = new StringBuilder();
        while (rows.find()) {
            seen.append(rows.group(1)).append(": ").append(rows.group(2)).append(" | ").append(rows.group(3)).append(" | ")
                    .append(rows.group(4)).append('\n');
        }
        assertThat(seen.toString()).isEqualTo("""
                loss: Bot &gt; lost | No idea. | Refunds take 5 days.
                tie: Bot &gt; tied by position | Refunds take 5 working days. | Refunds take 5 days.
                tie: Bot &gt; tied | Five days. | 5 days.
                win: Bot &gt; won | Refunds take 5 days. | Refunds take a while.
                """);
        assertThat(html).containsOnlyOnce("<span class=\"note\">position-inconsistent</span>");
    }

    @Test
    void should_give_the_tally_and_each_loss_with_both_answers_in_the_summary() {
        String md = MarkdownSummary.render(report(), Path.of("report.html"));

        assertThat(md).contains("### Pairwise comparisons: 1 win, 2 ties (1 position-inconsistent), 1 loss\n\n"
                + "- **loss** pairwise\\_preference — Bot &gt; lost: candidate \u201cNo idea.\u201d · reference \u201cRefunds take 5 days.\u201d\n");
    }

    @Test
    void should_write_each_rows_kind_and_read_comparisons_back_by_it(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.json");
        JsonReport.write(report(), "run-1", file);

        assertThat(new ObjectMapper().readTree(file.toFile()).path("rows")).extracting(row -> row.path("kind").asText())
                .containsExactly("pairwise", "pairwise", "pairwise", "pairwise", "check");
        assertThat(PairwiseRows.of(JsonReport.read(file).rows()).tally()).isEqualTo("1 win, 2 ties (1 position-inconsistent), 1 loss");
    }

    @Test
    void should_read_the_comparisons_of_a_report_json_written_before_rows_had_a_kind_by_their_justification(@TempDir Path dir)
            throws IOException {
        Path file = ReportFixtures.writtenWithoutRowFields(report(), dir, List.of("kind"));

        RunReport read = JsonReport.read(file);

        assertThat(read.rows()).extracting(ReportRow::kind).containsExactly("pairwise", "pairwise", "pairwise", "pairwise", "check");
        assertThat(PairwiseRows.of(read.rows()).tally()).isEqualTo("1 win, 2 ties (1 position-inconsistent), 1 loss");
    }

    @Test
    void should_leave_the_section_out_when_the_run_compared_no_answers() {
        RunReport single = RunReports.build(report().rows().subList(4, 5), null, Instant.parse("2026-12-02T10:15:30Z"));

        assertThat(HtmlReportWriter.render(single)).doesNotContain("id=\"pairwise\"");
        assertThat(MarkdownSummary.render(single, Path.of("report.html"))).doesNotContain("Pairwise comparisons");
    }
}
