package dev.llmjudge.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A call that never got a judge slot (interrupted while it waited) sent nothing, so it spends none of the run's budget. */
class WaitingForASlotTest {
    @TempDir
    Path cacheDir;

    private static JudgeRequest request(String answer) {
        return new JudgeRequest(Metrics.answerSimilarity(), EvaluationCase.ofAnswer(answer).withGroundTruth("Paris"));
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as("reached in time").isTrue();
    }

    @Test
    void should_spend_no_budget_on_a_call_interrupted_while_it_waited_for_a_slot() throws Exception {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start().otherwise(r -> Reply.verdict(5, "ok").afterMillis(1500))) {
            LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir,
                    Map.of("llmjudge.judge.max-concurrency", "1", "llmjudge.budget.max-calls", "2"));
            Thread holder = new Thread(() -> runtime.judge().judge(request("Paris one")));
            holder.start();
            awaitUntil(() -> server.requestCount() == 1);
            AtomicReference<Throwable> waiterError = new AtomicReference<>();
            Thread waiter = new Thread(() -> waiterError.set(catchThrowable(() -> runtime.judge().judge(request("Paris two")))));
            waiter.start();
            awaitUntil(() -> waiter.getState() == Thread.State.WAITING || waiter.getState() == Thread.State.TIMED_WAITING);
            waiter.interrupt();
            waiter.join();
            holder.join();

            Throwable third = catchThrowable(() -> runtime.judge().judge(request("Paris three")));
            RunBudget.Spent spent = runtime.spent();
            runtime.close();

            assertThat(waiterError.get()).isInstanceOf(JudgeException.class).hasMessageContaining("interrupted while waiting");
            assertThat(third).as("one call of the two allowed was made before it").isNull();
            assertThat(server.requestCount()).isEqualTo(2);
            assertThat(spent.calls()).isEqualTo(2);
            assertThat(spent.failedCalls()).isZero();
        }
    }
}
