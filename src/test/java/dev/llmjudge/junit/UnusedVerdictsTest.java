package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.internal.cache.StepsFiles;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.VerdictFiles;
import dev.llmjudge.junit.fixtures.Fixtures;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verdict files under the cache directory that no check of the run read: listed by default
 * ({@code llmjudge.cache.unused=report}); with {@code delete}, deleted only by a run that ran every
 * test of the suite and saw each pass.
 */
class UnusedVerdictsTest {
    static OpenAiCompatibleServer server;

    @TempDir
    Path cache;

    @TempDir
    Path reports;

    private Path stale;
    private Path hidden;

    @BeforeAll
    static void startJudge() {
        server = FixtureRuns.markerJudge();
    }

    @AfterAll
    static void stopJudge() {
        server.close();
    }

    @BeforeEach
    void recordTheSuiteThenLeaveAStaleVerdict() throws IOException {
        // A first run records the suite's verdicts; a verdict of a case that no longer exists stays behind.
        LauncherRuns.run(Map.of(), params(null), Fixtures.GatePasses.class, Fixtures.ConfiguredGate.class);
        stale = Files.writeString(cache.resolve("answer_similarity").resolve("0123abcd.json"), "{\"note\": \"a verdict nothing reads\"}\n");
        hidden = Files.writeString(cache.resolve("answer_similarity").resolve(".0123abcd.claim"), "");
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
    void should_list_the_verdicts_no_check_read_and_keep_them_by_default() throws IOException {
        List<Path> before = verdictFiles();

        LauncherRuns.runOfSuite(Map.of(), params(null), List.of(Fixtures.GatePasses.class, Fixtures.ConfiguredGate.class),
                Fixtures.GatePasses.class, Fixtures.ConfiguredGate.class);

        VerdictFiles files = JsonReport.read(reports.resolve("report.json")).verdictFiles();
        assertThat(files.unused()).containsExactly(stale.toString());
        assertThat(files.read()).hasSize(5).doesNotContain(stale.toString(), hidden.toString());
        assertThat(files.directories()).containsExactly(cache.toString());
        assertThat(files.policy()).isEqualTo("report");
        assertThat(files.deleted()).isFalse();
        assertThat(verdictFiles()).isEqualTo(before).contains(stale);
        assertThat(Files.readString(reports.resolve("summary.md"))).contains("### Verdicts no longer used: 1\n\n- `" + stale + "`\n");
        assertThat(Files.readString(reports.resolve("report.html"))).contains("<h2>Verdicts no longer used</h2>",
                "1 recorded verdict file under " + cache + " was read by no check of this run (listed only: llmjudge.cache.unused=report;",
                "<li><code>" + stale + "</code></li>");
    }

    @Test
    void should_delete_them_after_a_run_of_the_whole_suite_in_which_every_test_passed() throws IOException {
        LauncherRuns.runOfSuite(Map.of(), params("delete"), List.of(Fixtures.GatePasses.class, Fixtures.ConfiguredGate.class),
                Fixtures.GatePasses.class, Fixtures.ConfiguredGate.class);

        VerdictFiles files = JsonReport.read(reports.resolve("report.json")).verdictFiles();
        assertThat(files.unused()).containsExactly(stale.toString());
        assertThat(files.deleted()).isTrue();
        assertThat(files.note()).isNull();
        assertThat(stale).doesNotExist();
        assertThat(hidden).exists();
        assertThat(verdictFiles()).hasSize(5);
        assertThat(Files.readString(reports.resolve("summary.md"))).contains("### Verdicts no longer used: 1, deleted\n");
        // The verdicts the suite read replay in the next run: nothing it needs was deleted.
        int requests = server.requestCount();
        LauncherRuns.Run again = LauncherRuns.run(Map.of(), params(null), Fixtures.GatePasses.class, Fixtures.ConfiguredGate.class);
        assertThat(again.console()).startsWith("llm-judge: 5 verdicts (5 cached, 0 judged)");
        assertThat(server.requestCount()).isEqualTo(requests);
    }

    @Test
    void should_keep_them_when_another_test_jvms_report_part_cannot_be_read() throws IOException {
        Map<String, String> params = params("delete");
        params.put("llmjudge.report.run-id", "build-with-a-broken-fork");
        // Another fork of the same run wrote a part that cannot be read: the verdicts its tests read are not known.
        Path broken = reports.resolve("parts").resolve("run-build-with-a-broken-fork").resolve("fork-2.json");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "{\"schema\": \"llm-judge-report\", \"rows\": [");

        LauncherRuns.runOfSuite(Map.of(), params, List.of(Fixtures.GatePasses.class, Fixtures.ConfiguredGate.class),
                Fixtures.GatePasses.class, Fixtures.ConfiguredGate.class);

        VerdictFiles files = JsonReport.read(reports.resolve("report.json")).verdictFiles();
        assertThat(files.deleted()).isFalse();
        assertThat(files.note()).contains("the report part " + broken + " could not be read");
        assertThat(stale).exists();
    }

