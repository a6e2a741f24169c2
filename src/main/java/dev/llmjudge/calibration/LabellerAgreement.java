package dev.llmjudge.calibration;

import java.util.Objects;

/**
 * How well the people agree with one another: the ceiling to hold the judge's agreement against.
 * The labellers are the positions of the scores in a row (the first score of every row is the
 * first labeller's); each pair of labellers is compared on the rows both scored.
 *
 * @param labellers how many labellers (the most scores a row has)
 * @param rows the rows with two scores or more
 * @param meanPairwiseKappa the mean over the pairs of labellers of their quadratic-weighted kappa (pairs whose
 *     kappa is undefined are left out)
 * @param exactMatches the comparisons (a pair of labellers on a row) where both gave the same score
 * @param comparisons every comparison of a pair of labellers on a row
 */
public record LabellerAgreement(int labellers, int rows, Coefficient meanPairwiseKappa, int exactMatches, int comparisons) {
    public LabellerAgreement {
        Objects.requireNonNull(meanPairwiseKappa, "meanPairwiseKappa");
        if (labellers < 2 || comparisons < 1 || exactMatches < 0 || exactMatches > comparisons) {
            throw new IllegalArgumentException("labellers' agreement needs two labellers and a comparison, with at most as many matches");
        }
    }

    /** The share of comparisons where two labellers gave the same score. */
    public double exactAgreement() {
        return (double) exactMatches / comparisons;
    }
}
