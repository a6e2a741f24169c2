package dev.llmjudge.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.metric.Metrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the drawing of a verdict's samples may stop early. */
class SamplingTest {
    private static List<Sampling.Sample> drawn(int... scores) {
        return java.util.Arrays.stream(scores).mapToObj(s -> new Sampling.Sample(s, "Said " + s + ".")).toList();
    }

    @Test
    void should_stop_a_verdict_once_its_median_is_fixed() {
        assertThat(Sampling.mayStopEarly(drawn(4, 4, 4), 2, Metrics.answerSimilarity())).isTrue();
        assertThat(Sampling.mayStopEarly(drawn(4, 2, 4), 2, Metrics.answerSimilarity())).isFalse();
        // Of an even number the median is the lower middle score: 1 whatever the second scores.
        assertThat(Sampling.mayStopEarly(drawn(1), 1, Metrics.answerSimilarity())).isTrue();
    }

    @Test
    void should_stop_a_pairwise_verdict_of_an_even_number_only_once_both_middle_scores_are_fixed() {
        // A comparison reads the reference-first order on the candidate's side, where its lower middle score is the upper one.
        assertThat(Sampling.mayStopEarly(drawn(1), 1, Metrics.pairwisePreference())).isFalse();
        assertThat(Sampling.mayStopEarly(drawn(1, 1), 2, Metrics.pairwisePreference())).isFalse();
        assertThat(Sampling.mayStopEarly(drawn(1, 1, 1), 1, Metrics.pairwisePreference())).isTrue();
        assertThat(Sampling.mayStopEarly(drawn(3, 3, 3), 1, Metrics.pairwisePreference())).isTrue();
        // Of an odd number both middle scores are the median: the same rule as for any metric.
        assertThat(Sampling.mayStopEarly(drawn(3, 3), 1, Metrics.pairwisePreference())).isTrue();
        assertThat(Sampling.mayStopEarly(drawn(1, 1), 1, Metrics.pairwisePreference())).isTrue();
        assertThat(Sampling.mayStopEarly(drawn(3, 1), 1, Metrics.pairwisePreference())).isFalse();
    }
}
