package dev.llmjudge.runtime;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.cache.RefreshedFiles;
import dev.llmjudge.internal.cache.StepsFiles;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluation steps written by the judge once, stored beside the verdicts, and replayed; over a real socket on 127.0.0.1. */
class EvaluationStepsTest {
    private static final String CRITERION = "answers in a polite tone";
    private static final String ANSWER = "Thank you for asking! Your order ships tomorrow.";
    private static final String STEPS = "1. Read the whole answer.\n2. Note any curt or rude wording.\n3. Score by how courteous it reads.";

    @TempDir
    Path cacheDir;

    private OpenAiCompatibleServer server;

    @BeforeEach
    void start() {
        server = OpenAiCompatibleServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void judged(Map<String, String> overrides, Runnable assertion) {
        LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir, overrides);
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            assertion.run();
        } finally {
            runtime.close();
        }
    }

    private static Metric polite(String criterion) {
        return Metrics.withSteps("polite_tone", criterion);
    }

    private Path stepsFile(String criterion) {
        return new StepsFiles(cacheDir).fileFor("polite_tone", criterion);
    }

    @Test
    void should_ask_the_judge_for_the_steps_once_store_them_and_grade_by_them() throws IOException {
        server.enqueue(Reply.verdict(1, STEPS), Reply.verdict(5, "Courteous throughout."));

        judged(Map.of(), () -> assertThatAnswer(ANSWER).judgedBy(polite(CRITERION)).withScoreAtLeast(4));

        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(0).promptText()).contains("evaluation_steps_writer").contains(CRITERION);
        String grading = server.requests().get(1).json().path("messages").get(0).path("content").asText();
        assertThat(grading).contains("## Metric: polite_tone").contains("## Evaluation steps\nFollow these steps, in order, to grade the case:\n"
                + "1. Read the whole answer.\n2. Note any curt or rude wording.\n3. Score by how courteous it reads.\n");
        JsonNode stored = new ObjectMapper().readTree(Files.readString(stepsFile(CRITERION)));
        assertThat(stored.path("schema").asText()).isEqualTo(StepsFiles.SCHEMA);
        assertThat(stored.path("metric").asText()).isEqualTo("polite_tone");
        assertThat(stored.path("criterion").asText()).isEqualTo(CRITERION);
        assertThat(stored.path("judge_model").asText()).isEqualTo(TestRuntimes.MODEL);
        assertThat(stored.path("steps")).extracting(JsonNode::asText)
                .containsExactly("Read the whole answer.", "Note any curt or rude wording.", "Score by how courteous it reads.");
        assertThat(stepsFile(CRITERION).getParent()).isEqualTo(cacheDir.resolve("_steps"));
    }

    @Test
    void should_replay_the_steps_and_the_verdict_with_no_request_in_a_later_run() {
        server.enqueue(Reply.verdict(1, STEPS), Reply.verdict(5, "Courteous throughout."));
        judged(Map.of(), () -> assertThatAnswer(ANSWER).judgedBy(polite(CRITERION)).withScoreAtLeast(4));

        judged(Map.of(LlmJudgeConfig.CACHE_MODE, "replay"), () -> assertThatAnswer(ANSWER).judgedBy(polite(CRITERION)).withScoreAtLeast(4));
        judged(Map.of(), () -> assertThatAnswer(ANSWER).judgedBy(polite(CRITERION)).withScoreAtLeast(4));

        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void should_mask_a_known_key_in_the_stored_criterion_and_still_replay_its_steps() throws IOException {
        String key = "sk-steps-canary-0123456789abcdef";
        Secrets.register(key);
        String criterion = "never reveals the token " + key;
        server.enqueue(Reply.verdict(1, STEPS), Reply.verdict(5, "Nothing revealed."));
        judged(Map.of(), () -> assertThatAnswer(ANSWER).judgedBy(polite(criterion)).withScoreAtLeast(4));

        judged(Map.of(LlmJudgeConfig.CACHE_MODE, "replay"), () -> assertThatAnswer(ANSWER).judgedBy(polite(criterion)).withScoreAtLeast(4));

        assertThat(Files.readString(stepsFile(criterion))).doesNotContain(key).contains("never reveals the token [REDACTED]");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void should_write_the_steps_of_a_criterion_once_for_two_runtimes_sharing_the_cache() {
        server.otherwise(r -> r.promptText().contains("evaluation_steps_writer") ? Reply.verdict(1, STEPS).afterMillis(300)
                : Reply.verdict(5, "Courteous."));
        LlmJudgeRuntime first = TestRuntimes.runtime(server, cacheDir, Map.of());
        LlmJudgeRuntime second = TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.JUDGE_MAX_ATTEMPTS, "2"));
        CyclicBarrier together = new CyclicBarrier(2);

        CompletableFuture<Void> one = CompletableFuture.runAsync(() -> politeCheck(first, together, "Thanks a lot!"));
        CompletableFuture<Void> other = CompletableFuture.runAsync(() -> politeCheck(second, together, "Thank you kindly!"));
        one.join();
        other.join();
        first.close();
        second.close();

        assertThat(server.requests()).filteredOn(r -> r.promptText().contains("evaluation_steps_writer")).hasSize(1);
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void should_write_the_steps_again_once_per_run_in_refresh_mode_for_two_runtimes_of_the_run() {
        server.otherwise(r -> r.promptText().contains("evaluation_steps_writer") ? Reply.verdict(1, STEPS) : Reply.verdict(5, "Courteous."));
        judged(Map.of(), () -> assertThatAnswer(ANSWER).judgedBy(polite(CRITERION)).withScoreAtLeast(4));
        int recorded = server.requests().size();
        RefreshedFiles run = new RefreshedFiles();

        for (String attempts : List.of("1", "2")) {
            LlmJudgeRuntime runtime = LlmJudgeRuntime.builder().refreshed(run).apiKey(TestRuntimes.API_KEY).config(TestRuntimes.config(server,
                    cacheDir, Map.of(LlmJudgeConfig.CACHE_MODE, "refresh", LlmJudgeConfig.JUDGE_MAX_ATTEMPTS, attempts))).build();
            try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
                assertThatAnswer(ANSWER).judgedBy(polite(CRITERION)).withScoreAtLeast(4);
            } finally {
                runtime.close();
            }
        }

        assertThat(server.requests().subList(recorded, server.requests().size()))
                .as("the refresh run's requests: the steps and the verdict once, for the first runtime")
                .extracting(r -> r.promptText().contains("evaluation_steps_writer")).containsExactly(true, false);
    }

    private static void politeCheck(LlmJudgeRuntime runtime, CyclicBarrier together, String answer) {
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            together.await();
            assertThatAnswer(answer).judgedBy(polite(CRITERION)).withScoreAtLeast(4);
        } catch (InterruptedException | BrokenBarrierException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void should_ask_for_new_steps_when_the_criterion_text_changes() {
        server.enqueue(Reply.verdict(1, STEPS), Reply.verdict(5, "Courteous throughout."));
        judged(Map.of(), () -> assertThatAnswer(ANSWER).judgedBy(polite(CRITERION)).withScoreAtLeast(4));
        String changed = "answers in a polite and warm tone";
        server.enqueue(Reply.verdict(1, "1. Read the answer.\n2. Look for warmth as well as courtesy."), Reply.verdict(5, "Warm."));

        judged(Map.of(), () -> assertThatAnswer(ANSWER).judgedBy(polite(changed)).withScoreAtLeast(4));

        assertThat(server.requests()).hasSize(4);
        assertThat(server.requests().get(2).promptText()).contains("evaluation_steps_writer").contains(changed);
        assertThat(stepsFile(changed)).exists().isNotEqualTo(stepsFile(CRITERION));
        assertThat(stepsFile(CRITERION)).exists();
    }

    @Test
    void should_error_in_replay_mode_naming_the_steps_file_to_generate_when_none_is_recorded() {
        assertThatThrownBy(() -> judged(Map.of(LlmJudgeConfig.CACHE_MODE, "replay"),
                () -> assertThatAnswer(ANSWER).judgedBy(polite(CRITERION)).withScoreAtLeast(4)))
                .isInstanceOf(JudgeException.class)
                .hasMessageContaining("no evaluation steps are recorded for metric polite_tone and the criterion \"" + CRITERION + "\"")
                .hasMessageContaining(stepsFile(CRITERION).toString())
                .hasMessageContaining("Run once with llmjudge.cache.mode=auto");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void should_error_in_collect_mode_which_judges_nothing_naming_the_steps_file_to_generate(@TempDir Path batches) {
        assertThatThrownBy(() -> judged(Map.of(LlmJudgeConfig.CACHE_MODE, "collect", "llmjudge.batch.dir", batches.toString()),
                () -> assertThatAnswer(ANSWER).judgedBy(polite(CRITERION)).withScoreAtLeast(4)))
                .isInstanceOf(JudgeException.class)
                .hasMessageContaining("(llmjudge.cache.mode=collect): expected " + stepsFile(CRITERION))
                .hasMessageContaining("can be collected for a batch once the steps are written");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void should_judge_again_when_a_reviewer_edits_the_committed_steps_as_they_are_part_of_the_key() throws IOException {
        server.enqueue(Reply.verdict(1, STEPS), Reply.verdict(5, "Courteous throughout."));
        judged(Map.of(), () -> assertThatAnswer(ANSWER).judgedBy(polite(CRITERION)).withScoreAtLeast(4));
        Path file = stepsFile(CRITERION);
        Files.writeString(file, Files.readString(file).replace("Score by how courteous it reads.", "Score by how courteous and warm it reads."),
                StandardCharsets.UTF_8);
        server.enqueue(Reply.verdict(4, "Courteous, a little cool."));

        judged(Map.of(), () -> assertThatAnswer(ANSWER).judgedBy(polite(CRITERION)).withScoreAtLeast(4));

        assertThat(server.requests()).hasSize(3);
        assertThat(server.lastRequest().promptText()).contains("3. Score by how courteous and warm it reads.");
    }

    @Test
    void should_name_a_corrupt_steps_file_and_send_nothing() throws IOException {
        Files.createDirectories(stepsFile(CRITERION).getParent());
        Files.writeString(stepsFile(CRITERION), "{ not json");

        assertThatThrownBy(() -> judged(Map.of(), () -> assertThatAnswer(ANSWER).judgedBy(polite(CRITERION)).withScoreAtLeast(4)))
                .isInstanceOf(JudgeException.class)
                .hasMessageContaining("the evaluation steps file " + stepsFile(CRITERION) + " cannot be used")
                .hasMessageContaining("delete it to have the judge write the steps again");
        assertThat(server.requests()).isEmpty();
    }
}
