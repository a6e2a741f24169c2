package dev.llmjudge.internal.report;

import dev.llmjudge.internal.Texts;
import dev.llmjudge.internal.check.CalibrationOutcome;
import java.util.List;
import java.util.Locale;

/** The summary's section on calibrations of the judge against human labels: one line of figures and the confusion matrix each. */
final class CalibrationMarkdown {
    private CalibrationMarkdown() {
    }

    /** Nothing when the run calibrated nothing. */
    static void section(StringBuilder md, List<CalibrationEntry> calibrations) {
        if (calibrations.isEmpty()) {
            return;
        }
        md.append("### Calibration against human labels\n\n");
        for (CalibrationEntry c : calibrations) {
            md.append("- **").append(c.outcome()).append("** ").append(MarkdownSummary.cell(c.metric())).append(" on ")
                    .append(MarkdownSummary.cell(String.valueOf(c.dataset()))).append(" — ")
                    .append(MarkdownSummary.cell(c.testName() == null ? "(outside a test)" : c.testName()));
            CalibrationEntry.Figures f = c.figures();
            if (f == null) {
                md.append(": ").append(MarkdownSummary.cell(Texts.oneLine(String.valueOf(c.errorMessage()), 160))).append("\n\n");
                continue;
            }
            md.append(": ").append(c.rows()).append(c.rows() == 1 ? " row" : " rows").append("; exact agreement ")
                    .append(figure(c, "exact agreement", f.exactAgreement())).append(", within one level ")
                    .append(figure(c, "agreement within one level", f.agreementWithinOne())).append(", weighted kappa ")
                    .append(figure(c, "weighted kappa", f.weightedKappa())).append(", Spearman's rho ").append(figure(c, "Spearman's rho", f.spearman()));
            if (c.labellers() != null) {
                md.append("; labellers' own weighted kappa ").append(coefficient(c.labellers().meanPairwiseKappa())).append(" (the ceiling)");
            }
            md.append("\n\n");
            matrix(md, c.matrix());
        }
    }

    /** The figure and the bounds stated on it, e.g. {@code 0.42 (✗ ≥ 0.60)}. */
    private static String figure(CalibrationEntry c, String name, Double value) {
        StringBuilder text = new StringBuilder(coefficient(value));
        List<CalibrationOutcome.Bound> bounds = c.bounds().stream().filter(b -> name.equals(b.figure())).toList();
        for (CalibrationOutcome.Bound b : bounds) {
            text.append(" (").append(b.met() ? "✓" : "✗").append(" ≥ ").append(String.format(Locale.ROOT, "%.2f", b.atLeast())).append(')');
        }
        return text.toString();
    }

    private static void matrix(StringBuilder md, CalibrationEntry.Matrix m) {
        md.append("| human \\\\ judge |");
        m.levels().forEach(level -> md.append(' ').append(level).append(" |"));
        md.append("\n|---:|");
        m.levels().forEach(level -> md.append("---:|"));
        md.append('\n');
        for (int h = 0; h < m.counts().size(); h++) {
            md.append("| **").append(m.levels().get(h)).append("** |");
            for (int n : m.counts().get(h)) {
                md.append(' ').append(n == 0 ? "·" : String.valueOf(n)).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
    }

    private static String coefficient(Double value) {
        return value == null ? "undefined" : String.format(Locale.ROOT, "%.2f", value);
    }
}
