package dev.llmjudge.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The calibration figures, checked against values worked out by hand. */
class CalibrationTest {
    private static final Metric SIMILARITY = Metrics.answerSimilarity();

    /** A case on line {@code line} with these labels, judged {@code judge}. */
    private static JudgedCase judged(Metric metric, int line, int judge, Integer... labels) {
        LabelledCase labelled = new LabelledCase("golden.jsonl", line, "r" + line,
                EvaluationCase.ofAnswer("answer " + line).withGroundTruth("truth " + line), List.of(labels));
        Verdict verdict = new Verdict(metric.name(), metric.version(), judge, metric.minScore(), metric.maxScore(), "judged " + judge,
                "judge-test-model", Map.of(), null, false, null, null, null);
        return new JudgedCase(labelled, verdict);
    }

    /**
     * Six rows on the 1-5 rubric, two labellers each. The human score of a row is the median of
     * its labels, of two labels the lower one:
     *
     * <pre>
     * row        1      2      3      4      5      6
     * labels   1,1    2,3    3,3    4,5    5,5    5,5
     * human      1      2      3      4      5      5
     * judge      1      3      3      5      4      5
     * </pre>
     */
    private static List<JudgedCase> sixRows() {
        return List.of(judged(SIMILARITY, 1, 1, 1, 1), judged(SIMILARITY, 2, 3, 2, 3), judged(SIMILARITY, 3, 3, 3, 3),
                judged(SIMILARITY, 4, 5, 4, 5), judged(SIMILARITY, 5, 4, 5, 5), judged(SIMILARITY, 6, 5, 5, 5));
    }

    @Test
    void should_count_exact_agreement_and_agreement_within_one_level() {
        // Exact: rows 1, 3 and 6 -> 3 of 6 = 0.5. Within one: every row is 0 or 1 level apart -> 6 of 6 = 1.0.
        Calibration c = Calibration.of(SIMILARITY, sixRows());

        assertThat(c.exactMatches()).isEqualTo(3);
        assertThat(c.exactAgreement()).isEqualTo(0.5);
        assertThat(c.withinOneMatches()).isEqualTo(6);
        assertThat(c.agreementWithinOne()).isEqualTo(1.0);
    }

    @Test
    void should_compute_the_quadratic_weighted_kappa_worked_out_by_hand() {
        // Weights (h - j)^2 / (5 - 1)^2 = d^2 / 16.
        // Observed: the rows' gaps are 0, 1, 0, 1, 1, 0, so the weighted disagreement is (0+1+0+1+1+0) / 16 = 3/16.
        // Expected by chance: sum over levels a, b of human(a) * judge(b) / n * (a - b)^2 / 16, with
        //   human counts 1:1 2:1 3:1 4:1 5:2 and judge counts 1:1 3:2 4:1 5:2:
        //   a=1: 0 + 2*4 + 1*9 + 2*16 = 49     a=2: 1 + 2*1 + 1*4 + 2*9 = 25     a=3: 4 + 0 + 1 + 2*4 = 13
        //   a=4: 9 + 2*1 + 0 + 2*1 = 13        a=5 (twice): (16 + 2*4 + 1 + 0) * 2 = 50
        //   total 150, over n = 6: 25, so the weighted disagreement expected is 25/16.
        // kappa = 1 - (3/16) / (25/16) = 1 - 3/25 = 0.88.
        Calibration c = Calibration.of(SIMILARITY, sixRows());

        assertThat(c.weightedKappa().isDefined()).isTrue();
        assertThat(c.weightedKappa().value()).isCloseTo(0.88, within(1e-12));
    }

    @Test
    void should_compute_spearman_with_tied_scores_ranked_by_their_average() {
        // Human 1 2 3 4 5 5 ranks 1, 2, 3, 4, 5.5, 5.5 (the two 5s share ranks 5 and 6).
        // Judge 1 3 3 5 4 5 ranks 1, 2.5, 2.5, 5.5, 4, 5.5 (the 3s share 2 and 3, the 5s 5 and 6).
        // Both rank means are 3.5. Deviations: human -2.5 -1.5 -0.5 0.5 2 2, judge -2.5 -1 -1 2 0.5 2.
        // Sum of products 6.25 + 1.5 + 0.5 + 1 + 1 + 4 = 14.25; sums of squares 17 (human) and 16.5 (judge).
        // rho = 14.25 / sqrt(17 * 16.5) = 14.25 / sqrt(280.5) = 0.8508...
        Calibration c = Calibration.of(SIMILARITY, sixRows());

        assertThat(Agreement.averageRanks(new int[] {1, 3, 3, 5, 4, 5})).containsExactly(1, 2.5, 2.5, 5.5, 4, 5.5);
        assertThat(c.spearman().value()).isCloseTo(14.25 / Math.sqrt(280.5), within(1e-12)).isCloseTo(0.8508, within(1e-4));
    }

