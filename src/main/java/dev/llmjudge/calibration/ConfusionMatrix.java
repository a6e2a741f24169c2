package dev.llmjudge.calibration;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * How many cases each pair of levels holds: a row per human score, a column per judge score, over
 * every level of the rubric. Agreement is the diagonal.
 *
 * <pre>{@code
 * ConfusionMatrix m = calibration.confusionMatrix();
 * m.count(2, 5);   // cases people scored 2 and the judge 5
 * }</pre>
 *
 * @param minScore the rubric's lowest level (the first row and column)
 * @param maxScore the rubric's highest level
 * @param counts {@code counts.get(h - minScore).get(j - minScore)}: cases with human score {@code h} and judge score {@code j}
 */
public record ConfusionMatrix(int minScore, int maxScore, List<List<Integer>> counts) {
    public ConfusionMatrix {
        int levels = maxScore - minScore + 1;
        if (levels < 2) {
            throw new IllegalArgumentException("a rubric has at least two levels, not " + minScore + " to " + maxScore);
        }
        counts = counts.stream().map(List::copyOf).toList();
        if (counts.size() != levels || counts.stream().anyMatch(row -> row.size() != levels)) {
            throw new IllegalArgumentException("the matrix of levels " + minScore + " to " + maxScore + " is " + levels + " by " + levels);
        }
    }

    /** The matrix of these (human, judge) score pairs. */
    static ConfusionMatrix of(int minScore, int maxScore, int[] human, int[] judge) {
        int levels = maxScore - minScore + 1;
        int[][] cells = new int[levels][levels];
        for (int i = 0; i < human.length; i++) {
            cells[human[i] - minScore][judge[i] - minScore]++;
        }
        List<List<Integer>> rows = new ArrayList<>(levels);
        for (int[] row : cells) {
            rows.add(IntStream.of(row).boxed().toList());
        }
        return new ConfusionMatrix(minScore, maxScore, rows);
    }

    /** The rubric's levels, lowest first. */
    public List<Integer> levels() {
        return IntStream.rangeClosed(minScore, maxScore).boxed().toList();
    }

    /** The cases people scored {@code human} and the judge {@code judge}. */
    public int count(int human, int judge) {
        if (human < minScore || human > maxScore || judge < minScore || judge > maxScore) {
            throw new IllegalArgumentException("levels are " + minScore + " to " + maxScore + ": no cell (" + human + ", " + judge + ")");
        }
        return counts.get(human - minScore).get(judge - minScore);
    }

    /**
     * The matrix as aligned text, for messages:
     *
     * <pre>
     * human \ judge   1   2   3   4   5
     *             1   1   .   .   .   .
     *             2   .   2   1   .   .
     * </pre>
     *
     * An empty cell is a dot, so that the diagonal and the misses stand out.
     */
    public String toText() {
        int width = Math.max(3, String.valueOf(counts.stream().flatMap(List::stream).mapToInt(Integer::intValue).max().orElse(0)).length()
                + 1);
        width = Math.max(width, String.valueOf(maxScore).length() + 1);
        String corner = "human \\ judge";
        StringBuilder text = new StringBuilder(corner);
        for (int level : levels()) {
            text.append(pad(String.valueOf(level), width + 1));
        }
        for (int h = minScore; h <= maxScore; h++) {
            text.append('\n').append(pad(String.valueOf(h), corner.length()));
            for (int j = minScore; j <= maxScore; j++) {
                int n = count(h, j);
                text.append(pad(n == 0 ? "." : String.valueOf(n), width + 1));
            }
        }
        return text.toString();
    }

    private static String pad(String text, int width) {
        return " ".repeat(Math.max(0, width - text.length())) + text;
    }
}
