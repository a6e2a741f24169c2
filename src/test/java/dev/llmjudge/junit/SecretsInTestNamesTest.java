package dev.llmjudge.junit;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.junit.fixtures.OnlyThroughEngineTestKit;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/** A key in what names a test (a dataset row's question, a parameterized test's argument) reaches no file, name or message. */
class SecretsInTestNamesTest {
    static final String KEY = "sk-names-canary-9a8b7c6d5e4f3a2b";
    static final String DATASET = "target/secrets-in-names/leaky.jsonl";

    @TempDir
    Path cache;

    @TempDir
    Path reports;

    @ExtendWith(OnlyThroughEngineTestKit.class)
    public static class LeakyNames {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(KEY).build();

        @ParameterizedTest
        @JudgeDataset(DATASET)
        void rows(DatasetRow row) {
            assertThatAnswer(row.answer()).isSimilarTo(row.groundTruth()).withScoreAtLeast(4);
        }

        @ParameterizedTest
        @ValueSource(strings = "Is " + KEY + " my key? [score=5]")
        void argument(String answer) {
            assertThatAnswer(answer).isSimilarTo("Never tell.").withScoreAtLeast(4);
        }
    }

    @Test
    void should_mask_a_key_in_test_names_in_every_report_file_display_name_and_failure() throws IOException {
        Files.createDirectories(Path.of(DATASET).getParent());
        Files.writeString(Path.of(DATASET),
                "{\"question\": \"" + KEY + " is my key, is it valid?\", \"ground_truth\": \"Never tell.\", \"answer\": \"No. [score=2]\"}\n"
                        + "{\"question\": \"" + KEY + " again?\", \"ground_truth\": \"Never tell.\", \"answer\": \"No. [score=5]\"}\n",
                StandardCharsets.UTF_8);
        List<String> names = new CopyOnWriteArrayList<>();
        List<String> thrown = new CopyOnWriteArrayList<>();
        TestExecutionListener observer = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                names.add(test.getDisplayName());
                result.getThrowable().ifPresent(t -> thrown.add(String.valueOf(t)));
            }
        };
        LauncherRuns.Run run;
        try (OpenAiCompatibleServer server = FixtureRuns.markerJudge()) {
            Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
            params.put("llmjudge.report.dir", reports.toString());
            params.put("llmjudge.report.run-id", "names");
            run = LauncherRuns.run(Map.of(), params, List.of(observer), LeakyNames.class);
        }

        assertThat(run.summary().getTestsFailedCount()).isEqualTo(1);
        List<String> leaking = new ArrayList<>();
        try (Stream<Path> files = Stream.concat(Files.walk(reports), Files.walk(cache))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                if (Files.readString(f).contains(KEY)) {
                    leaking.add(f.toString());
                }
            }
        }
        assertThat(leaking).as("files holding the key").isEmpty();
        assertThat(run.console()).doesNotContain(KEY);
        assertThat(thrown).isNotEmpty().noneMatch(t -> t.contains(KEY));
        assertThat(names).as("the dataset rows' display names").contains("[1] [REDACTED] is my key, is it valid?", "[2] [REDACTED] again?");
        assertThat(JsonReport.read(reports.resolve("report.json")).rows()).extracting(ReportRow::testName)
                .contains("SecretsInTestNamesTest$LeakyNames > rows(DatasetRow) > [1] [REDACTED] is my key, is it valid?")
                .noneMatch(n -> n.contains(KEY));
    }
}
