package dev.llmjudge.internal.report;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Aggregates of one metric over report rows, as MLflow reports them and more. The score figures
 * ({@code NaN} without a score) are over the scored checks, while {@code count} and the pass
 * rate's denominator include the errors, so an error can only lower the pass rate. Skipped checks
 * are in none of the figures; {@code skipped} counts them. Variance and percentiles are numpy's ({@code var}, linear
 * {@code percentile}). The score of a check is its effective score ({@link ReportRow#effectiveScore()}):
 * the weighted score when scored by probabilities, else the integer the judge wrote.
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
        double passRate,
        int skipped) {

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
        double[] scores = mine.stream().filter(ReportRow::scored).mapToDouble(ReportRow::effectiveScore).sorted().toArray();
        double mean = Double.NaN;
        double variance = Double.NaN;
        if (scores.length > 0) {
            mean = Arrays.stream(scores).sum() / scores.length;
            double m = mean;
            variance = Arrays.stream(scores).map(s -> (s - m) * (s - m)).sum() / scores.length;
        }
        int count = mine.size();
        int skipped = (int) rows.stream().filter(r -> r.metric().equals(metric) && r.skipped()).count();
        return new MetricStats(metric, count, passed, failed, errors, mean, variance, percentile(scores, 90), percentile(scores, 50),
                scores.length == 0 ? Double.NaN : scores[0], scores.length == 0 ? Double.NaN : scores[scores.length - 1],
                count == 0 ? Double.NaN : (double) passed / count, skipped);
    }

    /** Aggregates per metric, in metric-name order. */
    public static Map<String, MetricStats> byMetric(Collection<ReportRow> rows) {
        return rows.stream().collect(Collectors.groupingBy(ReportRow::metric, TreeMap::new,
                Collectors.collectingAndThen(Collectors.toList(), list -> of(list.get(0).metric(), list))));
    }

    /** Aggregates per group (e.g. test class) and metric. */
    public static Map<String, Map<String, MetricStats>> byGroup(Collection<ReportRow> rows, Function<ReportRow, String> group) {
        return rows.stream().collect(Collectors.groupingBy(r -> String.valueOf(group.apply(r)), TreeMap::new,
                Collectors.collectingAndThen(Collectors.toList(), MetricStats::byMetric)));
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
