package dev.llmjudge.internal.report;

import static dev.llmjudge.internal.report.HtmlReportWriter.block;
import static dev.llmjudge.internal.report.HtmlReportWriter.metricName;
import static dev.llmjudge.internal.report.HtmlReportWriter.text;

import dev.llmjudge.internal.check.PairwiseJudgement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The report page's section on pairwise comparisons: wins, ties and losses, each comparison with both answers side by side. */
final class PairwiseHtml {
    private static final Map<PairwiseJudgement.Preference, String> BADGES = Map.of(
            PairwiseJudgement.Preference.WIN, "\u2713 win",
            PairwiseJudgement.Preference.TIE, "= tie",
            PairwiseJudgement.Preference.LOSS, "\u2717 loss");

    private PairwiseHtml() {
    }

    /** Nothing when the run compared no answers; losses are listed first. */
    static void section(StringBuilder out, List<ReportRow> rows) {
        PairwiseRows comparisons = PairwiseRows.of(rows);
        if (comparisons.rows().isEmpty()) {
            return;
        }
        out.append("<section id=\"pairwise\">\n<h2>Pairwise comparisons</h2>\n<p class=\"note\" id=\"pairwise-tally\">")
                .append(text(comparisons.tally()))
                .append(". Each comparison is judged in both orders; a win or a loss needs both orders to agree, and a tie whose orders")
                .append(" disagree is position-inconsistent.</p>\n<div class=\"scroll\"><table class=\"changes\" id=\"pairwise-comparisons\">\n")
                .append("<thead><tr><th>Metric</th><th>Test</th><th>Result</th><th>Candidate answer</th><th>Reference answer</th>")
                .append("<th>Justification</th></tr></thead>\n<tbody>\n");
        List<ReportRow> lossesFirst = comparisons.rows().stream().sorted(Comparator.comparing(PairwiseRows::preference).reversed()).toList();
        for (ReportRow r : lossesFirst) {
            PairwiseJudgement.Preference preference = PairwiseRows.preference(r);
            out.append("<tr class=\"comparison ").append(preference.name().toLowerCase(java.util.Locale.ROOT)).append("\"><td class=\"metric\">")
                    .append(metricName(r.metric())).append("</td><td class=\"test\">").append(text(r.testName())).append("</td><td class=\"result\">")
                    .append(BADGES.get(preference))
                    .append(PairwiseRows.positionInconsistent(r) ? " <span class=\"note\">" + PairwiseJudgement.POSITION_INCONSISTENT + "</span>" : "")
                    .append("</td><td class=\"text candidate\">").append(r.answer() == null ? HtmlReportWriter.NONE : block(r.answer()))
                    .append("</td><td class=\"text reference\">").append(r.groundTruth() == null ? HtmlReportWriter.NONE : block(r.groundTruth()))
                    .append("</td><td class=\"text\">").append(block(r.justification())).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table></div>\n</section>\n");
    }
}
