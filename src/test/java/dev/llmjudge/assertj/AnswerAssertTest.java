package dev.llmjudge.assertj;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.internal.openai.PromptRenderer;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.assertj.core.error.AssertJMultipleFailuresError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerAssertTest {
    @TempDir
    Path cacheDir;

    private OpenAiCompatibleServer server;
    private LlmJudgeRuntime runtime;
    private LlmJudgeRuntime.Scope scope;
    private final List<CheckOutcome> recorded = new CopyOnWriteArrayList<>();
    private final Consumer<CheckOutcome> recorder = recorded::add;

    @BeforeEach
    void setUp() {
        server = OpenAiCompatibleServer.start();
        runtime = TestRuntimes.runtime(server, cacheDir);
        scope = LlmJudgeRuntime.use(runtime);
        CheckRecorder.addListener(recorder);
        CheckRecorder.drainPending();
    }

    @AfterEach
    void tearDown() {
        CheckRecorder.removeListener(recorder);
        scope.close();
        runtime.close();
        server.close();
        CheckRecorder.drainPending();
    }

    @Test
    void should_reject_a_null_answer_before_any_request() {
        assertThatThrownBy(() -> assertThatAnswer(null).isSimilarTo("truth"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the answer is null: pass the text the system under test produced");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_reject_a_blank_ground_truth_before_any_request() {
        assertThatThrownBy(() -> assertThatAnswer("Paris").isSimilarTo("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'answer_similarity' needs the ground truth, but it is blank: a blank ground truth cannot be judged");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_reject_a_null_metric_naming_the_argument_before_any_request() {
        assertThatThrownBy(() -> assertThatAnswer("Paris").judgedBy(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("judgedBy(null): the metric is null: pass the metric to judge by, e.g. Metrics.criterion(\"answers in a"
                        + " polite tone\") or one built with Metric.builder");
        assertThatThrownBy(() -> assertThatAnswer("Paris").comparedTo("Lyon").judgedBy(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("comparedTo(reference).judgedBy(null): the metric is null: pass the metric to judge by, a pairwise one"
                        + " such as Metrics.pairwisePreference() or one built with Metric.pairwiseBuilder");
        assertThat(CheckRecorder.drainPending()).isEmpty();
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_reject_a_null_runtime_saying_where_to_get_one() {
        assertThatThrownBy(() -> new AnswerAssert("Paris", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("new AnswerAssert(answer, null): the runtime is null: pass the runtime to judge with:"
                        + " a test of an @LlmJudgeTest class gets it as an LlmJudgeRuntime parameter, other code builds one"
                        + " with LlmJudgeRuntime.builder().config(LlmJudgeConfig.fromEnvironment()).build(); or leave it out,"
                        + " new AnswerAssert(answer), to judge with the current one");
    }

    @Test
    void should_reject_a_threshold_outside_the_rubric_before_any_request() {
        assertThatThrownBy(() -> assertThatAnswer("Paris").isSimilarTo("Paris").withScoreAtLeast(6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threshold 6 is outside the rubric of answer_similarity (1 to 5): choose a score the judge can give");
        assertThatThrownBy(() -> assertThatAnswer("Paris").isSimilarTo("Paris").withScoreAtLeast(0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_refuse_a_new_check_while_the_previous_one_has_no_threshold() {
        AnswerAssert answer = assertThatAnswer("Paris");
        @SuppressWarnings("unused")
        ScoreExpectation forgotten = answer.isSimilarTo("Paris");
        assertThatThrownBy(() -> answer.isRelevantTo("Where is the Eiffel Tower?"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the check answer_similarity on answer \"Paris\" never stated its threshold before the check on answer_relevance"
                        + " began: end each check with withScoreAtLeast(n), or passes() for a pass/fail metric");
    }

    @Test
    void should_report_a_check_left_without_a_threshold() {
        @SuppressWarnings("unused")
        ScoreExpectation ignored = assertThatAnswer("Paris").isSimilarTo("Paris");

        List<CheckRecorder.PendingCheck> pending = CheckRecorder.drainPending();

        assertThat(pending).extracting(CheckRecorder.PendingCheck::describe).containsExactly("answer_similarity on answer \"Paris\"");
        assertThat(CheckRecorder.missingThreshold(pending)).isEqualTo("a judged check never stated its threshold, so it checked nothing:"
                + " answer_similarity on answer \"Paris\". End the chain with withScoreAtLeast(n), or passes() for a pass/fail metric.");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_report_every_check_left_without_a_threshold_in_the_order_they_began() {
        @SuppressWarnings("unused")
        ScoreExpectation first = assertThatAnswer("Paris").isSimilarTo("Paris");
        @SuppressWarnings("unused")
        ScoreExpectation second = assertThatAnswer("Lyon").isSimilarTo("Paris");
        @SuppressWarnings("unused")
        CosineExpectation third = assertThatAnswer("Nice").isSemanticallySimilarTo("Paris");

        assertThat(CheckRecorder.drainPending()).extracting(CheckRecorder.PendingCheck::describe).containsExactly(
                "answer_similarity on answer \"Paris\"", "answer_similarity on answer \"Lyon\"", "semantic_similarity on answer \"Nice\"");
        assertThat(CheckRecorder.drainPending()).isEmpty();
    }

    @Test
    void should_offer_only_threshold_methods_after_a_check_begins_so_an_unfinished_chain_does_not_compile() throws NoSuchMethodException {
        assertThat(publicMethods(AnswerAssert.class)).doesNotContain("withScoreAtLeast", "passes", "withCosineAtLeast");
        assertThat(publicMethods(ScoreExpectation.class)).containsExactlyInAnyOrder("withScoreAtLeast", "passes", "sampled");
        assertThat(ScoreExpectation.class.getMethod("sampled", int.class).getReturnType()).as("sampled(n) comes before the threshold")
                .isEqualTo(ScoreExpectation.class);
        assertThat(publicMethods(CosineExpectation.class)).containsExactly("withCosineAtLeast");
        for (Class<?> expectation : List.of(ScoreExpectation.class, CosineExpectation.class)) {
            for (java.lang.reflect.Method m : expectation.getDeclaredMethods()) {
                if (java.lang.reflect.Modifier.isPublic(m.getModifiers()) && !m.getName().equals("sampled")) {
                    assertThat(m.getReturnType()).as("%s returns the answer's assertions, so the chain goes on", m).isEqualTo(AnswerAssert.class);
                }
            }
        }
        assertThat(java.util.Arrays.stream(AnswerAssert.class.getDeclaredMethods())
                .filter(m -> m.getName().startsWith("is") || m.getName().equals("meets") || m.getName().equals("judgedBy")))
                .allSatisfy(m -> assertThat(m.getReturnType()).isIn(ScoreExpectation.class, CosineExpectation.class));
    }

    @Test
    void should_refuse_a_second_threshold_for_one_check() {
        server.enqueue(Reply.verdict(5, "Same."));
        ScoreExpectation check = assertThatAnswer("Paris").isSimilarTo("Paris");
        check.withScoreAtLeast(4);

        assertThatThrownBy(() -> check.withScoreAtLeast(3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("withScoreAtLeast(3): this check has already stated its threshold; begin another check for another bar,"
                        + " e.g. isSimilarTo(truth).withScoreAtLeast(n)");
        assertThat(server.requestCount()).isEqualTo(1);
    }

    private static List<String> publicMethods(Class<?> type) {
        return java.util.Arrays.stream(type.getDeclaredMethods()).filter(m -> java.lang.reflect.Modifier.isPublic(m.getModifiers()))
                .map(java.lang.reflect.Method::getName).toList();
    }

    @Test
    void should_chain_several_checks_on_one_answer() {
        server.enqueue(Reply.verdict(5, "Same."), Reply.verdict(4, "On topic."), Reply.verdict(1, "Meets it."));

        assertThatAnswer("Orders ship within 3 business days.")
                .isSimilarTo("We ship orders in three business days.").withScoreAtLeast(4)
                .isRelevantTo("How fast do you ship?").withScoreAtLeast(4)
                .meets("never quotes a price").passes();

        assertThat(recorded).extracting(o -> o.check().metric().name(), Object::getClass).containsExactly(
                org.assertj.core.groups.Tuple.tuple("answer_similarity", CheckOutcome.Passed.class),
                org.assertj.core.groups.Tuple.tuple("answer_relevance", CheckOutcome.Passed.class),
                org.assertj.core.groups.Tuple.tuple("pass_fail_criterion", CheckOutcome.Passed.class));
        assertThat(server.requests().get(2).promptText()).contains("never quotes a price");
    }

    @Test
    void should_fail_a_pass_fail_criterion_scored_0() {
        server.enqueue(Reply.verdict(0, "It quotes $20."));
        Throwable thrown = catchThrowable(() -> assertThatAnswer("It costs $20.").meets("never quotes a price").passes());
        assertThat(thrown).isInstanceOf(AssertionError.class)
                .hasMessageContaining("to score at least 1 on pass_fail_criterion (v1), but the judge scored it 0 (scale 0 to 1).")
                .hasMessageContaining("It quotes $20.");
    }

    @Test
    void should_refuse_passes_on_a_scored_metric() {
        assertThatThrownBy(() -> assertThatAnswer("Paris").isSimilarTo("Paris").passes())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("metric answer_similarity is scored 1 to 5 and has no pass threshold: use withScoreAtLeast(n) instead of passes()");
    }

    @Test
    void should_judge_correctness_with_question_and_ground_truth() {
        server.enqueue(Reply.verdict(5, "Correct."));
        assertThatAnswer("Spark is a distributed engine.")
                .isCorrectAnswerTo("What is Spark?", "Apache Spark is a distributed computing engine.").withScoreAtLeast(4);
        String prompt = server.lastRequest().promptText();
        assertThat(prompt).contains("\"question\" : \"What is Spark?\"").contains("\"ground_truth\" : \"Apache Spark is a distributed computing engine.\"");
    }

    @Test
    void should_judge_relevance_with_question_and_context() {
        server.enqueue(Reply.verdict(4, "Relevant and grounded."));
        assertThatAnswer("Returns are accepted for 30 days.")
                .isRelevantTo("Can I return an item?", "Items may be returned within 30 days of delivery.").withScoreAtLeast(4);
        String user = server.lastRequest().json().path("messages").get(1).path("content").asText();
        assertThat(user).contains("\"question\" : \"Can I return an item?\"").contains("\"context\" : \"Items may be returned")
                .contains(PromptRenderer.DATA_CLOSE);
    }

    @Test
    void should_judge_a_custom_metric_with_a_scored_criterion() {
        server.enqueue(Reply.verdict(4, "Polite."));
        assertThatAnswer("Thanks for asking!").judgedBy(Metrics.criterion("answers in a polite tone")).withScoreAtLeast(4);
        assertThat(server.lastRequest().promptText()).contains("answers in a polite tone");
    }

    @Test
    void should_collect_failures_softly_and_report_them_together() {
        server.enqueue(Reply.verdict(2, "Different meaning."), Reply.verdict(5, "Same."), Reply.verdict(1, "Unrelated."));
        JudgedSoftAssertions softly = new JudgedSoftAssertions();

        softly.assertThatAnswer("Paris is in Spain.").isSimilarTo("Paris is in France.").withScoreAtLeast(4);
        softly.assertThatAnswer("Paris is in France.").isSimilarTo("Paris is in France.").withScoreAtLeast(4);
        softly.assertThatAnswer("Bananas.").isSimilarTo("Paris is in France.").withScoreAtLeast(4);

        Throwable thrown = catchThrowable(softly::assertAll);
        assertThat(thrown).isInstanceOf(AssertJMultipleFailuresError.class);
        assertThat(((AssertJMultipleFailuresError) thrown).getFailures()).hasSize(2)
                .anySatisfy(f -> assertThat(f.getMessage()).contains("Different meaning."))
                .anySatisfy(f -> assertThat(f.getMessage()).contains("Unrelated."));
        assertThat(server.requestCount()).isEqualTo(3);
    }

    @Test
    void should_go_on_with_the_chain_after_a_soft_failure() {
        server.enqueue(Reply.verdict(2, "Different meaning."), Reply.verdict(1, "Off topic."), Reply.verdict(5, "On topic."));
        JudgedSoftAssertions softly = new JudgedSoftAssertions();

        softly.assertThatAnswer("Paris is in Spain.")
                .isSimilarTo("Paris is in France.").withScoreAtLeast(4)
                .isRelevantTo("Where is Paris?").withScoreAtLeast(4)
                .isRelevantTo("Where is Paris, the city?").withScoreAtLeast(4);

        assertThat(server.requestCount()).isEqualTo(3);
        assertThat(softly.errorsCollected()).hasSize(2);
        assertThat(recorded).extracting(Object::getClass).containsExactly(CheckOutcome.Failed.class, CheckOutcome.Failed.class,
                CheckOutcome.Passed.class);
    }

    @Test
    void should_error_not_fail_when_the_judge_cannot_answer_even_in_soft_assertions() {
        server.enqueue(Reply.error(401, "Incorrect API key provided."));
        JudgedSoftAssertions softly = new JudgedSoftAssertions();

        Throwable thrown = catchThrowable(() -> softly.assertThatAnswer("Paris").isSimilarTo("Paris").withScoreAtLeast(4));

        assertThat(thrown).isInstanceOf(JudgeException.class).isNotInstanceOf(AssertionError.class)
                .hasMessageContaining("rejected the API key (HTTP 401): check OPENAI_API_KEY");
        assertThat(recorded).singleElement().isInstanceOfSatisfying(CheckOutcome.Errored.class, r -> {
            assertThat(r.verdict()).isNull();
            assertThat(r.reason()).isEqualTo(JudgeException.Reason.AUTHENTICATION);
        });
    }

    @Test
    void should_honour_overriding_error_message() {
        server.enqueue(Reply.verdict(1, "No."));
        assertThatThrownBy(() -> assertThatAnswer("x").overridingErrorMessage("custom").isSimilarTo("y").withScoreAtLeast(3))
                .isInstanceOf(AssertionError.class).hasMessage("custom");
    }

    @Test
    void should_shorten_long_answers_in_the_failure_message() {
        server.enqueue(Reply.verdict(1, "No."));
        String longAnswer = "a".repeat(1000);
        assertThatThrownBy(() -> assertThatAnswer(longAnswer).isSimilarTo("y").withScoreAtLeast(3))
                .hasMessageContaining("\"" + "a".repeat(400) + "... (600 more characters)\"");
    }
}
