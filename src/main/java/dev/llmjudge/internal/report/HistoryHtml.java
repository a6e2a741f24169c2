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
        return line("mean", ReportCharts.sparkline("mean", "mean " + metric + over, means, low, high, HistoryHtml::decimal), last(means, HistoryHtml::decimal))
                + line("pass rate", ReportCharts.sparkline("pass-rate", "pass rate of " + metric + over, passRates, 0, 1, GateResult::percent),
                        last(passRates, GateResult::percent));
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