    @Test
    void should_count_each_pair_of_human_and_judge_levels_in_the_confusion_matrix() {
        Calibration c = Calibration.of(SIMILARITY, sixRows());

        // Rows: human 1..5; columns: judge 1..5.
        assertThat(c.confusionMatrix().counts()).containsExactly(
                List.of(1, 0, 0, 0, 0),
                List.of(0, 0, 1, 0, 0),
                List.of(0, 0, 1, 0, 0),
                List.of(0, 0, 0, 0, 1),
                List.of(0, 0, 0, 1, 1));
        assertThat(c.confusionMatrix().count(5, 4)).isEqualTo(1);
        assertThat(c.confusionMatrix().toText()).isEqualTo("""
                human \\ judge   1   2   3   4   5
                            1   1   .   .   .   .
                            2   .   .   1   .   .
                            3   .   .   1   .   .
                            4   .   .   .   .   1
                            5   .   .   .   1   1""");
    }

    @Test
    void should_compute_the_labellers_own_agreement_worked_out_by_hand() {
        // Labeller A (first label): 1 2 3 4 5 5; labeller B (second): 1 3 3 5 5 5.
        // Exact: rows 1, 3, 5, 6 -> 4 of 6. Gaps 0 1 0 1 0 0 -> weighted disagreement observed 2/16.
        // Expected: A counts 1:1 2:1 3:1 4:1 5:2, B counts 1:1 3:2 5:3:
        //   a=1: 0 + 2*4 + 3*16 = 56   a=2: 1 + 2*1 + 3*9 = 30   a=3: 4 + 0 + 3*4 = 16   a=4: 9 + 2*1 + 3*1 = 14
        //   a=5 (twice): (16 + 2*4 + 0) * 2 = 48; total 164, over 6: 164/6, over 16: the weighted disagreement expected.
        // kappa = 1 - 2 / (164/6) = 1 - 12/164 = 0.9268...; one pair of labellers, so that is the mean.
        Calibration c = Calibration.of(SIMILARITY, sixRows());

        LabellerAgreement labellers = c.labellerAgreement().orElseThrow();
        assertThat(labellers.labellers()).isEqualTo(2);
        assertThat(labellers.rows()).isEqualTo(6);
        assertThat(labellers.exactMatches()).isEqualTo(4);
        assertThat(labellers.comparisons()).isEqualTo(6);
        assertThat(labellers.meanPairwiseKappa().value()).isCloseTo(1 - 12.0 / 164, within(1e-12));
    }

    @Test
    void should_average_the_kappas_of_every_pair_of_labellers_on_the_rows_both_scored() {
        // Three labellers on rows 1-4, the third only on rows 1-3.
        //   A: 1 2 4 5   B: 1 2 4 5   C: 2 2 4 -
        // A-B agree on all four rows: kappa 1. A-C and B-C on rows 1-3: A 1 2 4, C 2 2 4, gaps 1 0 0, observed 1/16.
        //   A counts 1:1 2:1 4:1, C counts 2:2 4:1: a=1: 2*1 + 1*9 = 11, a=2: 0 + 1*4 = 4, a=4: 2*4 + 0 = 8; total 23, over 3.
        //   kappa = 1 - 1 / (23/3) = 1 - 3/23 = 20/23.
        // Mean over the three pairs: (1 + 20/23 + 20/23) / 3. Exact agreement: 4 + 2 + 2 of 4 + 3 + 3 comparisons = 8/10.
        List<JudgedCase> rows = List.of(judged(SIMILARITY, 1, 1, 1, 1, 2), judged(SIMILARITY, 2, 2, 2, 2, 2),
                judged(SIMILARITY, 3, 4, 4, 4, 4), judged(SIMILARITY, 4, 5, 5, 5));

        LabellerAgreement labellers = Calibration.of(SIMILARITY, rows).labellerAgreement().orElseThrow();

        assertThat(labellers.labellers()).isEqualTo(3);
        assertThat(labellers.meanPairwiseKappa().value()).isCloseTo((1 + 20.0 / 23 + 20.0 / 23) / 3, within(1e-12));
        assertThat(labellers.exactMatches()).isEqualTo(8);
        assertThat(labellers.comparisons()).isEqualTo(10);
        assertThat(labellers.exactAgreement()).isEqualTo(0.8);
    }

