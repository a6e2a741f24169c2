package dev.llmjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The distribution of the levels and its weighted score, computed by hand; and what a verdict scored by it compares. */
class ScoreDistributionTest {

    @Test
    void should_weigh_each_level_by_its_probability() {
        ScoreDistribution d = new ScoreDistribution(Map.of(4, 0.6, 5, 0.3, 3, 0.1));

        assertThat(d.weightedScore()).as("0.1 * 3 + 0.6 * 4 + 0.3 * 5").isEqualTo(4.2);
        assertThat(d.probabilities()).containsExactly(Map.entry(3, 0.1), Map.entry(4, 0.6), Map.entry(5, 0.3));
        assertThat(d.probabilityOf(1)).isZero();
    }

    @Test
    void should_normalise_weights_over_the_levels_seen_and_round_them() {
        ScoreDistribution d = ScoreDistribution.normalised(Map.of(4, 0.54, 5, 0.27, 3, 0.09, 2, 1e-9));

        assertThat(d.probabilities()).as("0.54 / 0.9 and so on; 2 rounds to nothing and is left out")
                .containsExactly(Map.entry(3, 0.1), Map.entry(4, 0.6), Map.entry(5, 0.3));
        assertThat(d.weightedScore()).isEqualTo(4.2);
        assertThat(ScoreDistribution.normalised(Map.of(1, 1.0, 2, 2.0)).probabilities())
                .containsExactly(Map.entry(1, 0.333333), Map.entry(2, 0.666667));
        assertThat(ScoreDistribution.normalised(Map.of(1, 1.0, 2, 2.0)).weightedScore()).isEqualTo(1.666667);
    }

    @Test
    void should_refuse_probabilities_that_are_not_a_distribution() {
        assertThatThrownBy(() -> new ScoreDistribution(Map.of())).hasMessage("a score distribution has the probability of at least one level");
        assertThatThrownBy(() -> new ScoreDistribution(Map.of(4, 0.6, 5, 0.6))).hasMessage("the probabilities {4=0.6, 5=0.6} sum to 1.2, not 1");
        assertThatThrownBy(() -> new ScoreDistribution(Map.of(4, -0.5, 5, 1.5))).hasMessage("the probability of level 4 is -0.5, not a number"
                + " from 0 to 1");
        assertThatThrownBy(() -> ScoreDistribution.normalised(Map.of(4, 0.0))).hasMessage("no level has a probability above 0: {4=0.0}");
        assertThatThrownBy(() -> ScoreDistribution.normalised(Map.of(4, Double.NaN))).hasMessage("the weight of level 4 is NaN, not a finite"
                + " number of 0 or more");
    }

    @Test
    void should_make_the_weighted_score_the_verdicts_effective_score_and_the_median_of_several() {
        Sampling.Sample one = new Sampling.Sample(4, "A.", new ScoreDistribution(Map.of(4, 0.97, 3, 0.03)));
        Verdict single = verdict(Sampling.single(one));

        assertThat(single.weightedScore()).hasValue(3.97);
        assertThat(single.effectiveScore()).isEqualTo(3.97);
        assertThat(single.meets(4)).as("3.97 < 4").isFalse();
        assertThat(single.meets(3)).isTrue();

        Sampling three = new Sampling(3, Sampling.Drawn.N, false, List.of(one,
                new Sampling.Sample(5, "B.", new ScoreDistribution(Map.of(5, 0.5, 4, 0.5))),
                new Sampling.Sample(4, "C.", new ScoreDistribution(Map.of(4, 0.6, 5, 0.4)))));
        Verdict sampled = verdict(three);
        assertThat(sampled.weightedScore()).as("sorted 3.97, 4.4, 4.5").hasValue(4.4);
        assertThat(sampled.score()).as("the median of 4, 5, 4 written").isEqualTo(4);
        assertThat(three.medianSample().justification()).isEqualTo("C.");
        assertThat(three.unstableAt(4)).as("3.97 below 4, the others not").isTrue();
        assertThat(three.unstableAt(3)).isFalse();
    }

    @Test
    void should_leave_a_verdict_scored_by_the_reply_as_it_was() {
        Verdict byReply = verdict(Sampling.single(4, "A."));

        assertThat(byReply.weightedScore()).isEmpty();
        assertThat(byReply.effectiveScore()).isEqualTo(4.0);
        assertThat(byReply.meets(4)).isTrue();
    }

