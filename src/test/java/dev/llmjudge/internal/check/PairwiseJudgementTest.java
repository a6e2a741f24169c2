package dev.llmjudge.internal.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.internal.check.PairwiseJudgement.Preference;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.time.Duration;
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

    @Test
    void should_reject_a_metric_that_grades_one_answer() {
        assertThatThrownBy(() -> PairwiseJudgement.requests(Metrics.answerRelevance(), "q", "a", "b", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("metric 'answer_relevance' grades one answer, not a pair");
    }
}
