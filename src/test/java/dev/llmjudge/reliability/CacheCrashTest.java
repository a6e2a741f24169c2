package dev.llmjudge.reliability;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.internal.cache.VerdictStore;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A writer killed with SIGKILL in the middle of writing verdicts: nothing partial is read, the next run carries on. */
class CacheCrashTest {
    private static final int CASES = 3;
    /** Large verdicts, so that a kill lands inside a write often. */
    private static final int SIZE = 3_000_000;
    private static final Metric METRIC = Metrics.answerSimilarity();

    @TempDir
    Path tempDir;

    @Test
    @Timeout(180)
    void writer_killed_mid_write_leaves_no_partial_verdict_and_the_next_run_recovers() throws Exception {
        Path dir = tempDir.resolve("verdicts");
        Path metricDir = dir.resolve(METRIC.name());
        VerdictStore store = new VerdictStore(dir);
        List<String> cases = VerdictWriterMain.cases("crash", CASES);

        int kills = 0;
        boolean killedMidWrite = false;
        while (!killedMidWrite && kills < 10) {
            Process writer = VerdictWriterMain.start(tempDir.resolve("writer.err"), dir.toString(), "killed-" + kills, "loop", "" + CASES,
                    "" + SIZE);
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
                for (int i = 0; i <= kills; i++) {
                    assertThat(out.readLine()).as("the writer runs; its errors: %s", errors()).isEqualTo("WROTE");
                }
                // Kill the moment a write is under way (its temporary file exists), or after a random pause.
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2) + ThreadLocalRandom.current().nextInt(1_000_000);
                while (temporaryFiles(metricDir).isEmpty() && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            } finally {
                writer.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs in the writer
                assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            kills++;
            killedMidWrite = !temporaryFiles(metricDir).isEmpty();

            // Whenever the kill landed, every verdict file holds a whole verdict.
            for (String c : cases) {
                Optional<Verdict> v = store.read(METRIC, VerdictWriterMain.key(c));
                v.ifPresent(verdict -> assertThat(verdict.justification()).hasSize(SIZE).endsWith("end"));
            }
        }
        assertThat(killedMidWrite).as("a kill landed inside a write (a temporary file was left) in %d tries", kills).isTrue();

        // The next run: each check reads the recorded verdict, or judges again where none was recorded.
        long recorded = cases.stream().filter(c -> Files.exists(metricDir.resolve(VerdictWriterMain.key(c) + ".json"))).count();
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start(); JudgeHarness harness = new JudgeHarness(tempDir)) {
            LlmJudgeRuntime runtime = harness.runtime(server.baseUrl());
            try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
                for (String c : cases) {
                    EvaluationCase evaluationCase = VerdictWriterMain.request(c).evaluationCase();
                    assertThatAnswer(evaluationCase.answer()).isSimilarTo(evaluationCase.groundTruth()).withScoreAtLeast(1);
                }
            }
            assertThat(server.requestCount()).as("only the cases without a whole verdict are judged").isEqualTo(CASES - recorded);
        }
        for (String c : cases) {
            assertThat(store.read(METRIC, VerdictWriterMain.key(c))).isPresent();
        }
    }

    @Test
    void stale_temporary_files_are_removed_by_the_next_write_and_fresh_ones_kept() throws IOException {
        Path dir = tempDir.resolve("verdicts");
        Path metricDir = Files.createDirectories(dir.resolve(METRIC.name()));
        String key = VerdictWriterMain.key("crash-0");
        Path stale = Files.writeString(metricDir.resolve("." + key + ".1b2c.tmp"), "{\"schema\": \"llm-judge-verdict/1\", \"ke");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        Path fresh = Files.writeString(metricDir.resolve("." + key + ".3d4e.tmp"), "{\"schema\": \"llm");

        assertThat(new VerdictStore(dir).read(METRIC, key)).as("temporary files are never read as verdicts").isEmpty();
        VerdictWriterMain.write(new VerdictStore(dir), "crash-1", "next-run", 0, 100);

        assertThat(stale).as("left by a writer that died an hour ago").doesNotExist();
        assertThat(fresh).as("may belong to a write in progress in another JVM").exists();
        assertThat(new VerdictStore(dir).read(METRIC, key)).isEmpty();
    }

    private static List<Path> temporaryFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        }
    }

    private String errors() {
        try {
            return Files.readString(tempDir.resolve("writer.err"));
        } catch (IOException e) {
            return "(none)";
        }
    }
}
