package dev.llmjudge.internal.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Warming the judge up creates its client ahead of the first call and sends nothing; the first calls wait for it. */
class OpenAiJudgeWarmUpTest {
    private static final JudgeRequest REQUEST = new JudgeRequest(Metrics.answerSimilarity(),
            EvaluationCase.ofAnswer("Paris is the capital.").withGroundTruth("The capital of France is Paris."));

    @Test
    void should_create_the_client_ahead_of_the_first_call_without_sending_a_request() throws Exception {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start();
                OpenAiJudge judge = new OpenAiJudge(TestRuntimes.judge(Map.of(LlmJudgeConfig.JUDGE_BASE_URL, server.baseUrl())),
                        TestRuntimes.API_KEY)) {
            server.otherwise(r -> Reply.verdict(5, "Same meaning."));

            judge.warmUp(REQUEST);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!judge.clientCreated() && Instant.now().isBefore(deadline)) {
                Thread.sleep(10);
            }

            assertThat(judge.warmUpStarted()).isTrue();
            assertThat(judge.clientCreated()).isTrue();
            assertThat(server.requestCount()).isZero();
            Verdict verdict = judge.judge(REQUEST);
            assertThat(verdict.score()).isEqualTo(5);
            assertThat(server.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void should_send_the_first_call_once_the_warm_up_has_prepared_a_request_so_that_calls_do_not_each_redo_it() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start();
                OpenAiJudge judge = new OpenAiJudge(TestRuntimes.judge(Map.of(LlmJudgeConfig.JUDGE_BASE_URL, server.baseUrl())),
                        TestRuntimes.API_KEY, () -> awaitQuietly(release))) {
            server.otherwise(r -> Reply.verdict(5, "Same meaning."));
            // A first call by another judge loads what any call needs in this JVM: the held-back call could go at once.
            try (OpenAiJudge first = new OpenAiJudge(TestRuntimes.judge(Map.of(LlmJudgeConfig.JUDGE_BASE_URL, server.baseUrl())),
                    TestRuntimes.API_KEY)) {
                assertThat(first.judge(REQUEST).score()).isEqualTo(5);
            }

            CompletableFuture<Verdict> call = CompletableFuture.supplyAsync(() -> judge.judge(REQUEST));
            Thread.sleep(500);
            assertThat(judge.warmUpStarted()).isTrue();
            assertThat(judge.requestWarmedUp()).isFalse();
            assertThat(server.requestCount()).as("requests sent while the warm-up is held back").isEqualTo(1);
            assertThat(call).isNotDone();

            release.countDown();

            assertThat(call.get(30, TimeUnit.SECONDS).score()).isEqualTo(5);
            assertThat(judge.requestWarmedUp()).isTrue();
            assertThat(server.requestCount()).isEqualTo(2);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void should_not_warm_up_a_judge_that_was_never_asked_to() {
        try (OpenAiJudge judge = new OpenAiJudge(TestRuntimes.judge(TestRuntimes.MODEL), TestRuntimes.API_KEY)) {
            assertThat(judge.warmUpStarted()).isFalse();
            assertThat(judge.clientCreated()).isFalse();
        }
    }
}
