package dev.llmjudge.internal.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.internal.check.PairwiseJudgement.Preference;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the two orders of a comparison come to, for every pair of scores. */
class PairwiseJudgementTest {
    private static Verdict said(int score) {
        Metric m = Metrics.pairwisePreference();
        return new Verdict(m.name(), m.version(), score, 1, 3, "Said " + score + ".", "judge", Map.of(), null, false, null, Duration.ZERO, null);
    }

    @ParameterizedTest(name = "candidate first {0}, reference first {1}: {2}")
    @CsvSource({
        // both orders prefer the candidate (shown first, then shown second): a win
        "3, 1, WIN, false",
        // both prefer the reference: a loss
        "1, 3, LOSS, false",
        // both tie
        "2, 2, TIE, false",
        // a judge that always prefers the first answer, or always the second: a tie, position-inconsistent
        "3, 3, TIE, true",
        "1, 1, TIE, true",
        // one order prefers an answer, the other ties: a tie, position-inconsistent
        "3, 2, TIE, true",
        "2, 1, TIE, true",
        "1, 2, TIE, true",
        "2, 3, TIE, true"})
    void should_count_a_win_or_a_loss_only_when_both_orders_agree(int candidateFirst, int referenceFirst, Preference expected,
            boolean inconsistent) {
        PairwiseJudgement judgement = new PairwiseJudgement(Metrics.pairwisePreference(), said(candidateFirst), said(referenceFirst));

        assertThat(judgement.preference()).isEqualTo(expected);
        assertThat(judgement.positionInconsistent()).isEqualTo(inconsistent);
        assertThat(judgement.verdict().score()).isEqualTo(expected.score());
        assertThat(judgement.verdict().justification().contains(PairwiseJudgement.POSITION_INCONSISTENT)).isEqualTo(inconsistent);
    }

    /** A verdict of these samples, all drawn: its score is their median, the lower middle one of an even number. */
    private static Verdict sampled(List<Integer> scores) {
        if (scores.size() == 1) {
            return said(scores.get(0));
        }
        Metric m = Metrics.pairwisePreference();
        Sampling sampling = new Sampling(scores.size(), Sampling.Drawn.N, false,
                scores.stream().map(s -> new Sampling.Sample(s, "Said " + s + ".")).toList());
        return new Verdict(m.name(), m.version(), sampling.median(), 1, 3, "Said " + sampling.median() + ".", "judge", Map.of(), null, false,
                null, Duration.ZERO, null, sampling);
    }

    /** Every sequence of 1 to 4 pairwise scores. */
    private static List<List<Integer>> everySequence() {
        List<List<Integer>> all = new ArrayList<>();
        List<List<Integer>> previous = List.of(List.of());
        for (int length = 1; length <= 4; length++) {
            List<List<Integer>> next = new ArrayList<>();
            for (List<Integer> prefix : previous) {
                for (int score = 1; score <= 3; score++) {
                    List<Integer> longer = new ArrayList<>(prefix);
                    longer.add(score);
                    next.add(longer);
                }
            }
            all.addAll(next);
            previous = next;
        }
        return all;
    }

    private static Preference mirrored(Preference preference) {
        return preference == Preference.WIN ? Preference.LOSS : preference == Preference.LOSS ? Preference.WIN : Preference.TIE;
    }

    @ParameterizedTest(name = "candidate first {0}, reference first {1}: {2}, position-inconsistent {3}")
    @CsvSource({
        // each order's majority: the candidate-first order prefers the candidate, the reference-first (3 3 1 read 1 1 3) too
        "3 3 1, 1 1 3, WIN, false",
        // an even split is a tie, whichever middle sample is lower on the order's own scale
        "3 1, 1 3, TIE, false",
        "3 1, 3 1, TIE, false",
        "3 3, 3 1, TIE, true",
        "3 3 3 1, 1 1 1 3, WIN, false",
        "3 3 1 1, 1 1 1 1, TIE, true",
        // orders of different lengths (an early stop): each is decided by all of its own samples
        "3 3 3, 1 1 3 3 3, TIE, true",
        "3 3, 1 3 1, WIN, false",
        "1 1, 3 3 1, LOSS, false"})
    void should_decide_each_order_by_what_more_than_half_of_its_samples_prefer(String candidateFirst, String referenceFirst,
            Preference expected, boolean inconsistent) {
        PairwiseJudgement judgement = new PairwiseJudgement(Metrics.pairwisePreference(), sampled(scores(candidateFirst)),
                sampled(scores(referenceFirst)));

        assertThat(judgement.preference()).isEqualTo(expected);
        assertThat(judgement.positionInconsistent()).isEqualTo(inconsistent);
        assertThat(judgement.verdict().score()).isEqualTo(expected.score());
        assertThat(judgement.verdict().sampling().median()).isEqualTo(expected.score());
    }

