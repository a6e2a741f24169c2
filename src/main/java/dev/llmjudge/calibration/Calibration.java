package dev.llmjudge.calibration;

import dev.llmjudge.metric.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * How well a judge agrees with people on a metric, over a labelled dataset: exact agreement,
 * agreement within one level, quadratic-weighted Cohen's kappa over the rubric's levels,
 * Spearman's rank correlation (ties ranked by their average), the confusion matrix, and with
 * several labellers per row their own agreement, the ceiling to compare with. Each case's human
 * score is the median of its labels (of an even number, the lower middle one).
 *
 * <pre>{@code
 * Calibration c = Calibration.of(Metrics.answerSimilarity(), judgedCases);
 * c.exactAgreement();          // 0.58
 * c.weightedKappa().value();   // 0.71, or null with c.weightedKappa().undefinedBecause()
 * c.confusionMatrix().count(2, 5);
 * }</pre>
 *
 * The JUnit entry point ({@code JudgeAssertions.assertThatJudge(metric).againstHumanLabels(file)})
 * reads the dataset, judges every row and computes this.
 */
public final class Calibration {
    private final Metric metric;
    private final List<JudgedCase> cases;
    private final int exactMatches;
    private final int withinOneMatches;
    private final Coefficient weightedKappa;
    private final Coefficient spearman;
    private final ConfusionMatrix confusionMatrix;
    private final LabellerAgreement labellers;

    private Calibration(Metric metric, List<JudgedCase> cases) {
        this.metric = metric;
        this.cases = cases;
        int n = cases.size();
        int[] human = new int[n];
        int[] judge = new int[n];
        int exact = 0;
        int withinOne = 0;
        for (int i = 0; i < n; i++) {
            human[i] = cases.get(i).humanScore();
            judge[i] = cases.get(i).judgeScore();
            exact += human[i] == judge[i] ? 1 : 0;
            withinOne += Math.abs(human[i] - judge[i]) <= 1 ? 1 : 0;
        }
        this.exactMatches = exact;
        this.withinOneMatches = withinOne;
        this.confusionMatrix = ConfusionMatrix.of(metric.minScore(), metric.maxScore(), human, judge);
        this.weightedKappa = kappa(human, judge);
        this.spearman = spearman(human, judge);
        this.labellers = labellerAgreement(metric, cases);
    }

