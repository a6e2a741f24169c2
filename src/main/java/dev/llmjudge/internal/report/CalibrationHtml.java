package dev.llmjudge.internal.report;

import dev.llmjudge.internal.check.CalibrationOutcome;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.owasp.encoder.Encode;

/** The report page's section on calibrations of the judge against human labels: figures, bounds, confusion matrix, worst rows. */
final class CalibrationHtml {
    private static final String NONE = "<span class=\"none\">\u2014</span>";
    private static final Map<String, String> BADGES = Map.of(
            "PASSED", "\u2713 passed",
            "FAILED", "\u2717 failed",
            "NO_BOUND", "no bound stated",
            "ERROR", "\u26a0 error",
            "SKIPPED", "\u21b7 skipped");

    private CalibrationHtml() {
    }

    /** Nothing when the run calibrated nothing. */
    static void section(StringBuilder out, List<CalibrationEntry> calibrations) {
        if (calibrations.isEmpty()) {
            return;
        }
        out.append("<section id=\"calibrations\">\n<h2>Calibration against human labels</h2>\n<p class=\"note\">The judge against people's")
                .append(" scores of labelled datasets: each row's human score is the median of its labels (of an even number, the lower")
                .append(" middle one). Kappa is Cohen's with quadratic weights over the rubric's levels; Spearman's rho ranks ties by their")
                .append(" average. The labellers' own agreement is the ceiling to compare with.</p>\n");
        for (CalibrationEntry c : calibrations) {
            calibration(out, c);
        }
        out.append("</section>\n");
    }

    private static void calibration(StringBuilder out, CalibrationEntry c) {
        String outcome = String.valueOf(c.outcome());
        out.append("<div class=\"calibration o-").append(Encode.forHtmlAttribute(outcome)).append("\">\n<h3><span class=\"badge\">")
                .append(text(BADGES.getOrDefault(outcome, outcome))).append("</span> ").append(text(c.metric()));
        if (c.metricVersion() != null) {
            out.append(" (").append(text(c.metricVersion())).append(')');
        }
        out.append(" on ").append(text(c.dataset())).append("</h3>\n<p class=\"note\">");
        out.append(c.testName() == null ? "outside a test" : text(c.testName()));
        if (c.description() != null) {
            out.append(" \u00b7 ").append(text(c.description()));
        }
        if (c.rows() != null) {
            out.append(" \u00b7 ").append(integer(c.rows())).append(c.rows() == 1 ? " row" : " rows").append(", levels ").append(c.minScore())
                    .append(" to ").append(c.maxScore()).append(" \u00b7 ").append(integer(c.cached())).append(" recorded, ")
                    .append(integer(c.judged())).append(" judged now");
            int unreported = c.unreportedReplies() == null ? 0 : c.unreportedReplies();
            if (c.tokens() != null && (c.tokens() > 0 || unreported > 0)) {
                out.append(", ").append(integer(c.tokens())).append(" tokens").append(text(RunReports.unreported(unreported)));
            }
            if (c.judgeModel() != null) {
                out.append(" \u00b7 judge ").append(text(c.judgeModel()));
            }
        }
        out.append("</p>\n");
        if (c.figures() == null) {
            out.append("<p><span class=\"label\">").append("SKIPPED".equals(outcome) ? "Not judged" : "No figures").append("</span>")
                    .append(HtmlReportWriter.block(String.valueOf(c.errorMessage()))).append("</p>\n</div>\n");
            return;
        }
        figures(out, c);
        matrix(out, c.matrix());
        disagreements(out, c);
        out.append("</div>\n");
    }

