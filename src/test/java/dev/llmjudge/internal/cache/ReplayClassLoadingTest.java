package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replaying recorded verdicts loads neither Jackson's data binding nor the OpenAI SDK's client
 * (with OkHttp and Kotlin): each takes a good part of a second to load in a cold JVM, more than
 * a suite of replayed checks takes. Checked in a fresh JVM ({@link ReplayCostMain}) that lists
 * the classes it loads. (The SDK's exception types are loaded, as the judge's catch clauses
 * name them; they load nothing else.)
 */
class ReplayClassLoadingTest {
    @TempDir
    Path dir;

    @Test
    void should_replay_verdicts_without_loading_jackson_data_binding_or_the_openai_sdk() throws Exception {
        ReplayCostMain.record(dir, 3);

        String output = classesLoadedBy(ReplayCostMain.class, dir.toString(), "3", "1");

        assertThat(output).contains("REPLAY_COST");
        assertNeitherDataBindingNorTheSdk(output);
    }

    @Test
    void should_replay_verdicts_scored_by_probabilities_without_loading_jackson_data_binding_or_the_openai_sdk() throws Exception {
        ProbabilityReplayMain.record(dir);

        String output = classesLoadedBy(ProbabilityReplayMain.class, dir.toString());

        assertThat(output).contains("REPLAYED_WEIGHTED 4.2 4.2").contains("dev.llmjudge.judge.ScoreDistribution ");
        assertNeitherDataBindingNorTheSdk(output);
    }

    /** What {@code main} prints, run in a fresh JVM that lists the classes it loads. */
    private static String classesLoadedBy(Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-verbose:class",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }

    private static void assertNeitherDataBindingNorTheSdk(String output) {
        List<String> loaded = output.lines().filter(line -> line.startsWith("[") && line.contains(" source: ")).toList();
        assertThat(loaded).anyMatch(line -> line.contains(VerdictFileReader.class.getName() + " "))
                .anyMatch(line -> line.contains("com.fasterxml.jackson.core.JsonFactory "))
                .noneMatch(line -> line.contains("com.fasterxml.jackson.databind."))
                .noneMatch(line -> line.contains("] com.openai.client.") || line.contains("] com.openai.core."))
                .noneMatch(line -> line.contains("] okhttp3.") || line.contains("] kotlin."));
    }
}
