package dev.llmjudge.internal.check;

import dev.llmjudge.calibration.Calibration;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.metric.Metric;
import java.util.List;
import java.util.Objects;

/**
 * A calibration of the judge against human labels, as the report shows it: its figures and the
 * bounds stated so far, or why it has none (a judge error on some rows, a skip). Published again,
 * under the same {@code id}, each time a bound is checked; the last publication stands.
 *
 * @param id tells publications of one calibration from others
 * @param test the test it ran in, {@code null} outside one
 * @param description the assertion's {@code as(...)} description, or {@code null}
 * @param dataset the labelled dataset, as it was named
 * @param calibration the figures; {@code null} for an error or a skip
 * @param bounds the bounds checked so far, in order
 * @param message why there are no figures (an error or a skip), else {@code null}
 */
public record CalibrationOutcome(String id, CheckRecorder.TestIdentity test, String description, String dataset, Metric metric,
        Calibration calibration, List<Bound> bounds, Status status, String message) {

    /** What the calibration came to. */
    public enum Status {
        /** Every bound stated was met. */
        PASSED,
        /** A bound stated was not met. */
        FAILED,
        /** Figures, but no bound stated (yet): it checks nothing. */
        NO_BOUND,
        /** The judge gave no verdict on some rows, or the dataset could not be used: no figures. */
        ERROR,
        /** Not judged on purpose ({@code llmjudge.judge.missing-key=skip} without a key): no figures. */
        SKIPPED
    }

    /**
     * A bound on one figure and whether it was met.
     *
     * @param figure e.g. {@code weighted kappa}
     * @param atLeast the bound
     * @param value the figure, {@code null} when undefined (which never meets a bound)
     */
    public record Bound(String figure, double atLeast, Double value, boolean met) {
    }

    public CalibrationOutcome {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(status, "status");
        bounds = List.copyOf(bounds);
        description = description == null || description.isEmpty() ? null : Secrets.redact(description);
        message = Secrets.redact(message);
    }

    /** A calibration with figures, its status told by its bounds. */
    public static CalibrationOutcome judged(String id, CheckRecorder.TestIdentity test, String description, String dataset,
            Calibration calibration, List<Bound> bounds) {
        Status status = bounds.isEmpty() ? Status.NO_BOUND : bounds.stream().allMatch(Bound::met) ? Status.PASSED : Status.FAILED;
        return new CalibrationOutcome(id, test, description, dataset, calibration.metric(), calibration, bounds, status, null);
    }

    /** A calibration without figures: an error or a skip, and why. */
    public static CalibrationOutcome unjudged(String id, CheckRecorder.TestIdentity test, String description, String dataset, Metric metric,
            Status status, String message) {
        if (status != Status.ERROR && status != Status.SKIPPED) {
            throw new IllegalArgumentException("a calibration without figures is an error or a skip, not " + status);
        }
        return new CalibrationOutcome(id, test, description, dataset, metric, null, List.of(), status, Objects.requireNonNull(message, "message"));
    }
}
