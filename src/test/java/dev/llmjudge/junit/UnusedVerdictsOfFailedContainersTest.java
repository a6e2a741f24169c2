package dev.llmjudge.junit;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.VerdictFiles;
import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.junit.fixtures.OnlyThroughEngineTestKit;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

/** llmjudge.cache.unused=delete deletes nothing in a run where a container failed: its tests never ran, their verdicts are still used. */
class UnusedVerdictsOfFailedContainersTest {
    static OpenAiCompatibleServer server;
    static volatile boolean factoryFails;

    @TempDir
    Path cache;
    @TempDir
    Path reports;

    @BeforeAll
    static void startJudge() {
        server = FixtureRuns.markerJudge();
    }

    @AfterAll
    static void stopJudge() {
        server.close();
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    public static class WithFactory {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void plain() {
            assertThatAnswer("One. [score=5]").isSimilarTo("One").withScoreAtLeast(3);
        }

        @TestFactory
        Stream<DynamicTest> cases() {
            if (factoryFails) {
                throw new IllegalStateException("dataset could not be loaded");
            }
            return Stream.of(DynamicTest.dynamicTest("two", () -> assertThatAnswer("Two. [score=5]").isSimilarTo("Two").withScoreAtLeast(3)));
        }
    }

    static final String DATASET = "target/unused-verdicts-datasets/rows.jsonl";

    @ExtendWith(OnlyThroughEngineTestKit.class)
    public static class WithDataset {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void plain() {
            assertThatAnswer("One. [score=5]").isSimilarTo("One").withScoreAtLeast(3);
        }

        @ParameterizedTest
        @JudgeDataset(DATASET)
        void rows(DatasetRow row) {
            assertThatAnswer(row.answer()).isSimilarTo(row.groundTruth()).withScoreAtLeast(1);
        }
    }

    @Test
    void should_keep_the_verdicts_of_a_dataset_test_whose_file_cannot_be_read() throws IOException {
        Path file = Path.of(DATASET);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"question\": \"Q2?\", \"answer\": \"Two. [score=5]\", \"ground_truth\": \"Two\"}\n"
                + "{\"question\": \"Q3?\", \"answer\": \"Three. [score=4]\", \"ground_truth\": \"Three\"}\n");
        LauncherRuns.runOfSuite(Map.of(), params(null), List.of(WithDataset.class), WithDataset.class);
        assertThat(verdictFiles()).hasSize(3);

        // The dataset file is moved away (a rename, a bad checkout): the parameterized test fails as a container.
        Files.delete(file);
        LauncherRuns.Run run = LauncherRuns.runOfSuite(Map.of(), params("delete"), List.of(WithDataset.class), WithDataset.class);
        assertThat(run.summary().getContainersFailedCount()).isEqualTo(1);

        VerdictFiles files = JsonReport.read(reports.resolve("report.json")).verdictFiles();
        assertThat(files.deleted()).isFalse();
        assertThat(files.note()).contains("did not pass");
        assertThat(verdictFiles()).hasSize(3);
    }

    private Map<String, String> params(String unused) {
        Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
        params.put("llmjudge.report.dir", reports.toString());
        params.put("llmjudge.report.run-id", "build-" + System.nanoTime());
        if (unused != null) {
            params.put("llmjudge.cache.unused", unused);
        }
        return params;
    }

    private List<Path> verdictFiles() throws IOException {
        try (Stream<Path> files = Files.walk(cache)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void should_keep_the_verdicts_of_a_test_factory_that_failed_before_its_dynamic_tests() throws IOException {
        factoryFails = false;
        LauncherRuns.runOfSuite(Map.of(), params(null), List.of(WithFactory.class), WithFactory.class);
        assertThat(verdictFiles()).hasSize(2);

        factoryFails = true;
        LauncherRuns.Run run = LauncherRuns.runOfSuite(Map.of(), params("delete"), List.of(WithFactory.class), WithFactory.class);
        factoryFails = false;
        assertThat(run.summary().getContainersFailedCount()).isEqualTo(1);

        VerdictFiles files = JsonReport.read(reports.resolve("report.json")).verdictFiles();
        // The factory failed before it made its dynamic test: the run did not see every test pass, so nothing may be deleted.
        assertThat(files.deleted()).isFalse();
        assertThat(files.note()).contains("did not pass");
        assertThat(verdictFiles()).hasSize(2);
    }
}
