package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A verdict whose server reported no usage keeps that in its verdict file ({@code usage.unreported_replies}), so that a
 * replayed verdict says its tokens are unknown rather than 0; a file without the member reads as reported, as before.
 */
class UnreportedUsageVerdictFileTest {
    private static final JudgeRequest REQUEST = new JudgeRequest(Metrics.answerSimilarity(),
            EvaluationCase.ofAnswer("Paris is the capital.").withGroundTruth("The capital of France is Paris."));

    @TempDir
    Path cacheDir;

    @Test
    void should_record_and_replay_a_verdict_whose_usage_the_server_did_not_report() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(r -> Reply.verdict(5, "Same meaning.").withoutUsage());
            Verdict judged;
            try (LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir)) {
                judged = runtime.judge().judge(REQUEST);
            }
            Verdict replayed;
            try (LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir)) {
                replayed = runtime.judge().judge(REQUEST);
            }

            assertThat(judged.usage()).isEqualTo(TokenUsage.NOT_REPORTED);
            assertThat(judged.usage().reported()).isFalse();
            JsonNode usage = new ObjectMapper().readTree(onlyVerdictFile().toFile()).path("usage");
            assertThat(usage.path("unreported_replies").asInt()).isEqualTo(1);
            assertThat(usage.path("prompt_tokens").asLong()).isZero();
            assertThat(replayed.cached()).isTrue();
            assertThat(replayed.usage()).isEqualTo(judged.usage());
            assertThat(server.requestCount()).isEqualTo(1);
        }
    }

    @Test
    void should_write_no_unreported_replies_when_the_server_reported_the_usage() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            try (LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir)) {
                assertThat(runtime.judge().judge(REQUEST).usage().reported()).isTrue();
            }
        }

        assertThat(Files.readString(onlyVerdictFile())).contains("\"prompt_tokens\" : 120").doesNotContain("unreported_replies");
    }

    private Path onlyVerdictFile() throws IOException {
        try (Stream<Path> files = Files.walk(cacheDir)) {
            List<Path> verdicts = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(verdicts).hasSize(1);
            return verdicts.get(0);
        }
    }
}
