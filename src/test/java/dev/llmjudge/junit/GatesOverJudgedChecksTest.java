package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RowBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A gate on the mean or pass rate is over the judged checks of its metric; its message says when some were skipped, not judged. */
class GatesOverJudgedChecksTest {
    private static final String CLASS_ID = "[engine:junit-jupiter]/[class:com.example.SupportBotTest]";
    private static final Gates.Gate GATE = new Gates.Gate("answer_similarity", 3.5, 0.9, null);

    private static ReportRow scored(int n, int score) {
        return RowBuilder.row().withTestName("SupportBotTest > answers() > [" + n + "]").withCaseKey("case-" + n).withScore(score)
                .withSamples(List.of(score)).withOutcome(score >= 4 ? ReportRow.PASSED : ReportRow.FAILED).build();
    }

    private static ReportRow notJudged(int n) {
        return RowBuilder.row().withTestName("SupportBotTest > answers() > [" + n + "]").withCaseKey("case-" + n)
                .skipped("skipped: no API key for the judge: set OPENAI_API_KEY (llmjudge.judge.missing-key=skip)").build();
    }

    private static List<String> messages(List<ReportRow> rows) {
        return Gates.evaluate(GateResult.CLASS, "SupportBotTest", CLASS_ID, List.of(GATE), rows, true).stream().map(GateResult::message)
                .toList();
    }

    @Test
    void should_say_that_a_failed_gate_is_over_the_judged_checks_when_some_were_skipped() {
        List<ReportRow> rows = new ArrayList<>(List.of(scored(1, 5), scored(2, 2), scored(3, 3)));
        rows.add(RowBuilder.row().withCaseKey("case-4").errored("NETWORK", "connection reset").build());
        rows.addAll(List.of(notJudged(5), notJudged(6), notJudged(7)));

        assertThat(messages(rows)).containsExactly(
                "quality gate failed for SupportBotTest: mean answer_similarity 3.33 is below 3.5 over 4 judged checks (3 scored, 1 error;"
                        + " 3 skipped, not judged)",
                "quality gate failed for SupportBotTest: pass rate of answer_similarity 25% is below 90% over 4 judged checks (1 passed,"
                        + " 2 failed, 1 error; 3 skipped, not judged)");
    }

    @Test
    void should_say_that_a_passed_gate_is_over_the_one_judged_check_when_another_was_skipped() {
        assertThat(messages(List.of(scored(1, 5), notJudged(2)))).containsExactly(
                "quality gate passed for SupportBotTest: mean answer_similarity 5.00 is at least 3.5 over 1 judged check (1 scored, 0 errors;"
                        + " 1 skipped, not judged)",
                "quality gate passed for SupportBotTest: pass rate of answer_similarity 100% is at least 90% over 1 judged check (1 passed,"
                        + " 0 failed, 0 errors; 1 skipped, not judged)");
    }

    @Test
    void should_say_that_no_judged_check_was_scored_when_the_others_were_skipped() {
        List<ReportRow> rows = List.of(RowBuilder.row().withCaseKey("case-1").errored("NETWORK", "connection reset").build(), notJudged(2));

        assertThat(messages(rows)).first().isEqualTo("quality gate failed for SupportBotTest: mean answer_similarity cannot be computed, no"
                + " check was scored (0 scored, 1 error; 1 skipped, not judged)");
    }

    @Test
    void should_keep_the_message_as_it_was_when_no_check_was_skipped() {
        assertThat(messages(List.of(scored(1, 5), scored(2, 3)))).containsExactly(
                "quality gate passed for SupportBotTest: mean answer_similarity 4.00 is at least 3.5 (2 scored, 0 errors)",
                "quality gate failed for SupportBotTest: pass rate of answer_similarity 50% is below 90% (2 checks: 1 passed, 1 failed,"
                        + " 0 errors)");
    }

    @Test
    void should_not_count_a_check_aborted_as_unstable_as_skipped_not_judged() {
        ReportRow aborted = RowBuilder.from(scored(2, 4)).withScore(null).withSamples(List.of(2, 5)).withUnstable(true)
                .withOutcome(ReportRow.SKIPPED).withErrorMessage("aborted: unstable").build();

        assertThat(messages(List.of(scored(1, 5), aborted))).first()
                .isEqualTo("quality gate passed for SupportBotTest: mean answer_similarity 5.00 is at least 3.5 (1 scored, 0 errors)");
    }
}
