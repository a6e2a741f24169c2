package dev.llmjudge.internal.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One evaluation of one bound of a quality gate, passed or failed, as the report shows it first:
 * what kind of gate ({@link #CLASS}, {@link #DATASET}, {@link #RUN_WIDE}, {@link #MAX_DROP}, {@link #PAIRWISE_BASELINE},
 * {@link #UNATTACHED_CHECKS}; a
 * new kind of gate adds its own constant), where it applied ({@code scope}, e.g. the class
 * {@code SupportBotTest}, and the JUnit unique id of its class), the metric ({@code null} for a
 * gate over every metric), the figure and its value ({@code null} when it cannot be computed,
 * e.g. the mean of no score), the bound and how the value must compare with it, and the message
 * (the failure a class fails with, or what passed).
 *
 * <pre>{@code
 * GateResult r = GateResult.of(GateResult.CLASS, "SupportBotTest", classId, "answer_similarity", "mean", 3.2,
 *         GateResult.Relation.AT_LEAST, 3.5, false, "quality gate failed for SupportBotTest: mean answer_similarity 3.20 is below 3.5 ...");
 * r.passed();      // false: 3.2 is not at least 3.5
 * r.valueText();   // "3.20"
 * r.boundText();   // "≥ 3.5"
 * }</pre>
 */
public record GateResult(String kind, String scope, String testId, String metric, String figure, Double value, Relation relation,
        double bound, boolean ratio, boolean passed, String message) {

    /** A {@code @QualityGate} on a test class (or a gate of the class's extension settings). */
    public static final String CLASS = "CLASS";
    /** A {@code @QualityGate} on a test method, typically a {@code @JudgeDataset} test: over its invocations. */
    public static final String DATASET = "DATASET";
    /** A gate set for every top-level class by configuration ({@code llmjudge.gate.<metric>.*}) or the extension's builder. */
    public static final String RUN_WIDE = "RUN_WIDE";
    /**
     * The baseline gate ({@code llmjudge.gate.max-drop}): no case may drop this much or more against the baseline. A metric
     * with a bound of its own ({@code llmjudge.gate.<metric>.max-drop}) has a gate of its own, with its {@code metric}; the
     * class-wide one, metric {@code null}, then gates the class's other metrics.
     */
    public static final String MAX_DROP = "MAX_DROP";

    /**
     * The pairwise baseline gate ({@code llmjudge.gate.pairwise-baseline}): at most {@code llmjudge.gate.max-loss-rate} of the
     * cases may lose to the baseline's answers, judged pairwise in both orders.
     */
    public static final String PAIRWISE_BASELINE = "PAIRWISE_BASELINE";

    /**
     * Not a bound of its own but the refusal of a gated class's gates: checks were made while the class ran on threads that run
     * no test (e.g. in a parallel stream or on an executor a test started), so its gates may have judged only some of its checks.
     * Only ever failed: {@code value} is how many such checks were made, which must be at most 0.
     */
    public static final String UNATTACHED_CHECKS = "UNATTACHED_CHECKS";

    /** The figure a pass rate is reported under. */
    public static final String PASS_RATE = "pass rate";

    /** How a gate's figure must compare with its bound to pass. */
    public enum Relation {
        AT_LEAST("\u2265"), AT_MOST("\u2264"), BELOW("<");

        private final String symbol;

        Relation(String symbol) {
            this.symbol = symbol;
        }

        /** The comparison as a symbol, e.g. {@code ≥}. */
        public String symbol() {
            return symbol;
        }

        /** Whether {@code value} passes against {@code bound}; no value never passes. */
        public boolean holds(Double value, double bound) {
            if (value == null || value.isNaN()) {
                return false;
            }
            return switch (this) {
                case AT_LEAST -> value >= bound;
                case AT_MOST -> value <= bound;
                case BELOW -> value < bound;
            };
        }
    }

    /** A result whose pass or failure is the figure's comparison with the bound. */
    public static GateResult of(String kind, String scope, String testId, String metric, String figure, Double value, Relation relation,
            double bound, boolean ratio, String message) {
        return new GateResult(kind, scope, testId, metric, figure, value == null || value.isNaN() ? null : value, relation, bound, ratio,
                relation.holds(value, bound), message);
    }

    /**
     * The figure's value as the report shows it: {@code 3.20}, {@code 85%}, or {@code —} when it cannot be computed; cut
     * towards the bound ({@link Figures}), so that a value that misses its bound never reads as meeting it.
     */
    public String valueText() {
        if (value == null) {
            return "\u2014";
        }
        RoundingMode towardsBound = relation == Relation.AT_LEAST ? RoundingMode.FLOOR : RoundingMode.CEILING;
        return ratio ? Figures.percent(value, towardsBound) : value == Math.rint(value) && Math.abs(value) < 1e15
                ? String.valueOf(value.longValue()) : Figures.decimal(value, towardsBound);
    }

    /** The bound with its comparison, e.g. {@code ≥ 3.5} or {@code ≥ 90%}. */
    public String boundText() {
        return relation.symbol() + " " + (ratio ? percent(bound) : number(bound));
    }

    /** A number without trailing zeros: {@code 3.5}, {@code 2}. */
    public static String number(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** A bound's fraction as a percentage with at most one decimal: {@code 0.9} is {@code 90%}, {@code 0.125} is {@code 12.5%}. */
    public static String percent(double fraction) {
        return Figures.percent(fraction, RoundingMode.HALF_UP);
    }
}
