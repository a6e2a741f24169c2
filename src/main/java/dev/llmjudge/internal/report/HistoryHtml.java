package dev.llmjudge.internal.report;

import static dev.llmjudge.internal.report.HtmlReportWriter.text;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/** A metric's trend over the last runs of the history: its mean and its pass rate, each a sparkline with the latest value beside it. */
final class HistoryHtml {
    private HistoryHtml() {
    }

    static String trend(String metric, List<RunHistory.RunSummary> runs) {
        List<RunHistory.Point> points = runs.stream().map(r -> r.metrics().get(metric)).toList();
        List<Double> means = points.stream().map(p -> p == null ? null : p.mean()).toList();
        List<Double> passRates = points.stream().map(p -> p == null ? null : p.passRate()).toList();
        double low = points.stream().filter(Objects::nonNull).map(RunHistory.Point::minScore).filter(Objects::nonNull).mapToDouble(Integer::doubleValue)
                .min().orElse(means.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).min().orElse(0));
        double high = points.stream().filter(Objects::nonNull).map(RunHistory.Point::maxScore).filter(Objects::nonNull).mapToDouble(Integer::doubleValue)
                .max().orElse(means.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue).max().orElse(1));
        String over = " over the last " + runs.size() + (runs.size() == 1 ? " run" : " runs");
        List<ReportCharts.PointNote> scored = points.stream().map(HistoryHtml::scored).toList();
        RunHistory.Point latest = points.isEmpty() ? null : points.get(points.size() - 1);
        String lastMean = last(means, HistoryHtml::decimal) + (latest != null && latest.mean() != null && latest.fewScored()
                ? ", " + latest.scored() + " of " + latest.checks() + " checks scored" : "");
        return line("mean", ReportCharts.sparkline("mean", "mean " + metric + over, means, low, high, HistoryHtml::decimal, "mean", scored), lastMean)
                + line("pass rate", ReportCharts.sparkline("pass-rate", "pass rate of " + metric + over, passRates, 0, 1, GateResult::percent),
                        last(passRates, GateResult::percent));
    }

    /**
     * What a run's mean stands on, e.g. {@code over 1 of 10 checks scored}, few when fewer than half of its checks were scored;
     * {@code null} for a run whose summary does not say (written before it was recorded).
     */
    private static ReportCharts.PointNote scored(RunHistory.Point p) {
        return p == null || p.scored() == null ? null
                : new ReportCharts.PointNote("over " + p.scored() + " of " + p.checks() + (p.checks() == 1 ? " check" : " checks") + " scored",
                        p.fewScored());
    }

    private static String line(String label, String svg, String value) {
        return "<span class=\"trend-line\"><span class=\"trend-label\">" + label + "</span>" + svg + "<span class=\"trend-value\">" + text(value)
                + "</span></span>";
    }

    private static String last(List<Double> values, Function<Double, String> format) {
        Double v = values.isEmpty() ? null : values.get(values.size() - 1);
        return v == null ? "\u2014" : format.apply(v);
    }

    private static String decimal(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
