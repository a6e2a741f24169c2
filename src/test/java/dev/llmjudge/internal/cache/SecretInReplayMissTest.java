package dev.llmjudge.internal.cache;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.PublishedOutcomes;
import dev.llmjudge.testsupport.TestRuntimes;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay miss quotes the case shortened to 60 characters: the case is redacted before it is shortened, so that a key the
 * cut would split leaves no part of itself in the message or the report row.
 */
class SecretInReplayMissTest {
    private static final String KEY = "sk-probe-4f9d2c7a1b8e6d3f0a5c9b2e7d4a1f8c6b3e0d9a";

    @TempDir
    Path cacheDir;

    @RegisterExtension
    final PublishedOutcomes published = new PublishedOutcomes();

    @Test
    void should_leave_no_part_of_an_api_key_in_the_answer_in_the_replay_miss_message_or_its_report_row() {
        // The key starts at character 37 of the answer, so a cut at 60 characters would split it.
        String answer = "Here is what you asked for, the key " + KEY + " and the base URL.";
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start();
                LlmJudgeRuntime runtime = LlmJudgeRuntime.builder()
                        .config(TestRuntimes.config(server, cacheDir, Map.of(LlmJudgeConfig.CACHE_MODE, "replay")))
                        .apiKey(KEY).build();
                LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            Throwable error = catchThrowable(() -> assertThatAnswer(answer).isSimilarTo("Use your own key.").withScoreAtLeast(4));

            assertThat(error).isInstanceOf(JudgeException.class).hasMessageContaining("no recorded verdict", "[REDACTED]");
            assertThat(error.getMessage()).as("the error message").doesNotContain(KEY.substring(0, 12));
            assertThat(((CheckOutcome.Errored) published.outcomes().get(0)).message()).as("the report row's error message")
                    .doesNotContain(KEY.substring(0, 12));
            assertThat(server.requestCount()).isZero();
        }
    }
}
