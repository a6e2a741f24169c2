package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What refresh mode judged again, shared by the JVMs of one run through marker files under the run's id. */
class RefreshedFilesTest {
    @TempDir
    Path runs;

    @TempDir
    Path cache;

    @Test
    void should_tell_a_jvm_of_the_run_what_another_refreshed_and_no_jvm_of_another_run() {
        Path verdict = cache.resolve("answer_similarity").resolve("abc.json");
        RefreshedFiles firstFork = RefreshedFiles.ofRun(runs, "build-7");
        RefreshedFiles secondFork = RefreshedFiles.ofRun(runs, "build-7");
        RefreshedFiles nextBuild = RefreshedFiles.ofRun(runs, "build-8");

        firstFork.add(verdict);

        assertThat(secondFork.contains(verdict)).isTrue();
        assertThat(secondFork.contains(cache.resolve("answer_similarity").resolve("other.json"))).isFalse();
        assertThat(nextBuild.contains(verdict)).isFalse();
        assertThat(new RefreshedFiles().contains(verdict)).as("a set of one JVM alone").isFalse();
    }

    @Test
    void should_remove_the_markers_of_earlier_runs_once_this_run_refreshes_a_file() {
        Path verdict = cache.resolve("answer_similarity").resolve("abc.json");
        RefreshedFiles.ofRun(runs, "build-7").add(verdict);
        RefreshedFiles next = RefreshedFiles.ofRun(runs, "build-8");
        assertThat(runs.resolve("build-7")).isDirectory();

        next.add(cache.resolve("answer_similarity").resolve("def.json"));

        assertThat(runs.resolve("build-7")).doesNotExist();
        assertThat(runs.resolve("build-8")).isDirectory();
        assertThat(RefreshedFiles.ofRun(runs, "build-7").contains(verdict)).isFalse();
    }

    @Test
    void should_still_count_a_file_in_this_jvm_when_the_markers_cannot_be_written() throws Exception {
        Path blocker = runs.resolve("not-a-directory");
        Files.writeString(blocker, "a file where the run directories should be");
        RefreshedFiles refreshed = RefreshedFiles.ofRun(blocker, "build-7");
        Path verdict = cache.resolve("answer_similarity").resolve("abc.json");

        refreshed.add(verdict);

        assertThat(refreshed.contains(verdict)).isTrue();
    }
}