    @Test
    void should_refuse_a_verdict_whose_samples_are_scored_by_probabilities_and_not() {
        assertThatThrownBy(() -> new Sampling(2, Sampling.Drawn.N, false, List.of(new Sampling.Sample(4, "A."),
                new Sampling.Sample(4, "B.", new ScoreDistribution(Map.of(4, 1.0)))))).hasMessage("1 of 2 samples have a score distribution:"
                        + " a verdict is scored by probabilities in every sample or in none");
        assertThatThrownBy(() -> verdict(Sampling.single(new Sampling.Sample(4, "A.", new ScoreDistribution(Map.of(4, 0.5, 7, 0.5))))))
                .hasMessage("the score distribution {4=0.5, 7=0.5} has levels outside 1..5");
    }

    @Test
    void should_meet_the_higher_level_of_a_two_level_rubric_scored_by_probabilities_at_the_midpoint() {
        assertThat(Verdict.effectiveThreshold(1, 0, 1, true)).as("pass/fail: P(1) >= 0.5").isEqualTo(0.5);
        assertThat(Verdict.effectiveThreshold(2, 1, 2, true)).as("any two levels: their midpoint").isEqualTo(1.5);
        assertThat(Verdict.effectiveThreshold(0, 0, 1, true)).as("the lower level is always met").isEqualTo(0.0);
        assertThat(Verdict.effectiveThreshold(1, 0, 1, false)).as("scored by the reply: the integer 1").isEqualTo(1.0);
        assertThat(Verdict.effectiveThreshold(5, 1, 5, true)).as("more levels: the threshold itself").isEqualTo(5.0);
        assertThat(Verdict.effectiveThreshold(1, 0, 2, true)).isEqualTo(1.0);

        Verdict nearlySure = passFail(Sampling.single(new Sampling.Sample(1, "A.", new ScoreDistribution(Map.of(1, 0.97, 0, 0.03)))));
        assertThat(nearlySure.effectiveScore()).isEqualTo(0.97);
        assertThat(nearlySure.meets(1)).isTrue();
        Verdict doubtful = passFail(Sampling.single(new Sampling.Sample(0, "B.", new ScoreDistribution(Map.of(1, 0.42, 0, 0.58)))));
        assertThat(doubtful.meets(1)).isFalse();
        Verdict torn = passFail(Sampling.single(new Sampling.Sample(1, "C.", new ScoreDistribution(Map.of(1, 0.5, 0, 0.5)))));
        assertThat(torn.meets(1)).as("1 as probable as 0").isTrue();

        Sampling three = new Sampling(3, Sampling.Drawn.N, false, List.of(new Sampling.Sample(1, "A.", new ScoreDistribution(Map.of(1, 1.0))),
                new Sampling.Sample(1, "B.", new ScoreDistribution(Map.of(1, 0.7, 0, 0.3))),
                new Sampling.Sample(1, "C.", new ScoreDistribution(Map.of(1, 0.6, 0, 0.4)))));
        assertThat(passFail(three).unstableAt(1)).as("1.0, 0.7, 0.6 all reach 0.5").isFalse();
        assertThat(three.unstableAt(1.0)).as("compared with 1 itself, they would straddle it").isTrue();
    }

    @Test
    void should_keep_a_two_level_rubric_scored_by_the_reply_at_its_threshold() {
        Verdict zero = passFail(Sampling.single(0, "A."));
        Verdict one = passFail(Sampling.single(1, "B."));

        assertThat(zero.meets(1)).isFalse();
        assertThat(one.meets(1)).isTrue();
        assertThat(zero.effectiveThreshold(1)).isEqualTo(1.0);
    }

    private static Verdict passFail(Sampling sampling) {
        return new Verdict("pass_fail_criterion", "v1", sampling.median(), 0, 1, sampling.medianSample().justification(), "m", Map.of(),
                null, false, null, null, null, sampling);
    }

    private static Verdict verdict(Sampling sampling) {
        return new Verdict("answer_similarity", "v1", sampling.median(), 1, 5, sampling.medianSample().justification(), "m", Map.of(), null,
                false, null, null, null, sampling);
    }
}