    @Test
    void should_say_why_the_labellers_agreement_has_no_kappa_when_they_share_one_row() {
        List<JudgedCase> rows = List.of(judged(SIMILARITY, 1, 4, 4, 5), judged(SIMILARITY, 2, 2, 2), judged(SIMILARITY, 3, 3, 3));

        LabellerAgreement labellers = Calibration.of(SIMILARITY, rows).labellerAgreement().orElseThrow();

        assertThat(labellers.rows()).isEqualTo(1);
        assertThat(labellers.exactAgreement()).isZero();
        assertThat(labellers.meanPairwiseKappa().undefinedBecause()).isEqualTo("no pair of labellers has scores that define kappa: each"
                + " pair shares one row only, or put all the rows it shares at one level");
    }

    @Test
    void should_take_the_median_of_the_labels_and_of_an_even_number_the_lower_middle_one() {
        EvaluationCase c = EvaluationCase.ofAnswer("a");

        assertThat(new LabelledCase("d", 1, null, c, List.of(4)).humanScore()).isEqualTo(4);
        assertThat(new LabelledCase("d", 1, null, c, List.of(5, 2, 4)).humanScore()).isEqualTo(4);
        assertThat(new LabelledCase("d", 1, null, c, List.of(4, 3)).humanScore()).isEqualTo(3);
        assertThat(new LabelledCase("d", 1, null, c, List.of(5, 1, 4, 2)).humanScore()).isEqualTo(2);
        assertThatThrownBy(() -> new LabelledCase("d", 7, null, c, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("d:7: a labelled case needs at least one human score");
    }

    @Test
    void should_say_why_kappa_and_spearman_are_undefined_when_every_row_has_the_same_score() {
        List<JudgedCase> rows = List.of(judged(SIMILARITY, 1, 5, 5), judged(SIMILARITY, 2, 5, 5), judged(SIMILARITY, 3, 5, 5));

        Calibration c = Calibration.of(SIMILARITY, rows);

        assertThat(c.exactAgreement()).isEqualTo(1.0);
        assertThat(c.weightedKappa().isDefined()).isFalse();
        assertThat(c.weightedKappa().value()).isNull();
        assertThat(c.weightedKappa().describe()).isEqualTo("undefined: every row has human score 5 and judge score 5: with one level only,"
                + " chance alone would agree as well, so kappa is 0 divided by 0; add rows that people graded at other levels");
        assertThat(c.spearman().describe()).isEqualTo("undefined: every human score is 5: scores that are all equal have no order to"
                + " correlate; add rows that people graded at other levels");
        assertThat(c.labellerAgreement()).isEmpty();
    }

    @Test
    void should_say_why_the_coefficients_are_undefined_for_one_row() {
        Calibration c = Calibration.of(SIMILARITY, List.of(judged(SIMILARITY, 1, 3, 4)));

        assertThat(c.exactAgreement()).isZero();
        assertThat(c.agreementWithinOne()).isEqualTo(1.0);
        assertThat(c.weightedKappa().undefinedBecause()).startsWith("there is one row: kappa weighs the agreement against the agreement"
                + " expected by chance");
        assertThat(c.spearman().undefinedBecause()).isEqualTo("there is one row: a rank correlation needs two rows or more");
        assertThat(c.confusionMatrix().count(4, 3)).isEqualTo(1);
    }

    @Test
    void should_give_kappa_zero_and_no_spearman_when_the_judge_gives_every_row_one_score() {
        // Judge always 3: observed and expected disagreement are the same sums, so kappa = 1 - 1 = 0.
        List<JudgedCase> rows = List.of(judged(SIMILARITY, 1, 3, 1), judged(SIMILARITY, 2, 3, 3), judged(SIMILARITY, 3, 3, 5));

        Calibration c = Calibration.of(SIMILARITY, rows);

        assertThat(c.weightedKappa().value()).isCloseTo(0.0, within(1e-12));
        assertThat(c.spearman().undefinedBecause()).isEqualTo("the judge gave every row 3: scores that are all equal have no order to correlate");
    }

    @Test
    void should_weigh_every_disagreement_alike_on_a_pass_fail_rubric() {
        // Levels 0 and 1: the quadratic weight of a disagreement is 1, so this is Cohen's plain kappa.
        // Human 1 1 0 0, judge 1 0 0 0: observed disagreement 1/4; human 0:2 1:2, judge 0:3 1:1;
        // expected (2*1 + 2*3) / 4 / 4 = 8/16 = 0.5; kappa = 1 - 0.25 / 0.5 = 0.5.
        Metric passFail = Metrics.passFail("never quotes a price");
        List<JudgedCase> rows = List.of(judged(passFail, 1, 1, 1), judged(passFail, 2, 0, 1), judged(passFail, 3, 0, 0),
                judged(passFail, 4, 0, 0));

        Calibration c = Calibration.of(passFail, rows);

        assertThat(c.weightedKappa().value()).isCloseTo(0.5, within(1e-12));
        assertThat(c.confusionMatrix().levels()).containsExactly(0, 1);
    }

    @Test
    void should_list_the_worst_disagreements_furthest_apart_first_then_in_the_dataset_order() {
        List<JudgedCase> rows = new ArrayList<>(sixRows());
        rows.add(judged(SIMILARITY, 7, 5, 1));
        rows.add(judged(SIMILARITY, 8, 1, 3));

        Calibration c = Calibration.of(SIMILARITY, rows);

        assertThat(c.worstDisagreements(4)).extracting(r -> r.labelled().line()).containsExactly(7, 8, 2, 4);
        assertThat(c.disagreements()).isEqualTo(5);
    }

    @Test
    void should_refuse_a_human_score_outside_the_rubric_naming_the_row() {
        List<JudgedCase> rows = List.of(judged(SIMILARITY, 1, 3, 3), judged(SIMILARITY, 2, 3, 3, 7));

        assertThatThrownBy(() -> Calibration.of(SIMILARITY, rows)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("golden.jsonl:2: human score 7 is outside the rubric of answer_similarity (1 to 5)");
        assertThatThrownBy(() -> Calibration.of(SIMILARITY, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a calibration needs at least one labelled case");
    }

    @Test
    void should_refuse_a_null_metric_naming_it_and_what_to_pass() {
        List<JudgedCase> rows = List.of(judged(SIMILARITY, 1, 3, 3));

        assertThatThrownBy(() -> Calibration.of(null, rows)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Calibration.of(null, cases): the metric is null: pass the metric the verdicts are on, e.g."
                        + " Metrics.answerSimilarity()");
    }

    @Test
    void should_refuse_a_null_list_of_cases_naming_it_and_what_to_pass() {
        assertThatThrownBy(() -> Calibration.of(SIMILARITY, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Calibration.of(metric, null): the list of cases is null: pass the judged cases, one per labelled row"
                        + " (a JudgedCase each)");
    }

    @Test
    void should_refuse_a_null_case_naming_its_position_and_what_to_pass() {
        List<JudgedCase> rows = new ArrayList<>(List.of(judged(SIMILARITY, 1, 3, 3)));
        rows.add(null);
        rows.add(judged(SIMILARITY, 3, 4, 4));

        assertThatThrownBy(() -> Calibration.of(SIMILARITY, rows)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Calibration.of(metric, cases): case 2 of 3 is null: pass a judged case for every labelled row,"
                        + " new JudgedCase(labelled, verdict)");
    }

    @Test
    void should_refuse_a_judged_case_without_its_labelled_case_or_verdict_naming_the_null_argument() {
        JudgedCase row = judged(SIMILARITY, 4, 3, 3);

        assertThatThrownBy(() -> new JudgedCase(null, row.verdict())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("new JudgedCase(null, verdict): the labelled case is null: pass the row the verdict is on, a LabelledCase");
        assertThatThrownBy(() -> new JudgedCase(null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("new JudgedCase(null, null): the labelled case is null: pass the row the verdict is on, a LabelledCase");
        assertThatThrownBy(() -> new JudgedCase(row.labelled(), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("new JudgedCase(labelled, null): the verdict is null: pass the judge's verdict on golden.jsonl:4");
    }

    @Test
    void should_refuse_a_labelled_case_without_its_evaluation_case_or_scores_naming_the_row_and_what_to_pass() {
        EvaluationCase c = EvaluationCase.ofAnswer("a").withGroundTruth("t");
        List<Integer> withNull = new ArrayList<>(List.of(4));
        withNull.add(null);

        assertThatThrownBy(() -> new LabelledCase("d", 2, null, null, List.of(4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("d:2: the evaluation case is null: pass what the judge grades, e.g."
                        + " EvaluationCase.ofAnswer(answer).withGroundTruth(truth)");
        assertThatThrownBy(() -> new LabelledCase("d", 3, null, c, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("d:3: a labelled case needs at least one human score, not null: pass the people's scores, e.g. List.of(4, 5)");
        assertThatThrownBy(() -> new LabelledCase("d", 4, null, c, withNull)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("d:4: human score 2 of 2 is null: give every labeller's score as a whole number");
    }
}
