package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.internal.report.Pricing;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prompt tokens a provider read from its prompt cache ({@code usage.prompt_tokens_details.cached_tokens}):
 * kept in the verdict, recorded only when there are some, priced at the cached rate; and the leading
 * part of every request of a metric (the instructions, rubric and examples) is the same, so that
 * providers' prompt caching applies.
 */
class CachedPromptTokensTest {
    private static final JudgeRequest FIRST = new JudgeRequest(Metrics.answerSimilarity(),
            EvaluationCase.ofAnswer("Paris is the capital.").withGroundTruth("The capital of France is Paris."));
    private static final JudgeRequest SECOND = new JudgeRequest(Metrics.answerSimilarity(),
            EvaluationCase.ofAnswer("Berlin is the capital of Germany.").withGroundTruth("Germany's capital is Berlin."));

    @TempDir
    Path cacheDir;

    private OpenAiCompatibleServer server;

    @BeforeEach
    void startServer() {
        server = OpenAiCompatibleServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void should_keep_and_record_the_cached_prompt_tokens_the_provider_reported() throws IOException {
        server.otherwise(r -> Reply.verdict(5, "Same meaning.").withUsage(1_500, 1_280, 40));

        Verdict judged;
        try (LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir)) {
            judged = runtime.judge().judge(FIRST);
        }
        Verdict replayed;
        try (LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir)) {
            replayed = runtime.judge().judge(FIRST);
        }

        assertThat(judged.usage().promptTokens()).isEqualTo(1_500);
        assertThat(judged.usage().cachedPromptTokens()).isEqualTo(1_280);
        assertThat(judged.usage().completionTokens()).isEqualTo(40);
        JsonNode usage = new ObjectMapper().readTree(onlyVerdictFile().toFile()).path("usage");
        assertThat(usage.path("cached_prompt_tokens").asLong()).isEqualTo(1_280);
        assertThat(replayed.cached()).isTrue();
        assertThat(replayed.usage()).isEqualTo(judged.usage());
        assertThat(server.requestCount()).isEqualTo(1);
    }

    @Test
    void should_record_no_cached_prompt_tokens_when_the_provider_reported_none() throws IOException {
        server.otherwise(r -> Reply.verdict(5, "Same meaning."));

        try (LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir)) {
            assertThat(runtime.judge().judge(FIRST).usage().cachedPromptTokens()).isZero();
        }

        String file = Files.readString(onlyVerdictFile(), StandardCharsets.UTF_8);
        assertThat(file).contains("\"prompt_tokens\"").doesNotContain("cached_prompt_tokens");
    }

    @Test
    void should_price_cached_prompt_tokens_at_the_cached_rate() {
        // gpt-4.1: $2.00 per million prompt tokens, $0.50 cached, $8.00 reply.
        double usd = Pricing.estimateUsd("gpt-4.1", 1_000, 800, 100).orElseThrow();

        assertThat(usd).isCloseTo((200 * 2.00 + 800 * 0.50 + 100 * 8.00) / 1_000_000, within(1e-12));
        assertThat(Pricing.estimateUsd("gpt-4.1", 1_000, 0, 100)).isEqualTo(Pricing.estimateUsd("gpt-4.1", 1_000, 100));
    }

    @Test
    void should_send_every_case_of_a_metric_with_the_same_leading_instructions() {
        server.otherwise(r -> Reply.verdict(5, "Same meaning."));

        try (LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir)) {
            runtime.judge().judge(FIRST);
            runtime.judge().judge(SECOND);
        }

        List<String> first = messages(server.requests().get(0).json());
        List<String> second = messages(server.requests().get(1).json());
        assertThat(first).hasSize(2);
        assertThat(second).hasSize(2);
        // The instructions, rubric and examples lead, the same for both; only the case after them differs.
        assertThat(first.get(0)).isEqualTo(second.get(0)).contains(Metrics.answerSimilarity().definition())
                .contains(Metrics.answerSimilarity().rubric().get(0).description());
        assertThat(first.get(1)).isNotEqualTo(second.get(1));
        assertThat(first.get(0)).doesNotContain("Berlin");
        assertThat(second.get(0)).doesNotContain("Berlin");
    }

    private static List<String> messages(JsonNode body) {
        return Stream.iterate(0, i -> i < body.path("messages").size(), i -> i + 1)
                .map(i -> body.path("messages").get(i).path("content").asText()).toList();
    }

    private Path onlyVerdictFile() throws IOException {
        try (Stream<Path> files = Files.walk(cacheDir)) {
            List<Path> verdicts = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(verdicts).hasSize(1);
            return verdicts.get(0);
        }
    }
}
