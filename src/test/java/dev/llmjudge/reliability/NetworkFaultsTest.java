package dev.llmjudge.reliability;

import static dev.llmjudge.reliability.EndpointFaultsTest.millisSince;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.RawSocketServer;
import dev.llmjudge.testsupport.RawSocketServer.Behaviour;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults below HTTP: refused and reset connections, replies that never come or come too slowly. */
class NetworkFaultsTest {
    @TempDir
    Path tempDir;

    private JudgeHarness harness;

    @BeforeEach
    void start() {
        harness = new JudgeHarness(tempDir);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void connection_refused_errors_naming_the_endpoint() throws IOException {
        String baseUrl = "http://127.0.0.1:" + JudgeHarness.closedPort() + "/v1";

        JudgeException e = harness.error(harness.runtime(baseUrl));

        assertThat(e.reason()).isEqualTo(Reason.NETWORK);
        assertThat(e.getMessage()).contains("could not get a reply from the judge endpoint " + baseUrl + " after 3 attempts",
                "ConnectException", "check OPENAI_BASE_URL, that the server is running");
        harness.assertRecordedAsError(e);
        harness.assertNothingCached();
    }

    @Test
    void connection_reset_mid_response_is_retried_then_judged() {
        try (RawSocketServer server = RawSocketServer.start()) {
            server.enqueue(Behaviour.resetMidResponse());

            harness.pass(harness.runtime(server.baseUrl()));

            assertThat(server.requestCount()).isEqualTo(2);
            assertThat(harness.checks).singleElement().isInstanceOf(CheckOutcome.Passed.class);
            assertThat(harness.verdictFiles()).hasSize(1);
        }
    }

    @Test
    void connection_reset_every_time_errors_after_max_attempts() {
        try (RawSocketServer server = RawSocketServer.start()) {
            server.otherwise(Behaviour.resetMidResponse());

            JudgeException e = harness.error(harness.runtime(server.baseUrl()));

            assertThat(server.requestCount()).as("ours only: OkHttp's connection retry is off too").isEqualTo(3);
            assertThat(e.reason()).isEqualTo(Reason.NETWORK);
            assertThat(e.getMessage()).contains(server.baseUrl(), "after 3 attempts", "llmjudge.judge.timeout");
            harness.assertRecordedAsError(e);
            harness.assertNothingCached();
        }
    }

    @Test
    void connection_closed_without_a_reply_errors_after_max_attempts() {
        try (RawSocketServer server = RawSocketServer.start()) {
            server.otherwise(Behaviour.closeWithoutReply());

            JudgeException e = harness.error(harness.runtime(server.baseUrl()));

            assertThat(server.requestCount()).isEqualTo(3);
            assertThat(e.reason()).isEqualTo(Reason.NETWORK);
            assertThat(e.getMessage()).contains("could not get a reply from the judge endpoint " + server.baseUrl() + " after 3 attempts"
                    + " (the server closed the connection before replying): check OPENAI_BASE_URL, that the server is running")
                    .doesNotContain("EOFException", "not found: limit=");
            harness.assertRecordedAsError(e);
            harness.assertNothingCached();
        }
    }

    @Test
    void read_timeout_errors_naming_the_timeout_key() {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(r -> Reply.verdict(5, "Too late.").afterMillis(10_000));

            long started = System.nanoTime();
            JudgeException e = harness.error(harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_TIMEOUT, "300ms")));

            // Generous for a loaded machine (the first call of a JVM also loads the client), yet far below 3 x 10 s.
            assertThat(millisSince(started)).as("three attempts of 300 ms, not three of 10 s").isLessThan(15_000);
            assertThat(server.requestCount()).isEqualTo(3);
            assertThat(e.reason()).isEqualTo(Reason.NETWORK);
            assertThat(e.getMessage()).contains("could not get a reply", "the last attempt timed out after 0.3 s", "llmjudge.judge.timeout");
            harness.assertRecordedAsError(e);
            harness.assertNothingCached();
        }
    }

    @Test
    void read_timeout_then_a_prompt_reply_is_judged() {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.enqueue(Reply.verdict(5, "Too late.").afterMillis(10_000), Reply.verdict(5, "Same meaning."));

            // A timeout long enough for a prompt reply on a loaded machine, far below the stalled one.
            harness.pass(harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_TIMEOUT, "2s")));

            assertThat(server.requestCount()).isEqualTo(2);
            assertThat(harness.verdictFiles()).hasSize(1);
        }
    }

    @Test
    void trickling_reply_is_cut_off_by_the_timeout() {
        try (RawSocketServer server = RawSocketServer.start()) {
            // About 500 bytes at 100 ms each would take 50 s (the server stops trickling after 10 s).
            server.otherwise(Behaviour.trickle(Reply.verdict(5, "Same meaning."), 100));

            long started = System.nanoTime();
            JudgeException e = harness.error(harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_TIMEOUT, "400ms")));

            // A read timeout alone never fires (a byte comes every 100 ms); only a bound on the whole call ends this early.
            assertThat(millisSince(started)).as("the timeout bounds the whole call, not each byte").isLessThan(20_000);
            assertThat(server.requestCount()).isEqualTo(3);
            assertThat(e.reason()).isEqualTo(Reason.NETWORK);
            assertThat(e.getMessage()).contains("the last attempt timed out after 0.4 s", "llmjudge.judge.timeout");
            harness.assertRecordedAsError(e);
            harness.assertNothingCached();
        }
    }

    @Test
    void trickling_reply_that_ends_in_time_is_judged() {
        try (RawSocketServer server = RawSocketServer.start()) {
            server.otherwise(Behaviour.trickle(Reply.verdict(5, "Same meaning."), 1));

            harness.pass(harness.runtime(server.baseUrl(), Map.of(LlmJudgeConfig.JUDGE_TIMEOUT, "10s")));

            assertThat(server.requestCount()).isEqualTo(1);
            assertThat(harness.verdictFiles()).hasSize(1);
        }
    }
}
