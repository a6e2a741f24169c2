package dev.llmjudge.reliability;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.internal.openai.JudgePrompt;
import dev.llmjudge.internal.openai.PromptRenderer;
import dev.llmjudge.runtime.RunBudget;
import dev.llmjudge.internal.openai.TokenCounter;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.internal.report.MetricStats;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The run's budget of judge calls and tokens, and the bound on one prompt: once spent, further
 * checks error at once naming the key; cached verdicts are free; what was spent is readable.
 * The loopback server reports 120 prompt and 30 reply tokens per call.
 */
class BudgetTest extends LoopbackJudgeTest {

    /** The tokens of the prompt that grades {@code answer} against the ground truth, as the budget counts them. */
    private static int promptTokens(String answer) {
        JudgePrompt prompt = PromptRenderer.render(Metrics.answerSimilarity(),
                EvaluationCase.ofAnswer(answer).withGroundTruth(JudgeHarness.GROUND_TRUTH));
        return TokenCounter.forModel("judge-test-model").count(List.of(prompt.system(), prompt.user()));
    }

    private static void check(LlmJudgeRuntime runtime, String answer) {
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            assertThatAnswer(answer).isSimilarTo(JudgeHarness.GROUND_TRUTH).withScoreAtLeast(4);
        }
    }

    @Test
    void checks_beyond_max_calls_error_at_once_naming_the_key() {
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.BUDGET_MAX_CALLS, "2"));
        check(runtime, "Paris.");
        check(runtime, "It is Paris.");

        JudgeException e = JudgeHarness.error(runtime, () -> assertThatAnswer("Paris, France.").isSimilarTo("Paris").withScoreAtLeast(4));

        assertThat(e.reason()).isEqualTo(Reason.BUDGET_EXHAUSTED);
        assertThat(e.getMessage()).contains("2 judge calls were made and llmjudge.budget.max-calls is 2",
                "Verdicts already recorded are free", "raise llmjudge.budget.max-calls");
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(harness.checks).extracting(Object::getClass)
                .containsExactly(CheckOutcome.Passed.class, CheckOutcome.Passed.class, CheckOutcome.Errored.class);
        MetricStats stats = MetricStats.of(JudgeHarness.METRIC, harness.rows());
        assertThat(stats.errors()).isEqualTo(1);
        assertThat(stats.scored()).isEqualTo(2);
        RunBudget.Spent spent = runtime.spent();
        assertThat(spent.calls()).isEqualTo(2);
        assertThat(spent.refusedCalls()).isEqualTo(1);
        assertThat(spent.maxCalls()).isEqualTo(2L);
        assertThat(harness.verdictFiles()).hasSize(2);
    }

    @Test
    void recorded_verdicts_spend_nothing() {
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.BUDGET_MAX_CALLS, "1"));
        for (int i = 0; i < 4; i++) {
            check(runtime, "Paris.");
        }

        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(runtime.spent().calls()).isEqualTo(1);
        assertThat(runtime.spent().refusedCalls()).isZero();
        JudgeException e = JudgeHarness.error(runtime, () -> check(runtime, "Lyon."));
        assertThat(e.reason()).isEqualTo(Reason.BUDGET_EXHAUSTED);
    }

    @Test
    void a_budget_shared_by_runtimes_is_spent_once() {
        RunBudget shared = RunBudget.builder().maxCalls(2).build();
        LlmJudgeRuntime first = LlmJudgeRuntime.builder().config(JudgeHarness.config(server.baseUrl(), harness.cacheDir, Map.of()))
                .apiKey("test-key").budget(shared).build();
        LlmJudgeRuntime second = LlmJudgeRuntime.builder().config(JudgeHarness.config(server.baseUrl(), harness.cacheDir,
                Map.of(LlmJudgeConfig.JUDGE_MODEL, "another-judge"))).apiKey("test-key").budget(shared).build();
        check(first, "Paris.");
        check(second, "Paris.");

        JudgeException e = JudgeHarness.error(second, () -> check(second, "Lyon."));

        assertThat(e.reason()).isEqualTo(Reason.BUDGET_EXHAUSTED);
        assertThat(first.spent()).isEqualTo(second.spent());
        assertThat(shared.spent().calls()).isEqualTo(2);
        first.close();
        second.close();
    }

    @Test
    void spent_counts_calls_failures_and_the_tokens_the_server_reported() {
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl());
        check(runtime, "Paris.");
        check(runtime, "It is Paris.");
        server.otherwise(r -> Reply.error(500, "down"));
        JudgeHarness.error(runtime, () -> check(runtime, "Lyon."));

        RunBudget.Spent spent = runtime.spent();
        assertThat(spent.calls()).isEqualTo(3);
        assertThat(spent.failedCalls()).isEqualTo(1);
        assertThat(spent.promptTokens()).isEqualTo(240);
        assertThat(spent.completionTokens()).isEqualTo(60);
        assertThat(spent.totalTokens()).isEqualTo(300);
        assertThat(spent.maxCalls()).isNull();
        assertThat(spent.maxTokens()).isNull();
    }

    @Test
    void a_call_that_fails_after_invalid_replies_still_spends_their_tokens() {
        int promptTokens = promptTokens("It is Paris.");
        // Room for one prompt while nothing is spent, not once the two invalid replies' 300 tokens are booked.
        long budget = promptTokens + 200;
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.BUDGET_MAX_TOKENS, "" + budget));
        server.otherwise(r -> Reply.content("I cannot decide."));

        JudgeException error = JudgeHarness.error(runtime, () -> check(runtime, "Paris."));

        assertThat(error.reason()).isEqualTo(Reason.INVALID_REPLY);
        assertThat(server.requestCount()).as("two replies, each holding no verdict").isEqualTo(2);
        assertThat(error.spent().promptTokens()).isEqualTo(240);
        assertThat(error.spent().completionTokens()).isEqualTo(60);
        RunBudget.Spent spent = runtime.spent();
        assertThat(spent.failedCalls()).isEqualTo(1);
        assertThat(spent.totalTokens()).isEqualTo(300);
        // The next call's prompt no longer fits, although no verdict was ever given.
        JudgeException refused = JudgeHarness.error(runtime, () -> check(runtime, "It is Paris."));
        assertThat(refused.reason()).isEqualTo(Reason.BUDGET_EXHAUSTED);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void a_call_that_fails_after_retries_still_spends_the_invalid_reply_it_got_before() {
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl());
        server.enqueue(Reply.content("I cannot decide."));
        server.otherwise(r -> Reply.error(500, "down"));

        JudgeException error = JudgeHarness.error(runtime, () -> check(runtime, "Paris."));

        assertThat(error.reason()).isEqualTo(Reason.SERVER_ERROR);
        assertThat(server.requestCount()).as("the invalid reply, then a 500 until the attempts ran out").isEqualTo(4);
        assertThat(error.spent().totalTokens()).as("only the invalid reply reported tokens").isEqualTo(150);
        assertThat(runtime.spent().failedCalls()).isEqualTo(1);
        assertThat(runtime.spent().totalTokens()).isEqualTo(150);
        assertThat(harness.rows()).singleElement().satisfies(row -> {
            assertThat(row.score()).as("a judge failure is never a score").isNull();
            assertThat(row.promptTokens()).isEqualTo(120);
            assertThat(row.completionTokens()).isEqualTo(30);
        });
    }

    @Test
    void a_call_that_fails_after_replies_without_usage_spends_its_prompts_by_estimate() {
        int first = promptTokens("Paris.");
        int second = promptTokens("It is Paris.");
        // Room for both prompts while nothing is spent, not once the first call's two prompts are booked.
        long budget = first + second;
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.BUDGET_MAX_TOKENS, "" + budget));
        server.otherwise(r -> Reply.content("I cannot decide.").withoutUsage());

        JudgeException error = JudgeHarness.error(runtime, () -> check(runtime, "Paris."));

        assertThat(error.reason()).isEqualTo(Reason.INVALID_REPLY);
        assertThat(server.requestCount()).as("two replies, each holding no verdict and no usage").isEqualTo(2);
        RunBudget.Spent spent = runtime.spent();
        assertThat(spent.failedCalls()).isEqualTo(1);
        assertThat(spent.promptTokens()).as("the prompt was sent twice").isEqualTo(2L * first);
        JudgeException refused = JudgeHarness.error(runtime, () -> check(runtime, "It is Paris."));
        assertThat(refused.reason()).isEqualTo(Reason.BUDGET_EXHAUSTED);
        assertThat(server.requestCount()).isEqualTo(2);
    }

    @Test
    void a_verdict_given_after_a_reply_without_usage_spends_both_prompts_by_estimate() {
        int prompt = promptTokens("Paris.");
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.BUDGET_MAX_TOKENS, "1000000"));
        server.enqueue(Reply.content("I cannot decide.").withoutUsage(), Reply.verdict(5, "Same meaning.").withoutUsage());

        check(runtime, "Paris.");

        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(runtime.spent().promptTokens()).isEqualTo(2L * prompt);
        assertThat(runtime.spent().completionTokens()).isZero();
    }

    @Test
    void a_verdict_whose_usage_cannot_be_read_is_given_and_spends_its_prompt_by_estimate() {
        int prompt = promptTokens("Paris.");
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.BUDGET_MAX_TOKENS, "1000000"));
        server.otherwise(r -> Reply.verdict(5, "Same meaning.")
                .edited(body -> ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("usage")).remove("completion_tokens")));

        check(runtime, "Paris.");

        assertThat(server.requestCount()).as("the verdict is not asked for again").isEqualTo(1);
        assertThat(harness.checks).extracting(Object::getClass).containsExactly(CheckOutcome.Passed.class);
        RunBudget.Spent spent = runtime.spent();
        assertThat(spent.failedCalls()).isZero();
        assertThat(spent.promptTokens()).as("the prompt, by estimate, not the 120 the reply's usage said").isEqualTo(prompt);
        assertThat(spent.completionTokens()).isZero();
    }

    @Test
    void a_reply_that_is_no_chat_completion_spends_its_prompt_by_estimate() {
        int prompt = promptTokens("Paris.");
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.BUDGET_MAX_TOKENS, "1000000"));
        server.enqueue(Reply.raw(200, "text/html", "<html>Sign in</html>"), Reply.verdict(5, "Same meaning.").withoutUsage());

        check(runtime, "Paris.");

        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(runtime.spent().promptTokens()).as("the prompt was sent twice").isEqualTo(2L * prompt);
    }

    @Test
    void a_token_budget_warns_once_that_the_replies_of_calls_without_usage_are_not_counted() {
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(RunBudget.class.getName());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.BUDGET_MAX_TOKENS, "1000000"));
            server.otherwise(r -> Reply.verdict(5, "Same meaning.").withoutUsage());

            check(runtime, "Paris.");
            check(runtime, "It is Paris.");

            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).contains("reported no token usage", "llmjudge.budget.max-tokens", "estimate",
                    "reply tokens are not counted");
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void a_call_that_would_exceed_max_tokens_errors_at_once_naming_the_key() {
        int promptTokens = promptTokens("Lyon.");
        // Room for the first call's prompt, not for a second one after the first spent 150 tokens.
        long budget = promptTokens + 100;
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.BUDGET_MAX_TOKENS, "" + budget));
        check(runtime, "Paris.");

        JudgeException e = JudgeHarness.error(runtime, () -> check(runtime, "Lyon."));

        assertThat(e.reason()).isEqualTo(Reason.BUDGET_EXHAUSTED);
        assertThat(e.getMessage()).contains("150 tokens spent", "this prompt needs " + promptTokens,
                "llmjudge.budget.max-tokens is " + budget);
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(runtime.spent().refusedCalls()).isEqualTo(1);
    }

    @Test
    void oversized_input_is_rejected_before_any_request_naming_the_limit_key() {
        String longAnswer = "Paris is the capital of France. ".repeat(200);
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_MAX_INPUT_TOKENS, "500"));

        JudgeException e = JudgeHarness.error(runtime, () -> check(runtime, longAnswer));

        assertThat(e.reason()).isEqualTo(Reason.INPUT_TOO_LARGE);
        assertThat(e.getMessage()).contains("more than llmjudge.judge.max-input-tokens = 500", "o200k_base",
                "the answer is 6,400 characters", "Nothing was sent", "raise llmjudge.judge.max-input-tokens");
        assertThat(server.requestCount()).isZero();
        assertThat(runtime.spent().calls()).isZero();
        harness.assertRecordedAsError(e);
        harness.assertNothingCached();
    }

    @ParameterizedTest
    @CsvSource({"gpt-4.1, o200k_base", "gpt-4-turbo, cl100k_base"})
    void oversized_input_names_the_encoding_of_the_judge_model(String model, String encoding) {
        String longAnswer = "Paris is the capital of France. ".repeat(200);
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl(),
                Map.of(LlmJudgeConfig.JUDGE_MAX_INPUT_TOKENS, "500", LlmJudgeConfig.JUDGE_MODEL, model));

        JudgeException e = JudgeHarness.error(runtime, () -> check(runtime, longAnswer));

        assertThat(e.reason()).isEqualTo(Reason.INPUT_TOO_LARGE);
        assertThat(e.getMessage()).contains(" tokens (" + encoding + " for model '" + model + "'), more than llmjudge.judge.max-input-tokens");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void input_just_under_the_limit_is_sent() {
        JudgePrompt prompt = PromptRenderer.render(Metrics.answerSimilarity(),
                EvaluationCase.ofAnswer(JudgeHarness.ANSWER).withGroundTruth(JudgeHarness.GROUND_TRUTH));
        int tokens = TokenCounter.forModel("judge-test-model").count(List.of(prompt.system(), prompt.user()));

        harness.pass(harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_MAX_INPUT_TOKENS, "" + tokens)));
        JudgeException e = harness.error(harness.runtime(server.baseUrl(),
                Map.of(LlmJudgeConfig.JUDGE_MAX_INPUT_TOKENS, "" + (tokens - 1), LlmJudgeConfig.CACHE_MODE, "off")));

        assertThat(e.getMessage()).contains(String.format(Locale.ROOT, "is %,d tokens", tokens));
        assertThat(server.requestCount()).isEqualTo(1);
    }
}
