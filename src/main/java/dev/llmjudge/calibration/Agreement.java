package dev.llmjudge.calibration;

import java.util.Arrays;
import java.util.OptionalDouble;

/** The agreement statistics between two sets of scores of the same cases. */
final class Agreement {
    private Agreement() {
    }

    /**
     * Cohen's kappa with quadratic weights over the levels {@code min..max}: one minus the
     * weighted disagreement observed over the weighted disagreement expected by chance (the
     * product of the two sets' own distributions), a disagreement of {@code d} levels weighing
     * {@code d² / (levels - 1)²}. Empty when no disagreement is expected by chance, which happens
     * when both sets put every case at the same level.
     */
    static OptionalDouble quadraticWeightedKappa(int min, int max, int[] first, int[] second) {
        int levels = max - min + 1;
        int n = first.length;
        double[][] observed = new double[levels][levels];
        double[] firstShare = new double[levels];
        double[] secondShare = new double[levels];
        for (int i = 0; i < n; i++) {
            observed[first[i] - min][second[i] - min]++;
            firstShare[first[i] - min]++;
            secondShare[second[i] - min]++;
        }
        double weightedObserved = 0;
        double weightedExpected = 0;
        double scale = (double) (levels - 1) * (levels - 1);
        for (int a = 0; a < levels; a++) {
            for (int b = 0; b < levels; b++) {
                double weight = (a - b) * (a - b) / scale;
                weightedObserved += weight * observed[a][b];
                weightedExpected += weight * firstShare[a] * secondShare[b] / n;
            }
        }
        // A sum of terms that are each zero or positive: zero exactly when every term is.
        if (weightedExpected == 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(clamp(1 - weightedObserved / weightedExpected));
    }

    /**
     * Spearman's rank correlation: Pearson's correlation of the ranks, tied scores sharing the
     * average of the ranks they span. Empty when either set has fewer than two distinct scores.
     */
    static OptionalDouble spearman(int[] first, int[] second) {
        double[] x = averageRanks(first);
        double[] y = averageRanks(second);
        int n = x.length;
        double meanX = Arrays.stream(x).average().orElse(0);
        double meanY = Arrays.stream(y).average().orElse(0);
        double covariance = 0;
        double varianceX = 0;
        double varianceY = 0;
        for (int i = 0; i < n; i++) {
            covariance += (x[i] - meanX) * (y[i] - meanY);
            varianceX += (x[i] - meanX) * (x[i] - meanX);
            varianceY += (y[i] - meanY) * (y[i] - meanY);
        }
        if (distinct(first) < 2 || distinct(second) < 2) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(clamp(covariance / Math.sqrt(varianceX * varianceY)));
    }

    /** The ranks of the values, from 1; equal values share the average of the ranks they span (1, 2, 2, 3 ranks 1, 2.5, 2.5, 4). */
    static double[] averageRanks(int[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(values[a], values[b]));
        double[] ranks = new double[n];
        int start = 0;
        while (start < n) {
            int end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            // Positions start..end (0-based) hold ranks start+1..end+1: their average.
            double rank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) {
                ranks[order[i]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }

    static long distinct(int[] values) {
        return Arrays.stream(values).distinct().count();
    }

    /** Rounding can put a coefficient a hair outside -1..1. */
    private static double clamp(double coefficient) {
        return Math.max(-1, Math.min(1, coefficient));
    }
}
