package dev.llmjudge.assertj;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.PairwiseJudgement;
import dev.llmjudge.internal.report.HtmlReportWriter;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.internal.report.RunReports;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.PublishedOutcomes;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Received;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Pairwise comparisons judged in both orders, over a real socket to an OpenAI-compatible server on 127.0.0.1. */
class PairwiseTest {
    private static final String QUESTION = "What is the capital of France?";
    private static final String GOOD = "The capital of France is Paris.";
    private static final String POOR = "France is a country in Europe.";

    @TempDir
    Path cacheDir;

    private OpenAiCompatibleServer server;
    @RegisterExtension
    final PublishedOutcomes published = new PublishedOutcomes();

    @BeforeEach
    void start() {
        server = OpenAiCompatibleServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void judged(Runnable assertion) {
        judged(Map.of(), assertion);
    }

    private void judged(Map<String, String> overrides, Runnable assertion) {
        LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir, overrides);
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            assertion.run();
        } finally {
            runtime.close();
        }
    }

    /** The case data the judge was shown: answer_a, answer_b and the question. */
    private static JsonNode shown(Received request) {
        return request.caseData();
    }

    /** A judge that always prefers whichever answer it is shown first. */
    private void positionBiasedJudge() {
        server.otherwise(request -> Reply.verdict(Metric.PAIRWISE_FIRST_BETTER, "The first answer is better."));
    }

    /** A judge that prefers the answer naming Paris, wherever it is shown. */
    private void consistentJudge() {
        server.otherwise(request -> shown(request).path("answer_a").asText().contains("Paris")
                ? Reply.verdict(Metric.PAIRWISE_FIRST_BETTER, "answer_a names Paris.")
                : Reply.verdict(Metric.PAIRWISE_SECOND_BETTER, "answer_b names Paris."));
    }

    private CheckOutcome onlyOutcome() {
        assertThat(published.outcomes()).hasSize(1);
        return published.outcomes().get(0);
    }

    @Test
    void should_judge_both_orders_showing_the_candidate_first_then_the_reference_first() {
        consistentJudge();

        judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).wins());

        // Both orders are judged at once, so they may arrive in either order.
        assertThat(server.requests()).hasSize(2);
        List<JsonNode> shown = server.requests().stream().map(PairwiseTest::shown).toList();
        JsonNode first = shown.stream().filter(data -> data.path("answer_a").asText().equals(GOOD)).findFirst().orElseThrow();
        JsonNode second = shown.stream().filter(data -> data.path("answer_a").asText().equals(POOR)).findFirst().orElseThrow();
        assertThat(first.path("question").asText()).isEqualTo(QUESTION);
        assertThat(first.path("answer_b").asText()).isEqualTo(POOR);
        assertThat(second.path("question").asText()).isEqualTo(QUESTION);
        assertThat(second.path("answer_b").asText()).isEqualTo(GOOD);
        String system = server.requests().get(0).json().path("messages").get(0).path("content").asText();
        assertThat(system).contains("You compare two answers").contains(Metrics.pairwisePreference().definition());
    }

    @Test
    void should_count_a_position_biased_judge_as_a_tie_not_a_win() {
        positionBiasedJudge();

        judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).winsOrTies());

        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome).isInstanceOf(CheckOutcome.Passed.class);
        assertThat(outcome.verdict().score()).isEqualTo(Metric.PAIRWISE_TIE);
        assertThat(outcome.verdict().justification()).startsWith("tie (position-inconsistent: the two orders disagree)")
                .contains("Candidate shown first: prefers the candidate").contains("Reference shown first: prefers the reference");
    }

    @Test
    void should_fail_wins_when_a_position_biased_judge_prefers_whichever_answer_comes_first() {
        positionBiasedJudge();

        assertThatThrownBy(() -> judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).wins()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting candidate answer:%n  \"%s\"%nto win against the reference answer:%n  \"%s\"".formatted(GOOD, POOR))
                .hasMessageContaining("but it came to a tie")
                .hasMessageContaining("position-inconsistent");
        assertThat(onlyOutcome()).isInstanceOf(CheckOutcome.Failed.class);
    }

    @Test
    void should_count_a_consistent_judge_as_a_win() {
        consistentJudge();

        judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).wins());

        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome).isInstanceOf(CheckOutcome.Passed.class);
        assertThat(outcome.verdict().score()).isEqualTo(Metric.PAIRWISE_FIRST_BETTER);
        assertThat(outcome.verdict().justification()).startsWith("win. ").doesNotContain("position-inconsistent");
        assertThat(outcome.check().evaluationCase().answer()).isEqualTo(GOOD);
        assertThat(outcome.check().evaluationCase().groundTruth()).isEqualTo(POOR);
    }

    @Test
    void should_fail_wins_or_ties_when_both_orders_prefer_the_reference() {
        consistentJudge();

        assertThatThrownBy(() -> judged(() -> assertThatAnswer(POOR).comparedTo(GOOD).forQuestion(QUESTION).winsOrTies()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("to win or tie against the reference answer")
                .hasMessageContaining("but it came to a loss");
        assertThat(onlyOutcome()).isInstanceOfSatisfying(CheckOutcome.Failed.class,
                failed -> assertThat(failed.verdict().score()).isEqualTo(Metric.PAIRWISE_SECOND_BETTER));
    }

    @Test
    void should_record_each_order_as_its_own_verdict_and_replay_both_with_no_request() throws IOException {
        consistentJudge();
        judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).wins());
        try (Stream<Path> files = Files.list(cacheDir.resolve("pairwise_preference"))) {
            assertThat(files.filter(f -> f.toString().endsWith(".json"))).hasSize(2);
        }

        judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).wins());

        assertThat(server.requests()).hasSize(2);
        assertThat(published.outcomes().get(1).verdict().cached()).isTrue();
    }

    @Test
    void should_count_the_order_judged_before_the_failed_one_in_the_error_row_and_a_replayed_order_in_no_later_row() {
        // The reference-first order fails; the candidate-first one was judged and billed, 120 prompt and 30 reply tokens.
        server.otherwise(request -> shown(request).path("answer_a").asText().equals(POOR) ? Reply.error(404, "The model does not exist")
                : Reply.verdict(Metric.PAIRWISE_FIRST_BETTER, "answer_a names Paris."));
        assertThatThrownBy(() -> judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).wins()))
                .isInstanceOf(JudgeException.class);
        consistentJudge();

        judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).wins());

        assertThat(server.requests()).hasSize(3);
        assertThat(published.outcomes().get(0)).isInstanceOf(CheckOutcome.Errored.class);
        ReportRow failed = ReportRow.of(published.outcomes().get(0));
        assertThat(failed.promptTokens()).isEqualTo(120);
        assertThat(failed.completionTokens()).isEqualTo(30);
        // The candidate-first order was replayed: only the reference-first one was billed in the second run.
        ReportRow won = ReportRow.of(published.outcomes().get(1));
        assertThat(won.cached()).isFalse();
        assertThat(won.promptTokens()).isEqualTo(120);
        assertThat(won.completionTokens()).isEqualTo(30);
    }

    @Test
    void should_label_the_answer_an_errored_comparison_was_compared_with_as_the_reference_on_the_page_and_read_back(
            @TempDir Path reportDir) throws IOException {
        server.otherwise(request -> Reply.error(404, "The model does not exist"));
        assertThatThrownBy(() -> judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).wins()))
                .isInstanceOf(JudgeException.class);

        ReportRow errored = ReportRow.of(onlyOutcome());
        RunReport report = RunReports.build(List.of(errored), null, Instant.parse("2026-12-02T10:15:30Z"));
        Path file = reportDir.resolve("report.json");
        JsonReport.write(report, "run-1", file);

        assertThat(errored.outcome()).isEqualTo(ReportRow.ERROR);
        for (RunReport shown : List.of(report, JsonReport.read(file))) {
            assertThat(HtmlReportWriter.render(shown)).contains("<span class=\"label\">Reference answer</span>")
                    .doesNotContain("<span class=\"label\">Ground truth</span>");
        }
    }

    @Test
    void should_not_count_a_check_of_one_answer_whose_justification_reads_like_a_comparisons_as_a_comparison() {
        server.otherwise(request -> Reply.verdict(5, "Same meaning. Candidate shown first: Paris, as the truth says."));
        judged(() -> assertThatAnswer(GOOD).isSimilarTo(GOOD).withScoreAtLeast(4));

        RunReport report = RunReports.build(List.of(ReportRow.of(onlyOutcome())), null, Instant.parse("2026-12-02T10:15:30Z"));

        assertThat(HtmlReportWriter.render(report)).doesNotContain("id=\"pairwise\"")
                .contains("<span class=\"label\">Ground truth</span>");
    }

    /**
     * A judge that ignores n (one choice a request), so that each order's samples are drawn by seed (42, 43, ...) and an order
     * stops early once the samples left can change neither it nor its instability: {@code candidateFirst[i]} is what the candidate-first order's sample
     * i scores, {@code referenceFirst[i]} the reference-first order's, each on its own scale (3: the first answer shown is better).
     */
    private void bySeed(String candidate, int[] candidateFirst, int[] referenceFirst) {
        server.otherwise(request -> {
            int index = (int) (request.json().path("seed").asLong() - 42);
            return shown(request).path("answer_a").asText().equals(candidate)
                    ? Reply.verdict(candidateFirst[index], "candidate-first sample " + (index + 1) + ".")
                    : Reply.verdict(referenceFirst[index], "reference-first sample " + (index + 1) + ".");
        });
    }

    @Test
    void should_decide_each_order_by_its_samples_and_mark_a_comparison_whose_samples_disagree_unstable() {
        // Candidate first: all three samples prefer the candidate; reference first: two prefer the candidate, one the reference.
        server.otherwise(request -> shown(request).path("answer_a").asText().equals(GOOD) ? Reply.verdicts(3, 3, 3) : Reply.verdicts(1, 1, 3));

        judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).sampled(3).wins());

        assertThat(server.requests()).hasSize(2).allSatisfy(r -> assertThat(r.json().path("n").asInt()).isEqualTo(3));
        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome).isInstanceOf(CheckOutcome.Passed.class);
        // Each sample of one order with the other order's preference: the candidate-first ones all win; the reference-first one
        // that prefers the reference, with the candidate-first order's win, would have made a tie.
        assertThat(outcome.sampleScores()).containsExactly(Metric.PAIRWISE_FIRST_BETTER, Metric.PAIRWISE_FIRST_BETTER,
                Metric.PAIRWISE_FIRST_BETTER, Metric.PAIRWISE_FIRST_BETTER, Metric.PAIRWISE_FIRST_BETTER, Metric.PAIRWISE_TIE);
        assertThat(outcome.unstable()).isTrue();
        assertThat(outcome.verdict().justification()).startsWith("win. ")
                .contains("Candidate shown first: prefers the candidate (samples 3, 3, 3, ")
                .contains("Reference shown first: prefers the candidate (samples 1, 1, 3, ");
    }

    @Test
    void should_fail_an_unstable_comparison_under_on_unstable_fail_saying_why() {
        server.otherwise(request -> shown(request).path("answer_a").asText().equals(GOOD) ? Reply.verdicts(3, 3, 3) : Reply.verdicts(1, 1, 3));

        assertThatThrownBy(() -> judged(Map.of(LlmJudgeConfig.JUDGE_ON_UNSTABLE, "fail"),
                () -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).sampled(3).wins()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it is unstable: it came to a win by the median of its samples [3, 3, 3, 3, 3, 2] (each a sample"
                        + " of one order taken with the other order's preference; 3 a win, 2 a tie, 1 a loss)")
                .hasMessageContaining("llmjudge.judge.on-unstable=fail fails an unstable check");
    }

    @Test
    void should_count_a_judge_that_always_prefers_the_first_answer_in_every_sample_as_a_stable_tie() {
        positionBiasedJudge();

        judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).sampled(3).winsOrTies());

        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome.verdict().score()).isEqualTo(Metric.PAIRWISE_TIE);
        assertThat(outcome.verdict().justification()).startsWith("tie (position-inconsistent: the two orders disagree)");
        assertThat(outcome.sampleScores()).containsOnly(Metric.PAIRWISE_TIE);
        assertThat(outcome.unstable()).isFalse();
    }

    @Test
    void should_not_count_a_win_when_the_order_that_stopped_early_prefers_the_candidate_and_the_other_the_reference() {
        // Candidate first: 3, 1, 3, 3 fixes its median and prefers each answer once, so it stops after 4 of 5. Reference first:
        // 1, 1, 3, 3, 3, median 3 (the reference, shown first, is better). Paired sample by sample over the shorter order, this
        // used to come to a win.
        bySeed(GOOD, new int[] {3, 1, 3, 3, 3}, new int[] {1, 1, 3, 3, 3});

        Throwable thrown = catchThrowable(() -> judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).sampled(5).wins()));

        assertThat(server.requests()).as("candidate first stops after 4 of 5, reference first draws all 5").hasSize(9);
        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome).isInstanceOf(CheckOutcome.Failed.class);
        assertThat(outcome.verdict().score()).isEqualTo(Metric.PAIRWISE_TIE);
        assertThat(outcome.verdict().justification()).startsWith("tie (position-inconsistent: the two orders disagree)")
                .contains("Candidate shown first: prefers the candidate (samples 3, 1, 3, 3, ")
                .contains("Reference shown first: prefers the reference (samples 1, 1, 3, 3, 3, ");
        assertThat(outcome.verdict().sampling().asked()).isEqualTo(10);
        assertThat(outcome.verdict().sampling().stoppedEarly()).isTrue();
        assertThat(outcome.unstable()).isTrue();
        assertThat(thrown).isInstanceOf(AssertionError.class).hasMessageContaining("but it came to a tie");
    }

    @Test
    void should_count_a_win_when_both_orders_prefer_the_candidate_though_one_stopped_early() {
        // Candidate first: 3, 1, 3, 3 fixes the median of 5 and prefers each answer once, so it stops after 4. Reference first:
        // 1, 3, 1, 3, 1, median 1 (the candidate, shown second, is better). Truncated to the shorter order, this used to come to
        // a tie.
        bySeed(GOOD, new int[] {3, 1, 3, 3, 3}, new int[] {1, 3, 1, 3, 1});

        judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).sampled(5).wins());

        assertThat(server.requests()).hasSize(9);
        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome).isInstanceOf(CheckOutcome.Passed.class);
        assertThat(outcome.verdict().score()).isEqualTo(Metric.PAIRWISE_FIRST_BETTER);
        assertThat(outcome.verdict().justification()).startsWith("win. ")
                .contains("Reference shown first: prefers the candidate (samples 1, 3, 1, 3, 1, ")
                .contains("): reference-first sample 1.");
        assertThat(outcome.verdict().sampling().stoppedEarly()).isTrue();
        assertThat(outcome.unstable()).as("the reference-first sample that prefers the reference would have made a tie").isTrue();
    }

    @Test
    void should_draw_the_samples_of_an_order_while_those_left_could_still_make_the_comparison_unstable() {
        // Candidate first: 3, 3, 3 fixes the median of 5, but a 1 to come would prefer the reference; once one has, the fifth
        // can change nothing. Reference first: 1 in every sample (the candidate, shown second, is better), drawn in full.
        bySeed(GOOD, new int[] {3, 3, 3, 1, 1}, new int[] {1, 1, 1, 1, 1});

        judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).sampled(5).wins());

        assertThat(server.requests()).as("four candidate-first samples, five reference-first ones").hasSize(9);
        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome).isInstanceOf(CheckOutcome.Passed.class);
        assertThat(outcome.sampleScores()).containsExactly(Metric.PAIRWISE_FIRST_BETTER, Metric.PAIRWISE_FIRST_BETTER,
                Metric.PAIRWISE_FIRST_BETTER, Metric.PAIRWISE_TIE, Metric.PAIRWISE_FIRST_BETTER,
                Metric.PAIRWISE_FIRST_BETTER, Metric.PAIRWISE_FIRST_BETTER, Metric.PAIRWISE_FIRST_BETTER, Metric.PAIRWISE_FIRST_BETTER);
        assertThat(outcome.unstable()).as("a candidate-first sample that prefers the reference would have made a tie").isTrue();
    }

    @Test
    void should_call_two_orders_whose_even_samples_split_alike_a_tie_not_position_inconsistent() {
        // Two samples each, n honoured. Candidate first 3, 1 and reference first 1, 3: for the candidate, each order one win and
        // one loss. The lower middle sample on each order's own scale used to make them disagree.
        server.otherwise(request -> shown(request).path("answer_a").asText().equals(GOOD) ? Reply.verdicts(3, 1) : Reply.verdicts(1, 3));

        judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).sampled(2).winsOrTies());

        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome).isInstanceOf(CheckOutcome.Passed.class);
        assertThat(outcome.verdict().score()).isEqualTo(Metric.PAIRWISE_TIE);
        assertThat(outcome.verdict().justification()).startsWith("tie. ").doesNotContain(PairwiseJudgement.POSITION_INCONSISTENT)
                .contains("Candidate shown first: a tie (samples 3, 1, ").contains("Reference shown first: a tie (samples 1, 3, ");
    }

    @Test
    void should_mirror_a_comparison_when_candidate_and_reference_are_swapped() {
        // The same judge in both checks: the good answer shown first gives 3, 1, the poor one shown first 1, 3.
        server.otherwise(request -> shown(request).path("answer_a").asText().equals(GOOD) ? Reply.verdicts(3, 1) : Reply.verdicts(1, 3));

        judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).sampled(2).winsOrTies());
        judged(() -> assertThatAnswer(POOR).comparedTo(GOOD).forQuestion(QUESTION).sampled(2).winsOrTies());

        assertThat(published.outcomes()).hasSize(2)
                .allSatisfy(outcome -> assertThat(outcome.verdict().score()).as("each a tie, never both a loss").isEqualTo(Metric.PAIRWISE_TIE));
    }

    @Test
    void should_draw_both_samples_of_an_even_count_when_the_first_fixes_only_the_lower_middle_one() {
        // Samples by seed. Candidate first 1, 3: the first sample 1 fixes the lower middle score of two, but the comparison reads
        // both, so the second is drawn. Reference first 3, 1.
        bySeed(GOOD, new int[] {1, 3}, new int[] {3, 1});

        judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).sampled(2).winsOrTies());

        assertThat(server.requests()).as("two samples of each order").hasSize(4);
        CheckOutcome outcome = onlyOutcome();
        assertThat(outcome.verdict().score()).isEqualTo(Metric.PAIRWISE_TIE);
        assertThat(outcome.verdict().justification()).startsWith("tie. ").contains("Candidate shown first: a tie (samples 1, 3, ");
        assertThat(outcome.verdict().sampling().stoppedEarly()).isFalse();
    }

    @Test
    void should_collect_both_orders_for_one_batch_in_collect_mode_and_abort_the_test(@TempDir Path batches) throws IOException {
        assertThatThrownBy(() -> judged(Map.of(LlmJudgeConfig.CACHE_MODE, "collect", LlmJudgeConfig.BATCH_DIR, batches.toString()),
                () -> assertThatAnswer(GOOD).comparedTo(POOR).forQuestion(QUESTION).winsOrTies()))
                .isInstanceOf(org.opentest4j.TestAbortedException.class);

        assertThat(server.requests()).isEmpty();
        assertThat(Files.readAllLines(batches.resolve("requests.jsonl"))).hasSize(2);
        assertThat(onlyOutcome()).isInstanceOf(CheckOutcome.Skipped.class);
    }

    @Test
    void should_compare_on_a_custom_pairwise_metric() {
        Metric shorter = Metric.pairwiseBuilder("more_concise")
                .definition("Which answer says what the question needs in fewer words?")
                .build();
        consistentJudge();

        judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).judgedBy(shorter).forQuestion(QUESTION).wins());

        assertThat(server.lastRequest().promptText()).contains("## Metric: more_concise").contains("fewer words");
        assertThat(onlyOutcome().check().metric().name()).isEqualTo("more_concise");
    }

    @Test
    void should_reject_a_single_answer_metric_in_a_comparison_and_a_pairwise_metric_on_one_answer_before_any_request() {
        assertThatThrownBy(() -> judged(() -> assertThatAnswer(GOOD).comparedTo(POOR).judgedBy(Metrics.answerRelevance())
                .forQuestion(QUESTION)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metric 'answer_relevance' grades one answer, not a pair");
        assertThatThrownBy(() -> judged(() -> assertThatAnswer(GOOD).withQuestion(QUESTION).withGroundTruth(POOR)
                .judgedBy(Metrics.pairwisePreference())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use comparedTo(reference).forQuestion(question).winsOrTies()");
        assertThatThrownBy(() -> judged(() -> assertThatAnswer(GOOD).comparedTo(" ").forQuestion(QUESTION)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the reference answer to compare with is blank");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void should_call_a_reference_of_only_no_break_or_zero_width_spaces_a_blank_reference_answer_before_any_request() {
        for (String invisible : List.of("\u200B\u200B", "\u00A0")) {
            assertThatThrownBy(() -> judged(() -> assertThatAnswer(GOOD).comparedTo(invisible).forQuestion(QUESTION)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the reference answer to compare with is blank: pass comparedTo(the answer the reference system gave)");
        }
        assertThat(server.requests()).isEmpty();
        assertThat(published.outcomes()).hasSize(2).allSatisfy(outcome -> assertThat(outcome)
                .isInstanceOfSatisfying(CheckOutcome.Errored.class, errored -> assertThat(errored.reason())
                        .isEqualTo(JudgeException.Reason.INVALID_INPUT)));
    }
}