    private static void figures(StringBuilder out, CalibrationEntry c) {
        CalibrationEntry.Figures f = c.figures();
        out.append("<div class=\"scroll\"><table class=\"stats calibration-figures\">\n<thead><tr><th>Figure</th><th class=\"num\">Value</th>")
                .append("<th>Bound</th></tr></thead>\n<tbody>\n");
        figure(out, c, "exact agreement", decimal(f.exactAgreement()) + " (" + f.exactMatches() + " of " + c.rows() + ")", null);
        figure(out, c, "agreement within one level", decimal(f.agreementWithinOne()) + " (" + f.withinOneMatches() + " of " + c.rows() + ")",
                null);
        figure(out, c, "weighted kappa", coefficient(f.weightedKappa()), f.weightedKappaUndefined());
        figure(out, c, "Spearman's rho", coefficient(f.spearman()), f.spearmanUndefined());
        CalibrationEntry.Labellers l = c.labellers();
        if (l != null) {
            out.append("<tr><td class=\"metric\">labellers (the ceiling)</td><td class=\"num\">").append(coefficient(l.meanPairwiseKappa()))
                    .append("</td><td><span class=\"sub\">mean pairwise weighted kappa of ").append(l.labellers()).append(" labellers on ")
                    .append(integer(l.rows())).append(l.rows() == 1 ? " row" : " rows").append("; exact agreement ")
                    .append(decimal(l.exactAgreement())).append("</span>");
            if (l.meanPairwiseKappaUndefined() != null) {
                out.append("<span class=\"sub\">").append(text(l.meanPairwiseKappaUndefined())).append("</span>");
            }
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table></div>\n");
    }

    private static void figure(StringBuilder out, CalibrationEntry c, String name, String value, String undefinedBecause) {
        out.append("<tr><td class=\"metric\">").append(text(name)).append("</td><td class=\"num\">").append(value).append("</td><td>");
        List<CalibrationOutcome.Bound> bounds = c.bounds().stream().filter(b -> name.equals(b.figure())).toList();
        if (bounds.isEmpty() && undefinedBecause == null) {
            out.append(NONE);
        }
        for (CalibrationOutcome.Bound b : bounds) {
            out.append("<span class=\"").append(b.met() ? "met" : "unmet").append("\">").append(b.met() ? "\u2713" : "\u2717")
                    .append(" \u2265\u00a0").append(decimal(b.atLeast())).append("</span> ");
        }
        if (undefinedBecause != null) {
            out.append("<span class=\"sub\">undefined: ").append(text(undefinedBecause)).append("</span>");
        }
        out.append("</td></tr>\n");
    }

    private static void matrix(StringBuilder out, CalibrationEntry.Matrix m) {
        out.append("<div class=\"scroll\"><table class=\"matrix\">\n<caption>Confusion matrix: a row per human score, a column per judge score")
                .append("</caption>\n<thead><tr><th>human \\ judge</th>");
        for (int level : m.levels()) {
            out.append("<th class=\"num\">").append(level).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (int h = 0; h < m.counts().size(); h++) {
            out.append("<tr><th class=\"num\">").append(m.levels().get(h)).append("</th>");
            List<Integer> row = m.counts().get(h);
            for (int j = 0; j < row.size(); j++) {
                int n = row.get(j);
                out.append("<td class=\"num").append(h == j ? " diagonal" : n > 0 ? " miss" : "").append("\">").append(n == 0 ? "\u00b7" : integer(n))
                        .append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table></div>\n");
    }

    private static void disagreements(StringBuilder out, CalibrationEntry c) {
        int differ = c.rows() - c.figures().exactMatches();
        if (c.disagreements().isEmpty()) {
            out.append("<p class=\"note\">The judge gave every row its human score.</p>\n");
            return;
        }
        out.append("<h4>Worst disagreements (").append(integer(c.disagreements().size())).append(" of ").append(integer(differ))
                .append(")</h4>\n<div class=\"scroll\"><table class=\"changes disagreements\">\n<thead><tr><th>Row</th><th class=\"num\">Human</th>")
                .append("<th class=\"num\">Judge</th><th>Answer</th><th>Justification</th></tr></thead>\n<tbody>\n");
        for (CalibrationEntry.Disagreement d : c.disagreements()) {
            out.append("<tr><td class=\"test\">").append(text(d.row()));
            if (d.id() != null) {
                out.append("<span class=\"sub\">id ").append(text(d.id())).append("</span>");
            }
            out.append("</td><td class=\"num\">").append(d.humanScore());
            if (d.humanScores() != null && d.humanScores().size() > 1) {
                out.append("<span class=\"sub\">").append(d.humanScores().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                        .append("</span>");
            }
            out.append("</td><td class=\"num\">").append(d.judgeScore()).append("</td><td class=\"text\">")
                    .append(d.answer() == null ? NONE : HtmlReportWriter.block(d.answer())).append("</td><td class=\"text\">")
                    .append(d.justification() == null ? NONE : HtmlReportWriter.block(d.justification())).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table></div>\n");
    }

    private static String coefficient(Double value) {
        return value == null ? "undefined" : decimal(value);
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String integer(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String text(String value) {
        return value == null ? NONE : Encode.forHtml(value);
    }
}
