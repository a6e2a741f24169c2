package dev.llmjudge.assertj;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmjudge.judge.CheckRecorder;
import dev.llmjudge.judge.CheckResult;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.PromptRenderer;
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
    private final List<CheckResult> recorded = new CopyOnWriteArrayList<>();
    private final Consumer<CheckResult> recorder = recorded::add;

    @BeforeEach
    void setUp() {
        server = OpenAiCompatibleServer.start();
        runtime = TestRuntimes.runtime(server, cacheDir);
        scope = LlmJudgeRuntime.use(runtime);
        CheckRecorder.addListener(recorder);
        PendingChecks.drain();
    }

    @AfterEach
    void tearDown() {
        CheckRecorder.removeListener(recorder);
        scope.close();
        runtime.close();
        server.close();
        PendingChecks.drain();
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
        AnswerAssert answer = assertThatAnswer("Paris").isSimilarTo("Paris");
        assertThatThrownBy(() -> answer.isRelevantTo("Where is the Eiffel Tower?"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the check answer_similarity on answer \"Paris\" never stated its threshold before the check on answer_relevance"
                        + " began: end each check with withScoreAtLeast(n), or passes() for a pass/fail metric");
    }

    @Test
    void should_report_a_check_left_without_a_threshold() {
        @SuppressWarnings("unused")
        AnswerAssert ignored = assertThatAnswer("Paris").isSimilarTo("Paris");

        List<String> pending = PendingChecks.drain();

        assertThat(pending).containsExactly("answer_similarity on answer \"Paris\"");
        assertThat(PendingChecks.message(pending)).isEqualTo("a judged check never stated its threshold, so it checked nothing:"
                + " answer_similarity on answer \"Paris\". End the chain with withScoreAtLeast(n), or passes() for a pass/fail metric.");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_report_every_check_left_without_a_threshold_in_the_order_they_began() {
        @SuppressWarnings("unused")
        AnswerAssert first = assertThatAnswer("Paris").isSimilarTo("Paris");
        @SuppressWarnings("unused")
        AnswerAssert second = assertThatAnswer("Lyon").isSimilarTo("Paris");
        @SuppressWarnings("unused")
        AnswerAssert third = assertThatAnswer("Nice").isSimilarTo("Paris");

        assertThat(PendingChecks.drain()).containsExactly("answer_similarity on answer \"Paris\"", "answer_similarity on answer \"Lyon\"",
                "answer_similarity on answer \"Nice\"");
        assertThat(PendingChecks.drain()).isEmpty();
    }

    @Test
    void should_refuse_a_threshold_without_a_check() {
        assertThatThrownBy(() -> assertThatAnswer("Paris").withScoreAtLeast(4))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("withScoreAtLeast(4) has no check to apply to: start one first, e.g. isSimilarTo(groundTruth).withScoreAtLeast(4)");
    }

    @Test
    void should_chain_several_checks_on_one_answer() {
        server.enqueue(Reply.verdict(5, "Same."), Reply.verdict(4, "On topic."), Reply.verdict(1, "Meets it."));

        assertThatAnswer("Orders ship within 3 business days.")
                .isSimilarTo("We ship orders in three business days.").withScoreAtLeast(4)
                .isRelevantTo("How fast do you ship?").withScoreAtLeast(4)
                .meets("never quotes a price").passes();

        assertThat(recorded).extracting(CheckResult::metric, CheckResult::outcome).containsExactly(
                org.assertj.core.groups.Tuple.tuple("answer_similarity", CheckResult.Outcome.PASSED),
                org.assertj.core.groups.Tuple.tuple("answer_relevance", CheckResult.Outcome.PASSED),
                org.assertj.core.groups.Tuple.tuple("pass_fail_criterion", CheckResult.Outcome.PASSED));
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
    void should_error_not_fail_when_the_judge_cannot_answer_even_in_soft_assertions() {
        server.enqueue(Reply.error(401, "Incorrect API key provided."));
        JudgedSoftAssertions softly = new JudgedSoftAssertions();

        Throwable thrown = catchThrowable(() -> softly.assertThatAnswer("Paris").isSimilarTo("Paris").withScoreAtLeast(4));

        assertThat(thrown).isInstanceOf(JudgeException.class).isNotInstanceOf(AssertionError.class)
                .hasMessageContaining("rejected the API key (HTTP 401): check OPENAI_API_KEY");
        assertThat(recorded).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo(CheckResult.Outcome.ERROR);
            assertThat(r.verdict()).isNull();
            assertThat(r.errorReason()).isEqualTo(JudgeException.Reason.AUTHENTICATION);
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
