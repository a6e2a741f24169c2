package dev.llmjudge.junit;

import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Per test: a loopback judge that scores each answer by its {@code [score=N]} marker, a verdict cache and a report directory. */
abstract class MarkerJudgeTest {
    @TempDir
    Path cache;

    @TempDir
    Path reports;

    OpenAiCompatibleServer server;

    @BeforeEach
    void startJudge() {
        server = FixtureRuns.markerJudge();
    }

    @AfterEach
    void stopJudge() {
        server.close();
    }
}
