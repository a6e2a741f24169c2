package dev.llmjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.metric.Metrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the drawing of a verdict's samples may stop early. */
class SamplingTest {
    private static List<Sampling.Sample> drawn(int... scores) {
        return java.util.Arrays.stream(scores).mapToObj(s -> new Sampling.Sample(s, "Said " + s + ".")).toList();
    }

    @Test
    void should_stop_a_verdict_once_its_median_is_fixed_and_its_samples_fall_on_both_sides_of_every_threshold() {
        assertThat(Sampling.mayStopEarly(drawn(5, 1, 5, 5), 1, Metrics.answerSimilarity())).isTrue();
        assertThat(Sampling.mayStopEarly(drawn(1, 5, 5), 2, Metrics.answerSimilarity())).as("two 1s would make it 1").isFalse();
        // Of an even number the median is the lower middle score: 1 whatever the fourth scores.
        assertThat(Sampling.mayStopEarly(drawn(1, 1, 5), 1, Metrics.answerSimilarity())).isTrue();
        // A pass/fail metric has one threshold that matters, 1.
        assertThat(Sampling.mayStopEarly(drawn(1, 0, 1, 1), 1, Metrics.passFail("is polite"))).isTrue();
        assertThat(Sampling.mayStopEarly(drawn(1, 1, 1), 2, Metrics.passFail("is polite"))).isFalse();
    }

    @Test
    void should_not_stop_a_verdict_whose_median_is_fixed_while_the_samples_left_could_still_make_a_check_unstable() {
        // 4, 4, 4 of 5 fixes the median at 4, but 1, 1 to come would put two samples below a threshold of 4 and 5, 5 above one of 5.
        assertThat(Sampling.medianIsSettled(drawn(4, 4, 4), 2, Metrics.answerSimilarity())).isTrue();
        assertThat(Sampling.instabilityIsFixed(drawn(4, 4, 4), 2, 1, 5)).isFalse();
        assertThat(Sampling.mayStopEarly(drawn(4, 4, 4), 2, Metrics.answerSimilarity())).isFalse();
        // Samples at both ends fall on both sides of every threshold; with none to come nothing can change.
        assertThat(Sampling.instabilityIsFixed(drawn(1, 5), 1, 1, 5)).isTrue();
        assertThat(Sampling.instabilityIsFixed(drawn(2, 5), 1, 1, 5)).as("a 1 to come would make a check at 2 unstable").isFalse();
        assertThat(Sampling.instabilityIsFixed(drawn(4, 4, 4), 0, 1, 5)).isTrue();
    }

    @Test
    void should_compare_the_weighted_scores_of_samples_scored_by_probabilities() {
        List<Sampling.Sample> weighted = List.of(sample(5, Map.of(5, 1.0)), sample(1, Map.of(1, 0.6, 2, 0.4)), sample(5, Map.of(5, 1.0)),
                sample(5, Map.of(5, 1.0)));
        assertThat(Sampling.mayStopEarly(weighted, 1, Metrics.answerSimilarity())).as("1.4 is below every threshold, 5.0 at every one")
                .isTrue();
        List<Sampling.Sample> nearlyTop = List.of(sample(5, Map.of(5, 0.9, 4, 0.1)), sample(1, Map.of(1, 1.0)), sample(5, Map.of(5, 0.9, 4, 0.1)),
                sample(5, Map.of(5, 0.9, 4, 0.1)));
        assertThat(Sampling.mayStopEarly(nearlyTop, 1, Metrics.answerSimilarity())).as("4.9 is below the threshold 5, which a 5 could reach")
                .isFalse();
    }

    @Test
    void should_fix_the_instability_of_weighted_pass_fail_samples_only_once_they_fall_on_both_sides_of_the_midpoint() {
        List<Sampling.Sample> allAbove = List.of(sample(1, Map.of(1, 1.0)), sample(1, Map.of(1, 1.0)), sample(1, Map.of(1, 1.0)),
                sample(1, Map.of(1, 0.7, 0, 0.3)));
        assertThat(Sampling.medianIsSettled(allAbove, 1, Metrics.passFail("is polite"))).isTrue();
        assertThat(Sampling.mayStopEarly(allAbove, 1, Metrics.passFail("is polite"))).as("1.0 and 0.7 both reach 0.5: a 0.2 to come"
                + " would make the check unstable").isFalse();
        List<Sampling.Sample> bothSides = List.of(sample(1, Map.of(1, 1.0)), sample(1, Map.of(1, 1.0)), sample(1, Map.of(1, 1.0)),
                sample(0, Map.of(0, 0.6, 1, 0.4)));
        assertThat(Sampling.mayStopEarly(bothSides, 1, Metrics.passFail("is polite"))).as("0.4 is below 0.5, 1.0 at it").isTrue();
    }

    private static Sampling.Sample sample(int score, Map<Integer, Double> probabilities) {
        return new Sampling.Sample(score, "Said " + score + ".", new ScoreDistribution(probabilities));
    }

    @Test
    void should_stop_a_pairwise_verdict_of_an_even_number_only_once_both_middle_scores_are_fixed() {
        // A comparison reads the reference-first order on the candidate's side, where its lower middle score is the upper one.
        assertThat(Sampling.medianIsSettled(drawn(1), 1, Metrics.pairwisePreference())).isFalse();
        assertThat(Sampling.medianIsSettled(drawn(1, 1), 2, Metrics.pairwisePreference())).isFalse();
        assertThat(Sampling.medianIsSettled(drawn(1, 1, 1), 1, Metrics.pairwisePreference())).isTrue();
        assertThat(Sampling.mayStopEarly(drawn(1, 1, 1, 1, 3), 1, Metrics.pairwisePreference())).isTrue();
        assertThat(Sampling.mayStopEarly(drawn(1, 1, 3), 1, Metrics.pairwisePreference())).isFalse();
        // Of an odd number both middle scores are the median: the same rule as for any metric.
        assertThat(Sampling.medianIsSettled(drawn(3, 3), 1, Metrics.pairwisePreference())).isTrue();
        assertThat(Sampling.mayStopEarly(drawn(3, 1, 3, 3), 1, Metrics.pairwisePreference())).isTrue();
        assertThat(Sampling.medianIsSettled(drawn(3, 1), 1, Metrics.pairwisePreference())).isFalse();
    }
}