    private static List<Integer> scores(String spaced) {
        return java.util.Arrays.stream(spaced.trim().split(" +")).map(Integer::valueOf).toList();
    }

    @Test
    void should_come_to_the_median_of_its_samples_and_mirror_when_candidate_and_reference_are_swapped_for_every_sample_of_both_orders() {
        List<List<Integer>> all = everySequence();
        for (List<Integer> first : all) {
            for (List<Integer> second : all) {
                PairwiseJudgement judgement = new PairwiseJudgement(Metrics.pairwisePreference(), sampled(first), sampled(second));
                // Swapped: the answer that was the reference is the candidate, so the order shown first is the other one.
                PairwiseJudgement swapped = new PairwiseJudgement(Metrics.pairwisePreference(), sampled(second), sampled(first));
                String pair = "candidate first " + first + ", reference first " + second;

                Verdict verdict = judgement.verdict();
                assertThat(verdict.sampling().median()).as(pair).isEqualTo(judgement.preference().score());
                assertThat(verdict.sampling().samples()).as(pair).hasSize(first.size() == 1 && second.size() == 1 ? 1 : first.size() + second.size());
                assertThat(swapped.preference()).as(pair).isEqualTo(mirrored(judgement.preference()));
                assertThat(swapped.positionInconsistent()).as(pair).isEqualTo(judgement.positionInconsistent());
                assertThat(verdict.justification().contains(PairwiseJudgement.POSITION_INCONSISTENT)).as(pair)
                        .isEqualTo(judgement.positionInconsistent());
            }
        }
    }

    @Test
    void should_read_position_inconsistency_only_from_what_the_comparison_wrote_and_not_from_the_judge_s_own_words() {
        Metric m = Metrics.pairwisePreference();
        // The judge's own justification (here quoting an answer under test) happens to hold the marker.
        Verdict quoting = new Verdict(m.name(), m.version(), 3, 1, 3,
                "The first answer is better; the second reads like a tie (position-inconsistent: the two orders disagree).", "judge",
                Map.of(), null, false, null, Duration.ZERO, null);
        PairwiseJudgement consistent = new PairwiseJudgement(m, quoting, said(1));
        PairwiseJudgement inconsistent = new PairwiseJudgement(m, said(3), said(3));

        assertThat(consistent.positionInconsistent()).isFalse();
        assertThat(PairwiseJudgement.isPositionInconsistent(consistent.verdict().justification())).isFalse();
        assertThat(PairwiseJudgement.isPositionInconsistent(inconsistent.verdict().justification())).isTrue();
    }

    @Test
    void should_tell_a_comparison_s_justification_by_how_it_opens_and_not_by_words_it_merely_holds() {
        String quotesOne = "Mostly right. Candidate shown first: the answer says so, which the question asked.";

        assertThat(PairwiseJudgement.isComparison(quotesOne)).isFalse();
        assertThat(PairwiseJudgement.isComparison(new PairwiseJudgement(Metrics.pairwisePreference(), said(3), said(1)).verdict()
                .justification())).isTrue();
        assertThat(PairwiseJudgement.isComparison(null)).isFalse();
    }

    @Test
    void should_carry_the_batch_of_its_two_orders_so_that_a_comparison_judged_in_a_batch_is_priced_at_the_batch_rate() {
        Metric m = Metrics.pairwisePreference();

        Verdict batched = new PairwiseJudgement(m, said(3).withBatchId("batch_1"), said(1).withBatchId("batch_1")).verdict();
        Verdict split = new PairwiseJudgement(m, said(3).withBatchId("batch_1"), said(1).withBatchId("batch_2")).verdict();
        Verdict mixed = new PairwiseJudgement(m, said(3).withBatchId("batch_1"), said(1)).verdict();

        assertThat(batched.batchId()).isEqualTo("batch_1");
        assertThat(split.batchId()).isEqualTo("batch_1, batch_2");
        assertThat(mixed.batchJudged()).as("an order judged by a live call: priced at the live rate").isFalse();
    }

    @Test
    void should_reject_a_metric_that_grades_one_answer() {
        assertThatThrownBy(() -> PairwiseJudgement.requests(Metrics.answerRelevance(), "q", "a", "b", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("metric 'answer_relevance' grades one answer, not a pair");
    }
}