    @Test
    void should_never_take_committed_evaluation_steps_for_unused_verdicts() throws IOException {
        Path steps = Files.createDirectories(cache.resolve(StepsFiles.DIRECTORY)).resolve("polite_tone-0123456789abcdef.json");
        Files.writeString(steps, "{\"schema\": \"" + StepsFiles.SCHEMA + "\"}\n");

        LauncherRuns.runOfSuite(Map.of(), params("delete"), List.of(Fixtures.GatePasses.class, Fixtures.ConfiguredGate.class),
                Fixtures.GatePasses.class, Fixtures.ConfiguredGate.class);

        VerdictFiles files = JsonReport.read(reports.resolve("report.json")).verdictFiles();
        assertThat(files.unused()).containsExactly(stale.toString());
        assertThat(files.deleted()).isTrue();
        assertThat(steps).exists();
    }

    @Test
    void should_keep_them_when_the_run_left_out_tests_of_the_suite_saying_which() throws IOException {
        LauncherRuns.runOfSuite(Map.of(), params("delete"), List.of(Fixtures.GatePasses.class, Fixtures.ConfiguredGate.class),
                Fixtures.GatePasses.class);

        VerdictFiles files = JsonReport.read(reports.resolve("report.json")).verdictFiles();
        assertThat(stale).exists();
        assertThat(files.deleted()).isFalse();
        // ConfiguredGate did not run, so its verdicts look unused too: exactly why a partial run must not delete.
        assertThat(files.unused()).hasSize(3).contains(stale.toString());
        String configured = "[engine:junit-jupiter]/[class:" + Fixtures.ConfiguredGate.class.getName() + "]";
        assertThat(files.note()).isEqualTo("not deleted (llmjudge.cache.unused=delete): 2 of 5 tests of the test class path did not run ("
                + configured + "/[method:first()], " + configured + "/[method:second()]): a test filter, a tag filter or a shard runs part of"
                + " the suite, and its verdicts would look unused. Only a run of the whole suite in which every test passes deletes unused"
                + " verdicts; until then they are listed here.");
        assertThat(verdictFiles()).hasSize(6);
        assertThat(Files.readString(reports.resolve("report.html"))).contains("were read by no check of this run: not deleted"
                + " (llmjudge.cache.unused=delete): 2 of 5 tests");
    }

    @Test
    void should_keep_them_when_a_test_of_the_suite_did_not_pass() throws IOException {
        LauncherRuns.runOfSuite(Map.of(), params("delete"), List.of(Fixtures.GatePasses.class, Fixtures.ReportEntries.class),
                Fixtures.GatePasses.class, Fixtures.ReportEntries.class);

        VerdictFiles files = JsonReport.read(reports.resolve("report.json")).verdictFiles();
        assertThat(stale).exists();
        assertThat(files.deleted()).isFalse();
        assertThat(files.note()).startsWith("not deleted (llmjudge.cache.unused=delete): 1 test did not pass ([engine:junit-jupiter]/[class:"
                + Fixtures.ReportEntries.class.getName() + "]/[method:notSimilar()]): a test that fails, aborts or is skipped may not have reached"
                + " all its checks.");
    }

    @Test
    void should_refuse_a_value_that_is_neither_report_nor_delete() {
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params("remove"), Fixtures.GatePasses.class);

        assertThat(run.summary().getFailures()).first().satisfies(f -> assertThat(f.getException())
                .hasMessageContaining("invalid value 'remove' for llmjudge.cache.unused: expected one of report, delete"));
    }
}
