package dev.llmjudge.calibration;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * An agreement coefficient (a weighted kappa, a rank correlation) that some sets of scores do not
 * define: then it has no value but the reason, in words, instead of {@code NaN}.
 *
 * <pre>{@code
 * Coefficient kappa = calibration.weightedKappa();
 * if (kappa.isDefined()) System.out.println(kappa.value());
 * else System.out.println("kappa is undefined: " + kappa.undefinedBecause());
 * }</pre>
 *
 * @param value the coefficient, between -1 and 1; {@code null} when it is undefined
 * @param undefinedBecause why it is undefined, {@code null} when it is defined
 */
public record Coefficient(Double value, String undefinedBecause) {
    public Coefficient {
        if ((value == null) == (undefinedBecause == null)) {
            throw new IllegalArgumentException("a coefficient has either a value or the reason it is undefined");
        }
        if (value != null && (value.isNaN() || value < -1 - 1e-9 || value > 1 + 1e-9)) {
            throw new IllegalArgumentException("a coefficient is between -1 and 1, not " + value);
        }
    }

    /** A coefficient of this value. */
    public static Coefficient of(double value) {
        return new Coefficient(value, null);
    }

    /** A coefficient that these scores do not define, and why. */
    public static Coefficient undefined(String because) {
        return new Coefficient(null, Objects.requireNonNull(because, "because"));
    }

    public boolean isDefined() {
        return value != null;
    }

    /** The value, empty when undefined. */
    public OptionalDouble asOptional() {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** Two decimals, e.g. {@code 0.42}, or {@code undefined: <reason>}. */
    public String describe() {
        return value == null ? "undefined: " + undefinedBecause : String.format(Locale.ROOT, "%.2f", value);
    }
}
