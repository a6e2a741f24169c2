package dev.llmjudge.junit;

import static dev.llmjudge.junit.JudgeAssertions.assertThatJudge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import dev.llmjudge.calibration.Calibration;
import dev.llmjudge.calibration.JudgedCase;
import dev.llmjudge.calibration.LabelledCase;
import dev.llmjudge.config.ConfigOverrides;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.embedding.EmbeddingMetrics;
import dev.llmjudge.internal.check.CalibrationOutcome;
import dev.llmjudge.internal.check.CalibrationRecorder;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * {@code assertThatJudge(metric).againstHumanLabels(file)} against a loopback judge that scores an
 * answer by its {@code [score=N]} marker: the labelled files under {@code calibration/} hold the
 * people's scores in {@code human_score} and, in each answer, the score the fake judge will give.
 */
class CalibrationAssertTest {
    @TempDir
    Path tempDir;

    private OpenAiCompatibleServer server;
    private LlmJudgeRuntime runtime;
    private LlmJudgeRuntime.Scope scope;
    private final List<CalibrationOutcome> published = new CopyOnWriteArrayList<>();
    private final Consumer<CalibrationOutcome> listener = published::add;

    @BeforeEach
    void startJudge() {
        server = FixtureRuns.markerJudge();
        runtime = TestRuntimes.runtime(server, tempDir.resolve("verdicts"));
        scope = LlmJudgeRuntime.use(runtime);
        CalibrationRecorder.addListener(listener);
    }

    @AfterEach
    void stopJudge() {
        CalibrationRecorder.removeListener(listener);
        scope.close();
        runtime.close();
        server.close();
    }

    @Test
    void should_pass_when_the_judge_gives_every_row_its_human_score() {
        // GIVEN the fake judge gives each row of agreeing.jsonl the median of its labels
        // WHEN
        CalibrationAssert calibration = assertThatJudge(Metrics.answerSimilarity()).againstHumanLabels("calibration/agreeing.jsonl")
                .hasWeightedKappaAtLeast(0.99)
                .hasSpearmanAtLeast(0.99)
                .hasExactAgreementAtLeast(1.0)
                .hasAgreementWithinOneAtLeast(1.0);
        // THEN
        Calibration c = calibration.calibration();
        assertThat(c.size()).isEqualTo(6);
        assertThat(c.exactAgreement()).isEqualTo(1.0);
        assertThat(c.weightedKappa().value()).isEqualTo(1.0);
        assertThat(c.disagreements()).isZero();
        assertThat(server.requestCount()).as("one judge call per row").isEqualTo(6);
    }

    @Test
    void should_fail_printing_every_figure_the_matrix_and_the_worst_rows_when_the_judge_disagrees() {
        // GIVEN hand-computed.jsonl: human 1 2 3 4 5 5 (medians of two labels), judge 1 3 3 5 4 5;
        // CalibrationTest works out kappa 0.88, rho 0.85, the labellers' kappa 0.93 by hand
        // WHEN
        Throwable failure = catchThrowable(() -> assertThatJudge(Metrics.answerSimilarity())
                .againstHumanLabels("calibration/hand-computed.jsonl")
                .hasAgreementWithinOneAtLeast(1.0)
                .hasWeightedKappaAtLeast(0.9));
        // THEN
        assertThat(failure).isInstanceOf(AssertionError.class).hasMessage("""

                Expecting the judge on answer_similarity (v1) to agree with the people who labelled calibration/hand-computed.jsonl
                with weighted kappa at least 0.90, but it is 0.88.

                Judge against the human score (the median of a row's labels) on 6 rows, levels 1 to 5:
                  exact agreement   0.50 (3 of 6)
                  within one level  1.00 (6 of 6)
                  weighted kappa    0.88 (quadratic weights)
                  Spearman's rho    0.85
                  labellers         weighted kappa 0.93, exact agreement 0.67 between 2 labellers on 6 rows (mean over pairs): the\
                 ceiling to compare with
                Confusion matrix (rows: human score, columns: judge score):
                  human \\ judge   1   2   3   4   5
                              1   1   .   .   .   .
                              2   .   .   1   .   .
                              3   .   .   1   .   .
                              4   .   .   .   .   1
                              5   .   .   .   1   1
                Worst disagreements (3 of 3):
                  calibration/hand-computed.jsonl:2 (id h2): human 2 (labels 2, 3), judge 3
                    answer:        "Refunds are paid once the return arrives. [score=3]"
                    justification: "Scored 3 as the answer's marker asks."
                  calibration/hand-computed.jsonl:4 (id h4): human 4 (labels 4, 5), judge 5
                    answer:        "Customs duties are paid by the customer on delivery. [score=5]"
                    justification: "Scored 5 as the answer's marker asks."
                  calibration/hand-computed.jsonl:5 (id h5): human 5 (labels 5, 5), judge 4
                    answer:        "Exchanges are possible within 60 days. [score=4]"
                    justification: "Scored 4 as the answer's marker asks."
                Judge: judge-test-model (0 recorded, 6 judged now)""");
    }

