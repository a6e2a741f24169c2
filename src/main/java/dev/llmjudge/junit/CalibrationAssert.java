package dev.llmjudge.junit;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import dev.llmjudge.calibration.Calibration;
import dev.llmjudge.calibration.Coefficient;
import dev.llmjudge.internal.Arguments;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.check.CalibrationOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.assertj.core.api.AbstractAssert;

/**
 * Bounds on how well the judge agrees with people ({@link JudgeAssert#againstHumanLabels}); each
 * checks one figure of the {@link Calibration} and the chain goes on:
 *
 * <pre>{@code
 * assertThatJudge(Metrics.answerSimilarity())
 *     .againstHumanLabels("datasets/golden-similarity.jsonl")
 *     .hasWeightedKappaAtLeast(0.6)
 *     .hasSpearmanAtLeast(0.6)
 *     .hasExactAgreementAtLeast(0.5)
 *     .hasAgreementWithinOneAtLeast(0.9);
 * }</pre>
 *
 * A figure below its bound fails with an {@link AssertionError} that prints every figure, the
 * confusion matrix and the worst-disagreeing rows. A coefficient that the scores do not define
 * (every row at one level, a single row) meets no bound: the failure says why it is undefined.
 * Each bound checked is added to the calibration's section of the run report.
 */
public class CalibrationAssert extends AbstractAssert<CalibrationAssert, Calibration> {
    private static final double SLACK = 1e-12;

    private final HumanLabelCalibration.Publication publication;
    private final List<CalibrationOutcome.Bound> bounds = new ArrayList<>();

    /** Bounds on figures computed elsewhere; nothing is published to the report. */
    public CalibrationAssert(Calibration calibration) {
        this(calibration, null);
    }

    CalibrationAssert(Calibration calibration, HumanLabelCalibration.Publication publication) {
        super(calibration, CalibrationAssert.class);
        this.publication = publication;
    }

    /** The figures the bounds are checked on. */
    public Calibration calibration() {
        return actual;
    }

    /**
     * Fails unless Cohen's kappa with quadratic weights, judge against the human scores over the
     * rubric's levels, is at least {@code min} (0.6 and above is commonly read as substantial).
     *
     * @throws IllegalArgumentException when {@code min} is outside -1..1, or the calibration is {@code null}
     */
    @CanIgnoreReturnValue
    public CalibrationAssert hasWeightedKappaAtLeast(double min) {
        return coefficientAtLeast("hasWeightedKappaAtLeast", "weighted kappa", Calibration::weightedKappa, min);
    }

    /**
     * Fails unless Spearman's rank correlation of the judge's and the human scores (ties ranked by
     * their average) is at least {@code min}.
     *
     * @throws IllegalArgumentException when {@code min} is outside -1..1, or the calibration is {@code null}
     */
    @CanIgnoreReturnValue
    public CalibrationAssert hasSpearmanAtLeast(double min) {
        return coefficientAtLeast("hasSpearmanAtLeast", "Spearman's rho", Calibration::spearman, min);
    }

    /**
     * Fails unless the judge gives the human score on at least this share of the rows.
     *
     * @param min a share, 0 to 1 ({@code 0.5}: half the rows)
     * @throws IllegalArgumentException when {@code min} is outside 0..1, or the calibration is {@code null}
     */
    @CanIgnoreReturnValue
    public CalibrationAssert hasExactAgreementAtLeast(double min) {
        return shareAtLeast("hasExactAgreementAtLeast", "exact agreement", Calibration::exactAgreement, min);
    }

    /**
     * Fails unless the judge is at most one level from the human score on at least this share of the rows.
     *
     * @param min a share, 0 to 1
     * @throws IllegalArgumentException when {@code min} is outside 0..1, or the calibration is {@code null}
     */
    @CanIgnoreReturnValue
    public CalibrationAssert hasAgreementWithinOneAtLeast(double min) {
        return shareAtLeast("hasAgreementWithinOneAtLeast", "agreement within one level", Calibration::agreementWithinOne, min);
    }

    private CalibrationAssert coefficientAtLeast(String method, String figure, Function<Calibration, Coefficient> of, double min) {
        Coefficient coefficient = of.apply(calibrated(method, min));
        if (!(min >= -1 && min <= 1)) {
            throw new IllegalArgumentException(method + "(" + min + "): " + figure + " is between -1 and 1:"
                    + " choose a bound in that range, e.g. 0.6");
        }
        Double value = coefficient.value();
        return atLeast(figure, min, value, coefficient.describe());
    }

    private CalibrationAssert shareAtLeast(String method, String figure, ToDoubleFunction<Calibration> of, double min) {
        double share = of.applyAsDouble(calibrated(method, min));
        if (!(min >= 0 && min <= 1)) {
            throw new IllegalArgumentException(method + "(" + min + "): " + figure + " is a share of the"
                    + " rows, 0 to 1: choose a bound in that range, e.g. 0.5 for half the rows");
        }
        return atLeast(figure, min, share, ShouldAgreeWithHumanLabels.fixed(share));
    }

    /** The figures to bound, or an {@link IllegalArgumentException} naming the bound ({@code method}) when there are none. */
    private Calibration calibrated(String method, double min) {
        return Arguments.requireArgument(actual, method + "(" + min + ")", "calibration", "the figures to bound, computed by"
                + " Calibration.of(metric, judgedCases), or check the judge with assertThatJudge(metric).againstHumanLabels(dataset)");
    }

    private CalibrationAssert atLeast(String figure, double min, Double value, String written) {
        boolean met = value != null && value >= min - SLACK;
        bounds.add(new CalibrationOutcome.Bound(figure, min, value, met));
        if (publication != null) {
            publication.publish(description(), actual, bounds);
        }
        if (!met) {
            // A figure just below its bound would read as the bound at two places ("at least 0.80, but it is 0.80"): more places.
            String shown = value != null && written.equals(ShouldAgreeWithHumanLabels.fixed(min)) ? ShouldAgreeWithHumanLabels.precise(value)
                    : written;
            AssertionError failure = assertionError(ShouldAgreeWithHumanLabels.shouldBeAtLeast(actual,
                    publication == null ? null : publication.dataset(), figure, min, shown));
            throw Secrets.redactFailure(failure);
        }
        return myself;
    }

    private String description() {
        String description = info.descriptionText();
        return description == null || description.isEmpty() ? null : description;
    }
}
