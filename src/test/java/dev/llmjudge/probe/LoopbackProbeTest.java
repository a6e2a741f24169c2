package dev.llmjudge.probe;

import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.TestRuntimes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A loopback OpenAI-compatible judge per test, and runtimes pointed at it with a cache under the test's temporary directory. */
abstract class LoopbackProbeTest {
    @TempDir
    Path tempDir;

    OpenAiCompatibleServer server;
    private final List<LlmJudgeRuntime> runtimes = new ArrayList<>();

    @BeforeEach
    void startServer() {
        server = OpenAiCompatibleServer.start();
    }

    @AfterEach
    void stopServer() {
        runtimes.forEach(LlmJudgeRuntime::close);
        server.close();
    }

    Path cacheDir() {
        return tempDir.resolve("verdicts");
    }

    LlmJudgeRuntime runtime() {
        return runtime(Map.of());
    }

    LlmJudgeRuntime runtime(Map<String, String> settings) {
        LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir(), settings);
        runtimes.add(runtime);
        return runtime;
    }

    /** The verdict files recorded so far. */
    List<Path> verdictFiles() {
        if (!Files.exists(cacheDir())) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(cacheDir())) {
            return files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith(".")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
