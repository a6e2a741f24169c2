package dev.llmjudge.junit;

import dev.llmjudge.calibration.Calibration;
import dev.llmjudge.calibration.JudgedCase;
import dev.llmjudge.calibration.LabellerAgreement;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.Texts;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * The failure message of a calibration below its bound: the bound and the figure, then every
 * figure, the confusion matrix, the worst-disagreeing rows (answer, human score, judge score,
 * justification; redacted and shortened) and where the verdicts came from.
 */
final class ShouldAgreeWithHumanLabels extends BasicErrorMessageFactory {
    /** Rows shown in a failure message, furthest apart first. */
    static final int WORST_ROWS = 5;
    static final int TEXT_CHARS = 300;

    private ShouldAgreeWithHumanLabels(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * E.g. "to agree with the people who labelled datasets/golden.jsonl with weighted kappa at least 0.60, but it is 0.42."
     *
     * @param value the figure as written, e.g. {@code 0.42}, or {@code undefined: <reason>}
     */
    static ErrorMessageFactory shouldBeAtLeast(Calibration calibration, String dataset, String figure, double bound, String value) {
        String text = "Expecting the judge on " + calibration.metric().name() + " (" + calibration.metric().version() + ") to agree with the"
                + " people who labelled " + (dataset == null ? "the cases" : dataset) + "\nwith " + figure + " at least "
                + fixed(bound) + ", but it is " + value + ".\n" + figures(calibration);
        return new ShouldAgreeWithHumanLabels("%n%s", unquotedString(text));
    }

    /** Every figure, the matrix, the worst rows and the judge. */
    static String figures(Calibration c) {
        StringBuilder text = new StringBuilder();
        text.append("\nJudge against the human score (the median of a row's labels) on ").append(c.size()).append(c.size() == 1 ? " row" : " rows")
                .append(", levels ").append(c.metric().minScore()).append(" to ").append(c.metric().maxScore()).append(":\n");
        line(text, "exact agreement", fixed(c.exactAgreement()) + " (" + c.exactMatches() + " of " + c.size() + ")");
        line(text, "within one level", fixed(c.agreementWithinOne()) + " (" + c.withinOneMatches() + " of " + c.size() + ")");
        line(text, "weighted kappa", c.weightedKappa().describe() + (c.weightedKappa().isDefined() ? " (quadratic weights)" : ""));
        line(text, "Spearman's rho", c.spearman().describe());
        c.labellerAgreement().ifPresent(l -> line(text, "labellers", labellers(l)));
        text.append("Confusion matrix (rows: human score, columns: judge score):\n");
        c.confusionMatrix().toText().lines().forEach(row -> text.append("  ").append(row).append('\n'));
        List<JudgedCase> worst = c.worstDisagreements(WORST_ROWS);
        if (worst.isEmpty()) {
            text.append("The judge gave every row its human score.\n");
        } else {
            text.append("Worst disagreements (").append(worst.size()).append(" of ").append(c.disagreements()).append("):\n");
            for (JudgedCase row : worst) {
                text.append("  ").append(HumanLabelCalibration.name(row.labelled())).append(": human ").append(row.humanScore());
                if (row.labelled().humanScores().size() > 1) {
                    text.append(" (labels ").append(row.labelled().humanScores().stream().map(String::valueOf).collect(Collectors.joining(", ")))
                            .append(')');
                }
                text.append(", judge ").append(row.judgeScore()).append('\n')
                        .append("    answer:        ").append(quoted(row.labelled().evaluationCase().answer())).append('\n')
                        .append("    justification: ").append(quoted(row.verdict().justification())).append('\n');
            }
        }
        long recorded = c.cases().stream().filter(r -> r.verdict().cached()).count();
        String models = c.cases().stream().map(r -> r.verdict().judgeModel()).distinct().collect(Collectors.joining(", "));
        text.append("Judge: ").append(Secrets.redact(models)).append(" (").append(recorded).append(" recorded, ")
                .append(c.size() - recorded).append(" judged now)");
        return text.toString();
    }

    /** The labellers' agreement, e.g. "weighted kappa 0.81, exact agreement 0.67 between 3 labellers on 12 rows (mean over pairs): ...". */
    static String labellers(LabellerAgreement l) {
        return "weighted kappa " + l.meanPairwiseKappa().describe() + ", exact agreement " + fixed(l.exactAgreement()) + " between "
                + l.labellers() + " labellers on " + l.rows() + (l.rows() == 1 ? " row" : " rows") + " (mean over pairs): the ceiling to"
                + " compare with";
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append("  ").append(label).append(" ".repeat(Math.max(1, 18 - label.length()))).append(value).append('\n');
    }

    static String fixed(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** A figure to four significant digits, e.g. {@code 0.795}: for one that {@link #fixed} would show as its bound. */
    static String precise(double value) {
        return new BigDecimal(value).round(new MathContext(4, RoundingMode.DOWN)).stripTrailingZeros().toPlainString();
    }

    /** The text in quotes on one line, redacted before it is shortened so that no part of a key survives the cut. */
    private static String quoted(String text) {
        return Texts.quoted(Secrets.redact(text == null ? "" : text), TEXT_CHARS);
    }
}