    /**
     * The calibration of {@code metric}'s judge on these cases.
     *
     * @throws IllegalArgumentException when {@code metric}, {@code cases} or a case is {@code null}, there is no case, a verdict is on
     *         another metric, or a human score is outside the rubric
     */
    public static Calibration of(Metric metric, List<JudgedCase> cases) {
        if (metric == null) {
            throw new IllegalArgumentException("Calibration.of(null, cases): the metric is null: pass the metric the verdicts are on,"
                    + " e.g. Metrics.answerSimilarity()");
        }
        if (cases == null) {
            throw new IllegalArgumentException("Calibration.of(metric, null): the list of cases is null: pass the judged cases, one per"
                    + " labelled row (a JudgedCase each)");
        }
        int position = 0;
        for (JudgedCase c : cases) {
            position++;
            if (c == null) {
                throw new IllegalArgumentException("Calibration.of(metric, cases): case " + position + " of " + cases.size() + " is null:"
                        + " pass a judged case for every labelled row, new JudgedCase(labelled, verdict)");
            }
        }
        List<JudgedCase> all = List.copyOf(cases);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("a calibration needs at least one labelled case");
        }
        for (JudgedCase c : all) {
            if (!c.verdict().metric().equals(metric.name())) {
                throw new IllegalArgumentException(c.labelled().where() + ": the verdict is on " + c.verdict().metric() + ", not " + metric.name());
            }
            for (int score : c.labelled().humanScores()) {
                if (score < metric.minScore() || score > metric.maxScore()) {
                    throw new IllegalArgumentException(c.labelled().where() + ": human score " + score + " is outside the rubric of "
                            + metric.name() + " (" + metric.minScore() + " to " + metric.maxScore() + ")");
                }
            }
        }
        return new Calibration(metric, all);
    }

    public Metric metric() {
        return metric;
    }

    /** Every case, in the dataset's order. */
    public List<JudgedCase> cases() {
        return cases;
    }

    public int size() {
        return cases.size();
    }

    /** The cases where the judge gave the human score. */
    public int exactMatches() {
        return exactMatches;
    }

    /** The cases where the judge is at most one level from the human score. */
    public int withinOneMatches() {
        return withinOneMatches;
    }

    /** The share of cases where the judge gave the human score. */
    public double exactAgreement() {
        return (double) exactMatches / cases.size();
    }

    /** The share of cases where the judge is at most one level from the human score. */
    public double agreementWithinOne() {
        return (double) withinOneMatches / cases.size();
    }

    /** Cohen's kappa with quadratic weights over the rubric's levels, judge against the human scores. */
    public Coefficient weightedKappa() {
        return weightedKappa;
    }

    /** Spearman's rank correlation of the judge's and the human scores, ties ranked by their average. */
    public Coefficient spearman() {
        return spearman;
    }

    /** Rows: human score; columns: judge score. */
    public ConfusionMatrix confusionMatrix() {
        return confusionMatrix;
    }

    /** The labellers' own agreement, when some row has two scores or more. */
    public Optional<LabellerAgreement> labellerAgreement() {
        return Optional.ofNullable(labellers);
    }

    /** The cases where judge and people differ, furthest apart first (then in the dataset's order), at most {@code limit}. */
    public List<JudgedCase> worstDisagreements(int limit) {
        return cases.stream().filter(c -> c.gap() > 0).sorted(Comparator.comparingInt(JudgedCase::gap).reversed()).limit(limit).toList();
    }

    /** How many cases the judge and the people differ on. */
    public int disagreements() {
        return (int) cases.stream().filter(c -> c.gap() > 0).count();
    }

    private Coefficient kappa(int[] human, int[] judge) {
        // With one row the formula gives 0 or 0/0, neither of which says anything about agreement.
        if (human.length == 1) {
            return Coefficient.undefined("there is one row: kappa weighs the agreement against the agreement expected by chance from"
                    + " how the scores spread over the levels, which one row cannot show; label more rows");
        }
        OptionalDouble kappa = Agreement.quadraticWeightedKappa(metric.minScore(), metric.maxScore(), human, judge);
        if (kappa.isPresent()) {
            return Coefficient.of(kappa.getAsDouble());
        }
        return Coefficient.undefined("every row has human score " + human[0] + " and judge score " + judge[0] + ": with one level"
                + " only, chance alone would agree as well, so kappa is 0 divided by 0; add rows that people graded at other levels");
    }

    private static Coefficient spearman(int[] human, int[] judge) {
        OptionalDouble rho = Agreement.spearman(human, judge);
        if (rho.isPresent()) {
            return Coefficient.of(rho.getAsDouble());
        }
        if (human.length == 1) {
            return Coefficient.undefined("there is one row: a rank correlation needs two rows or more");
        }
        if (Agreement.distinct(human) < 2) {
            return Coefficient.undefined("every human score is " + human[0] + ": scores that are all equal have no order to correlate;"
                    + " add rows that people graded at other levels");
        }
        return Coefficient.undefined("the judge gave every row " + judge[0] + ": scores that are all equal have no order to correlate");
    }

    /** Each pair of labellers (positions) on the rows both scored; {@code null} when no row has two scores. */
    private static LabellerAgreement labellerAgreement(Metric metric, List<JudgedCase> cases) {
        int labellers = cases.stream().mapToInt(c -> c.labelled().humanScores().size()).max().orElse(0);
        int rows = (int) cases.stream().filter(c -> c.labelled().humanScores().size() >= 2).count();
        if (labellers < 2 || rows == 0) {
            return null;
        }
        List<Double> kappas = new ArrayList<>();
        int matches = 0;
        int comparisons = 0;
        for (int p = 0; p < labellers; p++) {
            for (int q = p + 1; q < labellers; q++) {
                int first = p;
                int second = q;
                List<List<Integer>> both = cases.stream().map(c -> c.labelled().humanScores()).filter(s -> s.size() > second).toList();
                if (both.isEmpty()) {
                    continue;
                }
                int[] a = both.stream().mapToInt(s -> s.get(first)).toArray();
                int[] b = both.stream().mapToInt(s -> s.get(second)).toArray();
                if (a.length >= 2) {
                    Agreement.quadraticWeightedKappa(metric.minScore(), metric.maxScore(), a, b).ifPresent(kappas::add);
                }
                for (int i = 0; i < a.length; i++) {
                    matches += a[i] == b[i] ? 1 : 0;
                }
                comparisons += a.length;
            }
        }
        Coefficient mean = kappas.isEmpty()
                ? Coefficient.undefined("no pair of labellers has scores that define kappa: each pair shares one row only, or put"
                        + " all the rows it shares at one level")
                : Coefficient.of(kappas.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
        return new LabellerAgreement(labellers, rows, mean, matches, comparisons);
    }
}
