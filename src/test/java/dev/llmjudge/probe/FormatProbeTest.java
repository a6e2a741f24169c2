package dev.llmjudge.probe;

import static dev.llmjudge.probe.BiasProbes.assertThatMetric;
import static dev.llmjudge.probe.VerbosityProbeTest.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.metric.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The format probe: the same answer as bullets or with extra white space must score the same, either way. */
class FormatProbeTest extends LoopbackProbeTest {

    @Test
    void should_pass_on_a_stable_judge_that_judged_each_case_once_and_each_reformatting_once() {
        server.otherwise(ProbeJudges.stable());

        assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES).isNotSwayedByFormat();

        List<String> expected = new ArrayList<>();
        for (EvaluationCase c : ProbeJudges.CASES) {
            expected.addAll(List.of(c.answer(), Rewrite.bullets().apply(c.answer()), Rewrite.extraWhitespace().apply(c.answer())));
        }
        assertThat(server.requests()).extracting(ProbeJudges::answerOf).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(verdictFiles()).hasSize(9);
    }

    @Test
    void should_fail_on_a_judge_that_rewards_bullets_listing_the_pairs_with_their_reformatting() {
        server.otherwise(ProbeJudges.rewardingBullets());

        assertThatThrownBy(() -> assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES).isNotSwayedByFormat())
                .isInstanceOf(AssertionError.class)
                .hasMessage(lines("\nExpecting the judge of answer_similarity (v1) to score an answer the same in another format,"
                        + "\nbut the score moved by one level or more in 3 of 6 pairs (50%); at most 0 may (allowingShare(0.0))."
                        + "\nRewrites: as bullets; with extra whitespace."
                        + "\nPairs that moved:"
                        + "\n  case 1 \"Can I get a refund after 30 days?\", as bullets: 3 -> 5 (+2)"
                        + "\n    original answer:         \"Refunds are possible within 30 days of delivery only.\""
                        + "\n    rewritten answer:        \"- Refunds are possible within 30 days of delivery only.\""
                        + "\n    original justification:  \"bullets judge: 3 for 53 characters.\""
                        + "\n    rewritten justification: \"bullets judge: 5 for 55 characters.\""
                        + "\n  case 2 \"Do you ship to Canada?\", as bullets: 3 -> 5 (+2)"
                        + "\n    original answer:         \"Yes, we ship to Canada. Delivery takes 5-8 business days.\""
                        + "\n    rewritten answer:        \"- Yes, we ship to Canada.\\n- Delivery takes 5-8 business days.\""
                        + "\n    original justification:  \"bullets judge: 3 for 57 characters.\""
                        + "\n    rewritten justification: \"bullets judge: 5 for 61 characters.\""
                        + "\n  case 3 \"When are you open?\", as bullets: 3 -> 5 (+2)"
                        + "\n    original answer:         \"Monday to Friday, 9am to 5pm.\""
                        + "\n    rewritten answer:        \"- Monday to Friday, 9am to 5pm.\""
                        + "\n    original justification:  \"bullets judge: 3 for 29 characters.\""
                        + "\n    rewritten justification: \"bullets judge: 5 for 31 characters.\""
                        + "\nJudge: judge-test-model"));
    }

    @Test
    void should_fail_on_a_judge_whose_score_drops_with_extra_whitespace() {
        server.otherwise(ProbeJudges.penalisingWhitespace());

        assertThatThrownBy(() -> assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES.get(2)).isNotSwayedByFormat())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("in 1 of 2 pairs (50%); at most 0 may")
                .hasMessageContaining(lines("\n  case 1 \"When are you open?\", with extra whitespace: 4 -> 2 (-2)"
                        + "\n    original answer:         \"Monday to Friday, 9am to 5pm.\""
                        + "\n    rewritten answer:        \"\\n\\nMonday  to  Friday,  9am  to  5pm.\\n\\n\""));
    }

    @Test
    void should_pass_when_no_more_pairs_moved_than_allowed() {
        server.otherwise(ProbeJudges.penalisingWhitespace());

        // Extra whitespace drops every case's score and bullets do not: 3 of 6 pairs move.
        assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES).allowingShare(0.5).isNotSwayedByFormat();
        assertThatThrownBy(() -> assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES).allowingShare(0.49)
                .isNotSwayedByFormat()).isInstanceOf(AssertionError.class).hasMessageContaining("in 3 of 6 pairs (50%); at most 2 may");
    }

    @Test
    void should_probe_with_reformattings_of_ones_own() {
        server.otherwise(ProbeJudges.scoring("shouting", a -> a.equals(a.toUpperCase(Locale.ROOT)) ? 1 : 4));

        assertThatThrownBy(() -> assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES.get(2))
                .isNotSwayedByFormat(Rewrite.of("in capitals", a -> a.toUpperCase(Locale.ROOT))))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(lines("\nRewrite: in capitals.\n"))
                .hasMessageContaining(lines("\n  case 1 \"When are you open?\": 4 -> 1 (-3)\n"
                        + "    original answer:         \"Monday to Friday, 9am to 5pm.\"\n"
                        + "    rewritten answer:        \"MONDAY TO FRIDAY, 9AM TO 5PM.\""));
    }

    @Test
    void should_chain_probes_sharing_the_verdicts_of_the_cases_as_they_are() {
        server.otherwise(ProbeJudges.stable());

        assertThatMetric(Metrics.answerSimilarity(), runtime()).onCases(ProbeJudges.CASES).isNotSwayedByVerbosity().isNotSwayedByFormat();

        // 3 cases, 3 padded, 3 as bullets, 3 with extra whitespace: the cases as they are were judged once, then replayed.
        assertThat(server.requestCount()).isEqualTo(12);
    }
}
