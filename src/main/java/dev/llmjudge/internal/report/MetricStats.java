package dev.llmjudge.internal.report;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Aggregates of one metric over a set of report rows, as MLflow reports them (mean,
 * variance, p90) and more.
 *
 * <p>A judge error is never a score: {@link #mean()} and the other score figures are over the
 * scored checks only, while {@link #count()} and the {@link #passRate()} denominator include
 * the errors, so an error can only lower the pass rate, never vanish from it. A skipped check is
 * not judged on purpose: it is in none of the figures (the report's totals count it).
 *
 * <pre>{@code
 * Map<String, MetricStats> stats = MetricStats.byMetric(report.rows());
 * stats.get("answer_similarity").mean();
 * }</pre>
 *
 * @param metric the metric's name
 * @param count every check, errors included
 * @param passed checks whose score met the threshold
 * @param failed checks whose score was below the threshold
 * @param errors checks with no verdict
 * @param mean mean score of the scored checks ({@code NaN} when none)
 * @param variance population variance of the scores, as numpy's {@code var} ({@code NaN} when none)
 * @param p90 90th percentile, linear interpolation as numpy's {@code percentile} ({@code NaN} when none)
 * @param median median score ({@code NaN} when none)
 * @param min lowest score ({@code NaN} when none)
 * @param max highest score ({@code NaN} when none)
 * @param passRate {@code passed / count} ({@code NaN} when count is 0)
 */
public record MetricStats(
        String metric,
        int count,
        int passed,
        int failed,
        int errors,
        double mean,
        double variance,
        double p90,
        double median,
        double min,
        double max,
        double passRate) {

    /** The number of checks that have a score (passed plus failed). */
    public int scored() {
        return passed + failed;
    }

    /** Aggregates the checks of one metric (checks of other metrics are ignored). */
    public static MetricStats of(String metric, Collection<ReportRow> rows) {
        List<ReportRow> mine = rows.stream().filter(r -> r.metric().equals(metric) && !r.skipped()).toList();
        int passed = (int) mine.stream().filter(r -> ReportRow.PASSED.equals(r.outcome())).count();
        int failed = (int) mine.stream().filter(r -> ReportRow.FAILED.equals(r.outcome())).count();
        int errors = (int) mine.stream().filter(r -> ReportRow.ERROR.equals(r.outcome())).count();
        double[] scores = mine.stream().filter(ReportRow::scored).mapToDouble(ReportRow::score).sorted().toArray();
        double mean = Double.NaN;
        double variance = Double.NaN;
        if (scores.length > 0) {
            mean = Arrays.stream(scores).sum() / scores.length;
            double m = mean;
            variance = Arrays.stream(scores).map(s -> (s - m) * (s - m)).sum() / scores.length;
        }
        int count = mine.size();
        return new MetricStats(metric, count, passed, failed, errors, mean, variance, percentile(scores, 90), percentile(scores, 50),
                scores.length == 0 ? Double.NaN : scores[0], scores.length == 0 ? Double.NaN : scores[scores.length - 1],
                count == 0 ? Double.NaN : (double) passed / count);
    }

    /** Aggregates per metric, in metric-name order. */
    public static Map<String, MetricStats> byMetric(Collection<ReportRow> rows) {
        Map<String, List<ReportRow>> grouped = rows.stream().collect(Collectors.groupingBy(ReportRow::metric, TreeMap::new, Collectors.toList()));
        Map<String, MetricStats> stats = new TreeMap<>();
        grouped.forEach((metric, list) -> stats.put(metric, of(metric, list)));
        return stats;
    }

    /** Aggregates per group and metric, e.g. per test class: {@code byGroup(rows, r -> classOf(r.testId()))}. */
    public static Map<String, Map<String, MetricStats>> byGroup(Collection<ReportRow> rows, Function<ReportRow, String> group) {
        Map<String, List<ReportRow>> grouped = rows.stream()
                .collect(Collectors.groupingBy(r -> String.valueOf(group.apply(r)), TreeMap::new, Collectors.toList()));
        Map<String, Map<String, MetricStats>> stats = new TreeMap<>();
        grouped.forEach((g, list) -> stats.put(g, byMetric(list)));
        return stats;
    }

    /** Percentile with linear interpolation between closest ranks (numpy's default) over sorted values. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double rank = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = (int) Math.ceil(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
