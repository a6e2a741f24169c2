package dev.llmjudge.reliability;

import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A loopback OpenAI-compatible server and a {@link JudgeHarness} (cache under the test's temporary directory) per test. */
abstract class LoopbackJudgeTest {
    @TempDir
    Path tempDir;

    OpenAiCompatibleServer server;
    JudgeHarness harness;

    @BeforeEach
    void startServer() {
        server = OpenAiCompatibleServer.start();
        harness = new JudgeHarness(tempDir);
    }

    @AfterEach
    void stopServer() {
        harness.close();
        server.close();
    }
}