    @Test
    void should_read_the_same_figures_from_a_csv_whose_cells_separate_the_labels_with_bars() {
        Calibration fromCsv = assertThatJudge(Metrics.answerSimilarity()).againstHumanLabels("calibration/hand-computed.csv").calibration();

        assertThat(fromCsv.weightedKappa().value()).isCloseTo(0.88, within(1e-12));
        assertThat(fromCsv.spearman().value()).isCloseTo(14.25 / Math.sqrt(280.5), within(1e-12));
        assertThat(fromCsv.confusionMatrix().count(5, 4)).isEqualTo(1);
        assertThat(fromCsv.labellerAgreement().orElseThrow().exactMatches()).isEqualTo(4);
    }

    @Test
    void should_replay_the_recorded_verdicts_on_a_rerun() {
        assertThatJudge(Metrics.answerSimilarity()).againstHumanLabels("calibration/hand-computed.jsonl").hasExactAgreementAtLeast(0.5);
        int requests = server.requestCount();

        Throwable failure = catchThrowable(() -> assertThatJudge(Metrics.answerSimilarity())
                .againstHumanLabels("calibration/hand-computed.jsonl").hasExactAgreementAtLeast(0.6));

        assertThat(server.requestCount()).as("no request on the rerun").isEqualTo(requests);
        assertThat(failure).hasMessageContaining("with exact agreement at least 0.60, but it is 0.50.")
                .hasMessageEndingWith("Judge: judge-test-model (6 recorded, 0 judged now)");
    }

    @Test
    void should_judge_the_rows_ahead_several_at_a_time() {
        server.otherwise(request -> FixtureRuns.BY_MARKER.apply(request).afterMillis(300));

        assertThatJudge(Metrics.answerSimilarity()).againstHumanLabels("calibration/hand-computed.jsonl").hasExactAgreementAtLeast(0.5);

        assertThat(server.requestCount()).isEqualTo(6);
        assertThat(server.maxConcurrentRequests()).as("rows judged at once").isBetween(2, LlmJudgeRuntime.DEFAULT_PREFETCH_PARALLELISM);
    }

    @Test
    void should_error_naming_the_rows_the_judge_gave_no_verdict_on_and_compute_no_figure() throws IOException {
        server.otherwise(request -> request.promptText().contains("[garbled]") ? Reply.content("no verdict here")
                : FixtureRuns.BY_MARKER.apply(request));

        Throwable error = catchThrowable(() -> assertThatJudge(Metrics.answerSimilarity())
                .againstHumanLabels("calibration/with-failing-rows.jsonl").hasExactAgreementAtLeast(0.0));

        assertThat(error).as("a judge error is an error of the calibration, never a failure").isInstanceOf(JudgeException.class)
                .isNotInstanceOf(AssertionError.class);
        assertThat(((JudgeException) error).reason()).isEqualTo(JudgeException.Reason.INVALID_REPLY);
        assertThat(error.getMessage()).startsWith("the judge gave no verdict on 2 of 4 rows of calibration/with-failing-rows.jsonl on"
                        + " answer_similarity, so no calibration was computed (a judge error is never a score):\n"
                        + "  calibration/with-failing-rows.jsonl:2 (id e2): INVALID_REPLY: ")
                .contains("\n  calibration/with-failing-rows.jsonl:4 (id e4): INVALID_REPLY: ")
                .endsWith("\nFix the cause and run again: with the verdict cache on, the rows judged this time are not judged again.");
        assertThat(verdictFiles()).as("the rows with a verdict are recorded").hasSize(2);
        assertThat(published).last().satisfies(p -> {
            assertThat(p.status()).isEqualTo(CalibrationOutcome.Status.ERROR);
            assertThat(p.calibration()).isNull();
            assertThat(p.message()).isEqualTo(error.getMessage());
        });
    }

