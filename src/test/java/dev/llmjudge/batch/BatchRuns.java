package dev.llmjudge.batch;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiBatchServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.TestRuntimes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opentest4j.TestAbortedException;

/** Collecting checks in a runtime, and running the batch command in this JVM against a loopback batch server. */
final class BatchRuns {
    /** What one run of the command printed, and its exit status. */
    record Command(int status, String out, String err) {
    }

    private final Path cacheDir;
    private final Path batchDir;

    BatchRuns(Path cacheDir, Path batchDir) {
        this.cacheDir = cacheDir;
        this.batchDir = batchDir;
    }

    /** A runtime on {@code server} in {@code mode}, collecting into the batch directory. */
    LlmJudgeRuntime runtime(OpenAiCompatibleServer server, String mode) {
        return runtime(server, mode, Map.of());
    }

    /** A runtime on {@code server} in {@code mode}, collecting into the batch directory, with {@code extra} keys set. */
    LlmJudgeRuntime runtime(OpenAiCompatibleServer server, String mode, Map<String, String> extra) {
        Map<String, String> keys = new HashMap<>(extra);
        keys.put(LlmJudgeConfig.CACHE_MODE, mode);
        keys.put(LlmJudgeConfig.BATCH_DIR, batchDir.toString());
        keys.put(LlmJudgeConfig.PROGRESS_INTERVAL, "0s");
        LlmJudgeConfig config = TestRuntimes.config(server, cacheDir, keys);
        return LlmJudgeRuntime.builder().config(config).apiKey(TestRuntimes.API_KEY).build();
    }

    /** Collects one similarity check per answer; each must abort its test with the collect reason. */
    void collect(OpenAiCompatibleServer server, List<String> answers) {
        collect(server, answers, Map.of());
    }

    /** Collects one similarity check per answer in a runtime with {@code extra} keys set; each must abort its test. */
    void collect(OpenAiCompatibleServer server, List<String> answers, Map<String, String> extra) {
        try (LlmJudgeRuntime runtime = runtime(server, "collect", extra); LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            for (String answer : answers) {
                assertThatThrownBy(() -> assertThatAnswer(answer).isSimilarTo("The capital of France is Paris.").withScoreAtLeast(4))
                        .isInstanceOf(TestAbortedException.class).hasMessageContaining("collected for batch judging");
            }
        }
    }

    /** Runs {@code command} of the batch command against {@code server}, polling every millisecond, with {@code extra} keys. */
    Command command(OpenAiBatchServer server, String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(arguments(server, "1ms"));
        args.addAll(List.of(extra));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BatchJudging.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), TestRuntimes.API_KEY);
        return new Command(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The configuration arguments that point the command at the server and the test's directories. */
    List<String> arguments(OpenAiBatchServer server, String pollInterval) {
        Map<String, String> keys = new HashMap<>();
        keys.put(LlmJudgeConfig.JUDGE_BASE_URL, server.baseUrl());
        keys.put(LlmJudgeConfig.JUDGE_MODEL, TestRuntimes.MODEL);
        keys.put(LlmJudgeConfig.CACHE_DIR, cacheDir.toString());
        keys.put(LlmJudgeConfig.BATCH_DIR, batchDir.toString());
        keys.put(LlmJudgeConfig.BATCH_POLL_INTERVAL, pollInterval);
        keys.put(LlmJudgeConfig.JUDGE_INITIAL_BACKOFF, "1ms");
        return keys.entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList();
    }
}
