package dev.llmjudge.internal.report;

import dev.llmjudge.internal.Texts;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How the report writes a figure, the same in {@code report.html}, {@code summary.md} and gate
 * messages: cut towards its bound, never rounded past it, so that a mean of 3.4996 against a bound
 * of 3.5 reads {@code 3.49}, a pass rate of 249 of 250 reads {@code 99.6%} and 3,999 of 4,000
 * {@code 99.9%}, never {@code 100%}.
 *
 * <pre>{@code
 * Figures.decimal(3.4996);                       // "3.49"
 * Figures.percent(7.0 / 8);                      // "87.5%"
 * Figures.percent(0.0504, RoundingMode.CEILING); // "5.1%", for a figure bounded from above
 * }</pre>
 */
public final class Figures {
    private Figures() {
    }

    /** Two decimals, cut, as a row's weighted score is written ({@link Texts#score}): {@code 3.996} is {@code 3.99}. */
    public static String decimal(double value) {
        return Texts.score(value);
    }

    /** Two decimals, rounded as {@code rounding} says (towards the bound the figure is held to). */
    public static String decimal(double value, RoundingMode rounding) {
        return BigDecimal.valueOf(value).setScale(2, rounding).toPlainString();
    }

    /** A fraction as a percentage with at most one decimal, cut: {@code 0.9} is {@code 90%}, {@code 0.99975} {@code 99.9%}. */
    public static String percent(double fraction) {
        return percent(fraction, RoundingMode.FLOOR);
    }

    /** A fraction as a percentage with at most one decimal, rounded as {@code rounding} says. */
    public static String percent(double fraction, RoundingMode rounding) {
        // From the fraction's shortest decimal form, so that 0.29 is 29%, not 28.9% by way of 28.999999999999996.
        return BigDecimal.valueOf(fraction).movePointRight(2).setScale(1, rounding).stripTrailingZeros().toPlainString() + "%";
    }
}