    @Test
    void should_refuse_a_dataset_with_bad_rows_naming_each_before_anything_is_judged() {
        Throwable error = catchThrowable(() -> assertThatJudge(Metrics.answerSimilarity()).againstHumanLabels("calibration/bad-rows.jsonl"));

        assertThat(error).isInstanceOf(DatasetException.class).hasMessage("""
                calibration/bad-rows.jsonl:2:139: human score 7 is outside the rubric of answer_similarity (1 to 5): grade on the\
                 metric's levels
                calibration/bad-rows.jsonl:3:1: missing "human_score": grade the row on answer_similarity (1 to 5), e.g.\
                 "human_score": 4, or [4, 5] for two labellers
                (2 of 3 rows are bad; a calibration needs every row)""");
        assertThat(((DatasetException) error).line()).isEqualTo(2);
        assertThat(server.requestCount()).isZero();
        assertThat(published).singleElement().satisfies(p -> assertThat(p.status()).isEqualTo(CalibrationOutcome.Status.ERROR));
    }

    @Test
    void should_refuse_a_metric_with_more_levels_than_a_confusion_matrix_can_show() {
        assertThatThrownBy(() -> assertThatJudge(EmbeddingMetrics.semanticSimilarity())
                .againstHumanLabels("calibration/agreeing.jsonl")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a calibration compares the judge with people level by level, and semantic_similarity has 101 levels (0 to 100):"
                        + " calibrate a metric whose rubric has at most 11 levels, such as answer_similarity (1 to 5)");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_name_a_row_the_judge_cannot_be_asked_about() throws IOException {
        Path golden = tempDir.resolve("half-an-emoji.jsonl");
        Files.writeString(golden, "{\"ground_truth\": \"T\", \"answer\": \"fine [score=4]\", \"human_score\": 4}\n"
                + "{\"ground_truth\": \"T\", \"answer\": \"cut \\ud83d\", \"human_score\": 4}\n");

        assertThatThrownBy(() -> assertThatJudge(Metrics.answerSimilarity()).againstHumanLabels(golden.toString()))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(golden + ":2:1: the answer is not valid Unicode text: it holds half of a character");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_name_a_dataset_that_is_nowhere() {
        assertThatThrownBy(() -> assertThatJudge(Metrics.answerSimilarity()).againstHumanLabels("calibration/missing.jsonl"))
                .hasMessageStartingWith("dataset 'calibration/missing.jsonl' was found neither on the test class path nor as the file ");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_fail_a_bound_on_a_coefficient_the_scores_leave_undefined_saying_why() {
        CalibrationAssert calibration = assertThatJudge(Metrics.answerSimilarity()).againstHumanLabels("calibration/all-fives.jsonl")
                .hasExactAgreementAtLeast(1.0);

        assertThatThrownBy(() -> calibration.hasWeightedKappaAtLeast(0.6)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("with weighted kappa at least 0.60, but it is undefined: every row has human score 5 and judge score 5:"
                        + " with one level only, chance alone would agree as well, so kappa is 0 divided by 0; add rows that people graded"
                        + " at other levels.")
                .hasMessageContaining("The judge gave every row its human score.");
        assertThatThrownBy(() -> calibration.hasSpearmanAtLeast(0.0)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it is undefined: every human score is 5");
    }

    @Test
    void should_refuse_a_bound_outside_the_range_of_its_figure() {
        CalibrationAssert calibration = assertThatJudge(Metrics.answerSimilarity()).againstHumanLabels("calibration/agreeing.jsonl");

        assertThatThrownBy(() -> calibration.hasWeightedKappaAtLeast(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hasWeightedKappaAtLeast(1.5): weighted kappa is between -1 and 1: choose a bound in that range, e.g. 0.6");
        assertThatThrownBy(() -> calibration.hasExactAgreementAtLeast(60)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hasExactAgreementAtLeast(60.0): exact agreement is a share of the rows, 0 to 1: choose a bound in that range,"
                        + " e.g. 0.5 for half the rows");
        assertThatThrownBy(() -> calibration.hasSpearmanAtLeast(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void should_reject_a_null_metric_naming_the_argument_before_any_request() {
        assertThatThrownBy(() -> assertThatJudge(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("assertThatJudge(null): the metric is null: pass the metric to judge by, e.g. Metrics.answerSimilarity() or one"
                        + " built with Metric.builder");
        assertThatThrownBy(() -> new JudgeAssert(null, runtime)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("new JudgeAssert(null): the metric is null: pass the metric to judge by, e.g. Metrics.answerSimilarity() or"
                        + " one built with Metric.builder");
        assertThat(server.requestCount()).isZero();
        assertThat(published).isEmpty();
    }

    @Test
    void should_reject_a_null_runtime_saying_where_to_get_one() {
        assertThatThrownBy(() -> new JudgeAssert(Metrics.answerSimilarity(), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("new JudgeAssert(metric, null): the runtime is null: pass the runtime to judge with:"
                        + " a test of an @LlmJudgeTest class gets it as an LlmJudgeRuntime parameter, other code builds one"
                        + " with LlmJudgeRuntime.builder().config(LlmJudgeConfig.fromEnvironment()).build(); or leave it out,"
                        + " new JudgeAssert(metric), to judge with the current one");
    }

    @Test
    void should_reject_a_null_dataset_or_format_naming_the_argument_before_any_request() {
        JudgeAssert judge = assertThatJudge(Metrics.answerSimilarity());

        assertThatThrownBy(() -> judge.againstHumanLabels(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("againstHumanLabels(null): the dataset is null: pass a class path resource such as"
                        + " \"datasets/golden.jsonl\" or a file path");
        assertThatThrownBy(() -> judge.againstHumanLabels("calibration/agreeing.jsonl", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("againstHumanLabels(dataset, null): the format is null: pass JudgeDataset.Format.AUTO to tell it from the"
                        + " file name, or JSONL or CSV");
        assertThat(server.requestCount()).isZero();
        assertThat(published).isEmpty();
    }

    @Test
    void should_reject_a_bound_on_a_null_calibration_naming_the_bound_and_what_to_pass() {
        CalibrationAssert none = new CalibrationAssert(null);
        String instead = "the calibration is null: pass the figures to bound, computed by Calibration.of(metric, judgedCases), or"
                + " check the judge with assertThatJudge(metric).againstHumanLabels(dataset)";

        assertThatThrownBy(() -> none.hasWeightedKappaAtLeast(0.6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hasWeightedKappaAtLeast(0.6): " + instead);
        assertThatThrownBy(() -> none.hasSpearmanAtLeast(0.6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hasSpearmanAtLeast(0.6): " + instead);
        assertThatThrownBy(() -> none.hasExactAgreementAtLeast(0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hasExactAgreementAtLeast(0.5): " + instead);
        assertThatThrownBy(() -> none.hasAgreementWithinOneAtLeast(0.9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hasAgreementWithinOneAtLeast(0.9): " + instead);
    }

    @Test
    void should_publish_the_figures_again_with_each_bound_for_the_report() {
        Throwable failure = catchThrowable(() -> assertThatJudge(Metrics.answerSimilarity())
                .againstHumanLabels("calibration/hand-computed.jsonl")
                .as("golden set")
                .hasExactAgreementAtLeast(0.5)
                .hasWeightedKappaAtLeast(0.9));

        assertThat(failure).hasMessageStartingWith("[golden set] \nExpecting the judge on answer_similarity");
        assertThat(published).hasSize(3).extracting(CalibrationOutcome::id).containsOnly(published.get(0).id());
        assertThat(published).extracting(CalibrationOutcome::status).containsExactly(CalibrationOutcome.Status.NO_BOUND,
                CalibrationOutcome.Status.PASSED, CalibrationOutcome.Status.FAILED);
        CalibrationOutcome last = published.get(2);
        assertThat(last.description()).isEqualTo("golden set");
        assertThat(last.dataset()).isEqualTo("calibration/hand-computed.jsonl");
        assertThat(last.bounds()).containsExactly(new CalibrationOutcome.Bound("exact agreement", 0.5, 0.5, true),
                new CalibrationOutcome.Bound("weighted kappa", 0.9, last.calibration().weightedKappa().value(), false));
    }

    @Test
    void should_keep_api_keys_out_of_the_failure_message() throws IOException {
        Path golden = tempDir.resolve("leaky.jsonl");
        Files.writeString(golden, "{\"ground_truth\": \"T\", \"answer\": \"my key is " + TestRuntimes.API_KEY + " [score=1]\", \"human_score\": 5}\n"
                + "{\"ground_truth\": \"T\", \"answer\": \"fine [score=4]\", \"human_score\": 4}\n");

        Throwable failure = catchThrowable(() -> assertThatJudge(Metrics.answerSimilarity()).againstHumanLabels(golden.toString())
                .as("set of " + TestRuntimes.API_KEY).hasExactAgreementAtLeast(1.0));

        assertThat(failure).hasMessageContaining("answer:        \"my key is [REDACTED] [score=1]\"")
                .hasMessageStartingWith("[set of [REDACTED]]").hasMessageNotContaining(TestRuntimes.API_KEY);
        assertThat(published).last().satisfies(p -> assertThat(p.description()).isEqualTo("set of [REDACTED]"));
    }

    @Test
    void should_skip_without_a_key_when_missing_key_is_skip_and_error_otherwise() {
        Path cache = tempDir.resolve("keyless");
        LlmJudgeConfig skip = TestRuntimes.config(server, cache, Map.of(LlmJudgeConfig.JUDGE_MISSING_KEY, "skip"));

        Throwable skipped;
        Throwable errored;
        try (LlmJudgeRuntime keyless = LlmJudgeRuntime.builder().config(skip).build();
                LlmJudgeRuntime strict = LlmJudgeRuntime.builder().config(skip.with(ConfigOverrides.of(Map.of(LlmJudgeConfig.JUDGE_MISSING_KEY,
                        "error")))).build()) {
            skipped = catchThrowable(() -> new JudgeAssert(Metrics.answerSimilarity(), keyless).againstHumanLabels("calibration/agreeing.jsonl"));
            errored = catchThrowable(() -> new JudgeAssert(Metrics.answerSimilarity(), strict).againstHumanLabels("calibration/agreeing.jsonl"));
        }

        assertThat(skipped).isInstanceOf(TestAbortedException.class)
                .hasMessageStartingWith("skipped: 6 of 6 rows of calibration/agreeing.jsonl have no recorded verdict on answer_similarity"
                        + " and no API key for the judge")
                .hasMessageEndingWith("(llmjudge.judge.missing-key=skip)");
        assertThat(errored).isInstanceOf(JudgeException.class).hasMessageStartingWith("the judge gave no verdict on 6 of 6 rows");
        assertThat(((JudgeException) errored).reason()).isEqualTo(JudgeException.Reason.MISSING_KEY);
        assertThat(server.requestCount()).isZero();
        assertThat(published).extracting(CalibrationOutcome::status).containsExactly(CalibrationOutcome.Status.SKIPPED,
                CalibrationOutcome.Status.ERROR);
    }

    private List<Path> verdictFiles() throws IOException {
        Path dir = tempDir.resolve("verdicts");
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith(".")).toList();
        }
    }

    @Test
    void should_write_a_figure_just_below_its_bound_with_the_places_that_show_it_is_below() {
        // 159 of 200 rows agree exactly: 0.795, below 0.80, which two places would round up to the bound.
        Metric metric = Metrics.answerSimilarity();
        List<JudgedCase> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int human = 1 + i % 5;
            int judge = i < 159 ? human : human == 5 ? 4 : human + 1;
            LabelledCase labelled = new LabelledCase("golden.jsonl", i + 1, "r" + (i + 1),
                    EvaluationCase.ofAnswer("answer " + i).withGroundTruth("truth " + i), List.of(human));
            rows.add(new JudgedCase(labelled, new Verdict(metric.name(), metric.version(), judge, metric.minScore(), metric.maxScore(),
                    "judged " + judge, "judge-test-model", Map.of(), null, false, null, null, null)));
        }

        Throwable failure = catchThrowable(() -> new CalibrationAssert(Calibration.of(metric, rows)).hasExactAgreementAtLeast(0.8));

        assertThat(failure).isInstanceOf(AssertionError.class).hasMessageContaining("with exact agreement at least 0.80, but it is 0.795.");
    }
}
