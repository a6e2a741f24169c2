package dev.llmjudge.judge;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How probable the judge found each level of the rubric at the token that holds its score
 * ({@code llmjudge.judge.score-by=probabilities}): level &rarr; probability, normalised over the
 * levels seen among the alternatives at that token, each rounded to {@value #DECIMALS} decimals.
 * Its {@linkplain #weightedScore() weighted score} is the probability-weighted mean of the levels
 * (Liu et al. 2023, G-Eval).
 *
 * <pre>{@code
 * ScoreDistribution d = ScoreDistribution.normalised(Map.of(3, 0.1, 4, 0.6, 5, 0.3));
 * d.weightedScore();   // 4.2 = 0.1 * 3 + 0.6 * 4 + 0.3 * 5
 * }</pre>
 *
 * @param probabilities each level seen and its probability, summing to 1 (within rounding); kept as an unmodifiable copy
 *     sorted by level
 */
public record ScoreDistribution(Map<Integer, Double> probabilities) {
    /** The decimals a probability and a weighted score are rounded to. */
    public static final int DECIMALS = 6;
    /** How far from 1 the probabilities may sum, once rounded. */
    private static final double SUM_TOLERANCE = 1e-4;

    public ScoreDistribution {
        if (probabilities == null || probabilities.isEmpty()) {
            throw new IllegalArgumentException("a score distribution has the probability of at least one level");
        }
        probabilities = Collections.unmodifiableMap(new TreeMap<>(probabilities));
        double sum = 0;
        for (Map.Entry<Integer, Double> level : probabilities.entrySet()) {
            Double p = level.getValue();
            if (level.getKey() == null || p == null || !(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("the probability of level " + level.getKey() + " is " + p + ", not a number from 0 to 1");
            }
            sum += p;
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException("the probabilities " + probabilities + " sum to " + sum + ", not 1");
        }
    }

    /**
     * The distribution of {@code weights} (for instance the probabilities of the levels among a
     * token's alternatives, which do not sum to 1), normalised to sum to 1 and rounded; levels that
     * round to 0 are left out.
     *
     * @throws IllegalArgumentException when no weight is above 0, or one is negative or not finite
     */
    public static ScoreDistribution normalised(Map<Integer, Double> weights) {
        double sum = 0;
        for (Map.Entry<Integer, Double> weight : weights.entrySet()) {
            Double w = weight.getValue();
            if (w == null || !(w >= 0 && w < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("the weight of level " + weight.getKey() + " is " + w + ", not a finite number of 0 or more");
            }
            sum += w;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("no level has a probability above 0: " + weights);
        }
        Map<Integer, Double> normalised = new TreeMap<>();
        for (Map.Entry<Integer, Double> weight : weights.entrySet()) {
            double p = round(weight.getValue() / sum);
            if (p > 0) {
                normalised.put(weight.getKey(), p);
            }
        }
        return new ScoreDistribution(normalised);
    }

    /**
     * The probability-weighted mean of the levels, &Sigma; p(level) &middot; level / &Sigma; p(level),
     * rounded to {@value #DECIMALS} decimals: what a check scored by probabilities compares with its
     * threshold.
     */
    public double weightedScore() {
        double weighted = 0;
        double sum = 0;
        for (Map.Entry<Integer, Double> level : probabilities.entrySet()) {
            weighted += level.getValue() * level.getKey();
            sum += level.getValue();
        }
        return round(weighted / sum);
    }

    /** The probability of {@code level}, 0 when it was not seen. */
    public double probabilityOf(int level) {
        return probabilities.getOrDefault(level, 0.0);
    }

    private static double round(double value) {
        return BigDecimal.valueOf(value).setScale(DECIMALS, RoundingMode.HALF_EVEN).doubleValue();
    }
}
