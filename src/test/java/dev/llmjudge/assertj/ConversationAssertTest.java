package dev.llmjudge.assertj;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatConversation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.conversation.Conversation;
import dev.llmjudge.conversation.FaultedTurns;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.openai.TokenCounter;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.PublishedOutcomes;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Received;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** Conversation checks over a real socket to an OpenAI-compatible server on 127.0.0.1. */
class ConversationAssertTest {
    private static final Conversation CONTRADICTED = Conversation.builder()
            .system("You are the support assistant of an online shop. Only discuss orders and deliveries.")
            .user("Hi, I'm Dana. My order 1234 should go to my new address in Lyon.")
            .assistant("Thanks, Dana. I have updated order 1234 to deliver to Lyon.")
            .user("Great. When will it arrive?")
            .assistant("Order 1234 will be delivered to your address in Paris on Monday.")
            .build();

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

    private static void judged(LlmJudgeRuntime runtime, Runnable assertion) {
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            assertion.run();
        } finally {
            runtime.close();
        }
    }

    @Test
    void should_fail_knowledge_retention_naming_and_quoting_the_turn_that_contradicts_the_user() {
        server.enqueue(Reply.verdict(1, "The user said in turn 2 that the order goes to Lyon; turn 5 says Paris. Faulted turns: 5"));

        Throwable failure = catchThrowable(() -> judged(TestRuntimes.runtime(server, cacheDir),
                () -> assertThatConversation(CONTRADICTED).hasKnowledgeRetention().withScoreAtLeast(4)));

        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage()).startsWith("knowledge_retention faults turn 5:\n"
                + "  [Turn 5] assistant: Order 1234 will be delivered to your address in Paris on Monday.\n\n");
        assertThat(failure.getMessage()).contains("Faulted turns: 5");
        String prompt = server.lastRequest().promptText();
        assertThat(prompt).contains(FaultedTurns.LABEL)
                .contains("[Turn 2] user: Hi, I'm Dana. My order 1234 should go to my new address in Lyon.");
        assertThat(published.outcomes()).singleElement().satisfies(outcome -> {
            assertThat(outcome).isInstanceOf(CheckOutcome.Failed.class);
            assertThat(outcome.check().metric().name()).isEqualTo("knowledge_retention");
            assertThat(ReportRow.of(outcome).justification()).endsWith("Faulted turns: 5");
        });
    }

    @Test
    void should_pass_and_replay_the_recorded_verdict_without_a_request() {
        server.enqueue(Reply.verdict(5, "Every turn keeps what the user said. Faulted turns: none"));
        judged(TestRuntimes.runtime(server, cacheDir), () -> assertThatConversation(CONTRADICTED).isComplete().withScoreAtLeast(4));

        judged(TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.CACHE_MODE, "replay")),
                () -> assertThatConversation(CONTRADICTED).isComplete().withScoreAtLeast(4));

        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(published.outcomes()).hasSize(2).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(CheckOutcome.Passed.class));
        assertThat(published.outcomes().get(1).verdict().cached()).isTrue();
    }

    @Test
    void should_judge_relevance_one_window_per_assistant_turn_and_fail_naming_the_turn_of_the_low_window() {
        server.otherwise(request -> request.promptText().contains("[Turn 5] assistant")
                ? Reply.verdict(2, "Turn 5 answers a question nobody asked. Faulted turns: 5")
                : Reply.verdict(5, "Fits. Faulted turns: none"));

        Throwable failure = catchThrowable(() -> judged(TestRuntimes.runtime(server, cacheDir),
                () -> assertThatConversation(CONTRADICTED).isRelevantOverWindowsOf(3).withScoreAtLeast(4)));

        assertThat(failure).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage()).startsWith("conversation_relevance faults turn 5 (each assistant turn judged in a window of"
                + " the last 3 turns):\n  [Turn 5] assistant: Order 1234");
        assertThat(server.requestCount()).isEqualTo(2);
        assertThat(server.requests().get(0).promptText()).contains("[Turn 1] system").contains("[Turn 3] assistant")
                .doesNotContain("[Turn 4]");
        assertThat(server.requests().get(1).promptText()).contains("[Turn 3] assistant").contains("[Turn 5] assistant")
                .doesNotContain("[Turn 2]");
        assertThat(published.outcomes()).extracting(outcome -> outcome.getClass().getSimpleName()).containsExactly("Passed", "Failed");
        assertThat(published.outcomes()).extracting(outcome -> outcome.check().ordinal()).doesNotHaveDuplicates();
    }

    @Test
    void should_keep_a_200_turn_conversation_under_the_token_limit_by_its_windows_and_never_cut_the_whole_one() {
        Conversation.Builder builder = Conversation.builder();
        for (int i = 1; i <= 100; i++) {
            builder.user("Question " + i + ": what is the status of parcel number " + (1000 + i) + " that I sent to my aunt last week?")
                    .assistant("Parcel " + (1000 + i) + " left our depot yesterday and should reach your aunt within two working days.");
        }
        Conversation conversation = builder.build();
        int limit = 3000;
        assertThat(TokenCounter.forModel(TestRuntimes.MODEL).count(conversation.transcript())).isGreaterThan(limit);
        server.otherwise(request -> Reply.verdict(5, "Fits. Faulted turns: none"));
        Map<String, String> bounded = Map.of(LlmJudgeConfig.JUDGE_MAX_INPUT_TOKENS, String.valueOf(limit),
                LlmJudgeConfig.CONVERSATION_WINDOW, "4");

        judged(TestRuntimes.runtime(server, cacheDir, bounded), () -> assertThatConversation(conversation).isRelevant().withScoreAtLeast(4));

        assertThat(server.requestCount()).isEqualTo(100);
        TokenCounter counter = TokenCounter.forModel(TestRuntimes.MODEL);
        for (Received request : server.requests()) {
            List<String> messages = new ArrayList<>();
            request.json().path("messages").forEach(m -> messages.add(m.path("content").asText()));
            assertThat(counter.count(messages)).isLessThanOrEqualTo(limit);
        }
        assertThat(server.requests().get(99).promptText()).contains("[Turn 197] user").contains("[Turn 200] assistant")
                .doesNotContain("[Turn 196]");

        Throwable whole = catchThrowable(() -> judged(TestRuntimes.runtime(server, cacheDir, bounded),
                () -> assertThatConversation(conversation).hasKnowledgeRetention().withScoreAtLeast(4)));

        assertThat(whole).isInstanceOf(JudgeException.class);
        assertThat(((JudgeException) whole).reason()).isEqualTo(JudgeException.Reason.INPUT_TOO_LARGE);
        assertThat(whole.getMessage()).contains("more than llmjudge.judge.max-input-tokens = 3000").contains("Nothing was sent")
                .contains("knowledge_retention reads the whole conversation (200 turns) at once");
        assertThat(server.requestCount()).isEqualTo(100);
    }

    @Test
    void should_error_when_even_one_window_is_over_the_token_limit_saying_which_and_how_to_fix_it() {
        Conversation conversation = Conversation.builder().user("Tell me about order 1234. ".repeat(200)).assistant("It ships Monday.")
                .build();

        Throwable error = catchThrowable(() -> judged(TestRuntimes.runtime(server, cacheDir,
                Map.of(LlmJudgeConfig.JUDGE_MAX_INPUT_TOKENS, "1000")), () -> assertThatConversation(conversation).isRelevant()
                        .withScoreAtLeast(4)));

        assertThat(error).isInstanceOf(JudgeException.class);
        assertThat(error.getMessage()).contains("The window of turns 1 to 2 is what was too large")
                .contains("llmjudge.conversation.window (now 4)");
        assertThat(server.requestCount()).isZero();
        assertThat(published.outcomes()).singleElement().isInstanceOf(CheckOutcome.Errored.class);
    }

    @Test
    void should_collect_every_window_for_a_batch_in_one_run_before_aborting_the_test(@TempDir Path batchDir) {
        LlmJudgeRuntime collecting = TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.CACHE_MODE, "collect",
                LlmJudgeConfig.BATCH_DIR, batchDir.toString()));

        Throwable aborted = catchThrowable(() -> judged(collecting,
                () -> assertThatConversation(CONTRADICTED).isRelevantOverWindowsOf(3).withScoreAtLeast(4)));

        assertThat(aborted).isInstanceOf(TestAbortedException.class).hasMessageContaining("collected for batch judging");
        assertThat(server.requestCount()).isZero();
        assertThat(published.outcomes()).hasSize(2).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(CheckOutcome.Skipped.class));
    }

    @Test
    void should_say_what_is_wrong_with_a_conversation_that_cannot_be_judged() {
        LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir);
        try {
            Conversation noSystem = Conversation.builder().user("Hi").assistant("Hello").build();
            assertThatThrownBy(() -> new ConversationAssert(noSystem, runtime).hasRoleAdherence())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no system turn");
            assertThatThrownBy(() -> new ConversationAssert(null, runtime).hasKnowledgeRetention())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the conversation is null");
            assertThatThrownBy(() -> new ConversationAssert(noSystem, runtime).isRelevantOverWindowsOf(1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use at least 2");
            Conversation onlyUser = Conversation.builder().user("Hi").build();
            assertThatThrownBy(() -> new ConversationAssert(onlyUser, runtime).isRelevant())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no assistant turn after its first turn");
            assertThatThrownBy(() -> Conversation.builder().user("Hi").assistant(" ").build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("turn 2 (assistant) is blank: give every turn the text that was said");
            assertThatThrownBy(() -> new ConversationAssert(CONTRADICTED, runtime).hasKnowledgeRetention().withScoreAtLeast(9))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threshold 9 is outside the rubric of knowledge_retention");
        } finally {
            runtime.close();
        }
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void should_reject_a_null_runtime_saying_where_to_get_one() {
        assertThatThrownBy(() -> new ConversationAssert(CONTRADICTED, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("new ConversationAssert(conversation, null): the runtime is null: pass the runtime to judge with:"
                        + " a test of an @LlmJudgeTest class gets it as an LlmJudgeRuntime parameter, other code builds one"
                        + " with LlmJudgeRuntime.builder().config(LlmJudgeConfig.fromEnvironment()).build(); or leave it"
                        + " out, new ConversationAssert(conversation), to judge with the current one");
    }

    @Test
    void should_reject_a_null_metric_naming_the_argument_before_any_request() {
        LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir);
        try {
            assertThatThrownBy(() -> new ConversationAssert(CONTRADICTED, runtime).judgedBy(null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("judgedBy(null): the metric is null: pass the metric to judge by, e.g. Metrics.criterion(\"stays polite in"
                            + " every turn\") or one built with Metric.builder");
        } finally {
            runtime.close();
        }
        assertThat(server.requestCount()).isZero();
        assertThat(published.outcomes()).isEmpty();
    }

    @Test
    void should_refuse_every_check_of_a_conversation_with_no_assistant_turn_before_any_request() {
        Conversation onlyUser = Conversation.builder().system("You are a shop assistant.").user("Hi, I'm Dana.").build();
        LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir);
        try {
            ConversationAssert conversation = new ConversationAssert(onlyUser, runtime);
            List<Runnable> checks = List.of(
                    () -> conversation.hasKnowledgeRetention().withScoreAtLeast(4),
                    () -> conversation.hasRoleAdherence().withScoreAtLeast(4),
                    () -> conversation.isComplete().withScoreAtLeast(4),
                    () -> conversation.judgedBy(Metrics.passFail("stays polite in every turn")).passes());
            for (Runnable check : checks) {
                assertThatThrownBy(check::run).isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("the conversation has no assistant turn, so there is nothing of the assistant to judge: add the"
                                + " assistant's replies, e.g. Conversation.builder().user(\"...\").assistant(\"...\")");
            }
            assertThatThrownBy(() -> conversation.isRelevant()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no assistant turn after its first turn");
        } finally {
            runtime.close();
        }
        assertThat(server.requestCount()).isZero();
        assertThat(published.outcomes()).extracting(outcome -> outcome.check().metric().name())
                .containsExactly("knowledge_retention", "role_adherence", "conversation_completeness", "pass_fail_criterion", "conversation_relevance");
    }

    @Test
    void should_report_bad_input_to_a_conversation_check_as_an_invalid_input_error_row_as_an_answer_check_does() {
        Conversation noSystem = Conversation.builder().user("Hi").assistant("Hello").build();
        LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir);
        try {
            catchThrowable(() -> new ConversationAssert(noSystem, runtime).as("greeting").hasRoleAdherence().withScoreAtLeast(4));
            catchThrowable(() -> new ConversationAssert(noSystem, runtime).isRelevantOverWindowsOf(1).withScoreAtLeast(4));
            catchThrowable(() -> new ConversationAssert(null, runtime).hasKnowledgeRetention().withScoreAtLeast(4));
        } finally {
            runtime.close();
        }
        assertThat(server.requestCount()).isZero();
        assertThat(published.outcomes()).hasSize(3).allSatisfy(outcome -> assertThat(outcome)
                .isInstanceOfSatisfying(CheckOutcome.Errored.class, errored -> assertThat(errored.reason())
                        .isEqualTo(JudgeException.Reason.INVALID_INPUT)));
        List<CheckOutcome.Errored> rows = published.outcomes().stream().map(CheckOutcome.Errored.class::cast).toList();
        assertThat(rows.get(0).check().metric().name()).isEqualTo("role_adherence");
        assertThat(rows.get(0).check().description()).isEqualTo("greeting");
        assertThat(rows.get(0).check().evaluationCase().answer()).isEqualTo(noSystem.transcript());
        assertThat(rows.get(0).message()).contains("no system turn");
        assertThat(rows.get(1).check().metric().name()).isEqualTo("conversation_relevance");
        assertThat(rows.get(1).message()).contains("use at least 2");
        assertThat(rows.get(2).check().metric().name()).isEqualTo("knowledge_retention");
        assertThat(rows.get(2).message()).contains("the conversation is null");
    }

    @Test
    void should_quote_only_the_listed_faulted_turn_not_a_turn_the_judge_cites_after_the_list() {
        server.enqueue(Reply.verdict(1, "Turn 5 says Paris. Faulted turns: 5 (the user said Lyon in turn 2)"));

        Throwable failure = catchThrowable(() -> judged(TestRuntimes.runtime(server, cacheDir),
                () -> assertThatConversation(CONTRADICTED).hasKnowledgeRetention().withScoreAtLeast(4)));

        assertThat(failure).isInstanceOf(AssertionError.class);
        String faults = failure.getMessage().substring(0, failure.getMessage().indexOf("\n\n"));
        assertThat(faults).isEqualTo("knowledge_retention faults turn 5:\n"
                + "  [Turn 5] assistant: Order 1234 will be delivered to your address in Paris on Monday.");
    }

    @Test
    void should_judge_a_custom_metric_on_the_transcript() {
        server.enqueue(Reply.verdict(1, "Polite throughout."));

        judged(TestRuntimes.runtime(server, cacheDir),
                () -> assertThatConversation(CONTRADICTED).judgedBy(Metrics.passFail("stays polite in every turn")).passes());

        assertThat(server.lastRequest().promptText()).contains("[Turn 5] assistant: Order 1234");
        assertThat(published.outcomes()).singleElement().isInstanceOf(CheckOutcome.Passed.class);
    }
}
