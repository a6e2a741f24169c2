package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.config.ConfigurationException;
import dev.llmjudge.config.Shard;
import dev.llmjudge.internal.report.CaseIds;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.junit.fixtures.ShardFixtures;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.launcher.LauncherDiscoveryListener;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * The suite of {@link ShardFixtures} run whole and as three shards ({@code llmjudge.shard=K/3})
 * through the Launcher, with the filter and its discovery listener found through
 * {@code META-INF/services}, against the loopback judge; then the shards' reports merged.
 */
class ShardedRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHARDS = 3;

    @TempDir
    static Path work;

    static OpenAiCompatibleServer server;
    /** The tests each run finished: the unsharded run at 0, shard K at K. */
    static final List<List<String>> finished = new ArrayList<>();

    /** Records the unique ids of the tests a run finished. */
    private static final class FinishedTests implements TestExecutionListener {
        final Queue<String> ids = new ConcurrentLinkedQueue<>();

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (test.isTest()) {
                ids.add(test.getUniqueId());
            }
        }
    }

    @BeforeAll
    static void runTheSuiteWholeAndInShards() {
        server = FixtureRuns.markerJudge();
        finished.add(run(params("whole", null)));
        for (int k = 1; k <= SHARDS; k++) {
            finished.add(run(params("shard-" + k, k + "/" + SHARDS)));
        }
    }

    @AfterAll
    static void stopJudge() {
        server.close();
    }

    /** Each run records into its own verdict cache, so that every run judges every check. */
    private static Map<String, String> params(String name, String shard) {
        Map<String, String> params = new HashMap<>(FixtureRuns.params(server, work.resolve(name + "-cache")));
        params.put("llmjudge.report.dir", work.resolve(name).toString());
        params.put("llmjudge.report.run-id", "ci-7");
        if (shard != null) {
            params.put("llmjudge.shard", shard);
        }
        return params;
    }

    private static List<String> run(Map<String, String> params) {
        FinishedTests tests = new FinishedTests();
        LauncherRuns.run(Map.of(), params, List.of(tests), ShardFixtures.SUITE.toArray(Class<?>[]::new));
        return List.copyOf(tests.ids);
    }

    /** The top-level class of a test's unique id, as the report groups it. */
    private static String topLevelClass(String testId) {
        return UniqueId.parse(testId).getSegments().stream().filter(s -> s.getType().equals("class")).findFirst().orElseThrow().getValue();
    }

    private static Set<String> classesOf(List<String> tests) {
        return tests.stream().map(ShardedRunTest::topLevelClass).collect(Collectors.toSet());
    }

    private static Path report(String name) {
        return work.resolve(name).resolve("report.json");
    }

    private static List<String> shardReports() {
        return Stream.iterate(1, k -> k + 1).limit(SHARDS).map(k -> report("shard-" + k).toString()).toList();
    }

    private record Merge(int status, String out, String err) {
    }

    private static Merge merge(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MergeReports.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Merge(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> mergeArgs(String out, String... settings) {
        List<String> args = new ArrayList<>(List.of("--shards", String.valueOf(SHARDS), "--out", work.resolve(out).toString()));
        args.addAll(List.of(settings));
        args.addAll(shardReports());
        return args;
    }

    @Test
    void should_run_every_class_of_the_suite_in_exactly_one_of_three_shards() {
        Set<String> suite = ShardFixtures.SUITE.stream().map(Class::getName).collect(Collectors.toSet());
        assertThat(classesOf(finished.get(0))).as("without llmjudge.shard every class runs").isEqualTo(suite);

        Set<String> seen = new HashSet<>();
        for (int k = 1; k <= SHARDS; k++) {
            Set<String> classes = classesOf(finished.get(k));
            assertThat(classes).as("shard %d/3 runs some classes", k).isNotEmpty();
            for (String c : classes) {
                assertThat(seen.add(c)).as("%s runs in one shard only", c).isTrue();
                assertThat(Shard.of(c, SHARDS)).as("the shard of %s", c).isEqualTo(k);
            }
        }
        assertThat(seen).isEqualTo(suite);
        List<String> shardedTests = finished.subList(1, SHARDS + 1).stream().flatMap(List::stream).toList();
        assertThat(shardedTests).as("every test of the suite runs exactly once over the shards")
                .containsExactlyInAnyOrderElementsOf(finished.get(0));
    }

    @Test
    void should_run_a_nested_class_in_the_shard_of_its_top_level_class() {
        String claims = ShardFixtures.Warranty.Claims.class.getName();
        String damaged = ShardFixtures.Returns.Damaged.class.getName();
        assertThat(Shard.of(claims, SHARDS)).as("the nested class's own name").isEqualTo(1);
        assertThat(Shard.of(damaged, SHARDS)).as("the nested class's own name").isEqualTo(2);

        assertThat(finished.get(3)).filteredOn(id -> id.contains("[nested-class:Claims]")).hasSize(2);
        assertThat(finished.get(1)).filteredOn(id -> id.contains("[nested-class:Damaged]")).hasSize(1);
        assertThat(finished.get(1)).filteredOn(id -> id.contains("[nested-class:Claims]")).isEmpty();
        assertThat(finished.get(2)).filteredOn(id -> id.contains("[nested-class:Damaged]")).isEmpty();
    }

    @Test
    void should_be_registered_as_the_launcher_finds_filters_and_discovery_listeners() {
        assertThat(ServiceLoader.load(PostDiscoveryFilter.class).stream().map(ServiceLoader.Provider::type)).contains(ShardFilter.class);
        assertThat(ServiceLoader.load(LauncherDiscoveryListener.class).stream().map(ServiceLoader.Provider::type)).contains(ShardFilter.class);
    }

    @Test
    void should_fail_the_discovery_naming_a_malformed_shard() {
        Map<String, String> params = params("malformed", "4/3");

        assertThatThrownBy(() -> LauncherRuns.run(Map.of(), params, ShardFixtures.Refunds.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("invalid value '4/3' for llmjudge.shard: expected K/N with K from 1 to 3: there is no shard 4 of 3"
                        + " (set by -Dllmjudge.shard, junit-platform.properties or LLMJUDGE_SHARD)");
        assertThat(work.resolve("malformed")).doesNotExist();
    }

    @Test
    void should_write_the_report_of_a_shard_that_judged_nothing() throws IOException {
        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params("empty-shard", "1/3"), ShardFixtures.Warranty.class);

        assertThat(run.summary().getTestsFoundCount()).isZero();
        assertThat(run.console()).startsWith("llm-judge: 0 verdicts (0 cached, 0 judged), 0 below threshold, 0 errors");
        JsonNode json = JSON.readTree(report("empty-shard").toFile());
        assertThat(json.path("shard").asText()).isEqualTo("1/3");
        assertThat(json.path("rows").size()).isZero();
    }

    @Test
    void should_record_its_shard_and_judge_settings_in_each_shard_report() throws IOException {
        JsonNode shard = JSON.readTree(report("shard-2").toFile());
        JsonNode whole = JSON.readTree(report("whole").toFile());

        assertThat(shard.path("shard").asText()).isEqualTo("2/3");
        assertThat(shard.path("runId").asText()).isEqualTo("run-ci-7-shard-2-of-3");
        assertThat(whole.path("shard").isNull()).isTrue();
        assertThat(whole.path("runId").asText()).isEqualTo("run-ci-7");
        assertThat(shard.path("keyFormat").asInt()).isEqualTo(4);
        assertThat(shard.path("judge")).isEqualTo(JSON.readTree(
                "{\"model\": \"gpt-4.1\", \"baseUrlHost\": \"127.0.0.1\", \"temperature\": 0.0, \"seed\": 42, \"maxTokens\": 1024,"
                        + " \"samples\": 1, \"scoreBy\": \"reply\", \"onUnstable\": \"decide\"}"));
        assertThat(shard.path("judge")).isEqualTo(whole.path("judge"));
        assertThat(shard.path("rows")).extracting(row -> topLevelClass(row.path("testId").asText())).containsOnly(
                ShardFixtures.Refunds.class.getName(), ShardFixtures.Shipping.class.getName(), ShardFixtures.Delivery.class.getName());
    }

    @Test
    void should_merge_the_shard_reports_into_the_aggregates_of_the_unsharded_run() throws IOException {
        Merge merge = merge(mergeArgs("merged"));

        assertThat(merge.status()).as(merge.err()).isEqualTo(MergeReports.MERGED);
        JsonNode merged = JSON.readTree(work.resolve("merged/report.json").toFile());
        JsonNode whole = JSON.readTree(report("whole").toFile());
        assertThat(merged.path("rows").size()).isEqualTo(whole.path("rows").size()).isEqualTo(15);
        for (String aggregate : List.of("totals", "metrics", "classes")) {
            assertThat(merged.path(aggregate)).as(aggregate).isEqualTo(whole.path(aggregate));
        }
        assertThat(merged.path("rows")).extracting(row -> row.path("caseId").asText())
                .containsExactlyInAnyOrderElementsOf(JsonReport.read(report("whole")).rows().stream().map(CaseIds::of).toList());
        assertThat(merged.path("runId").asText()).isEqualTo("run-ci-7");
        assertThat(merged.path("shard").isNull()).isTrue();
        assertThat(merged.path("judge")).isEqualTo(whole.path("judge"));
        assertThat(merged.path("mergedFrom")).extracting(m -> m.path("shard").asText()).containsExactly("1/3", "2/3", "3/3");
        assertThat(merged.path("mergedFrom")).extracting(m -> m.path("file").asText()).containsExactlyElementsOf(shardReports());
        assertThat(work.resolve("merged/report.html")).exists();
        assertThat(Files.readString(work.resolve("merged/summary.md"))).startsWith("## LLM judge: 14 verdicts, 3 below threshold, 1 error\n")
                .contains("\nMerged from 3 reports: shard 1/3 " + shardReports().get(0) + ", shard 2/3 " + shardReports().get(1)
                        + ", shard 3/3 " + shardReports().get(2) + ".\n").doesNotContain("Quality gates failed");
        assertThat(merge.out()).isEqualTo("llm-judge: merged 3 reports (shards 1/3, 2/3, 3/3) into " + work.resolve("merged") + "\n"
                + "llm-judge: 14 verdicts (0 cached, 14 judged), 3 below threshold, 1 error, 2,100 tokens, ~$0.01 — "
                + work.resolve("merged/report.html") + "\n");
    }

    @Test
    void should_exit_non_zero_when_a_configured_gate_fails_on_the_merged_rows() throws IOException {
        Merge failing = merge(mergeArgs("gated", "-Dllmjudge.gate.answer_similarity.min-mean=3"));
        Merge passing = merge(mergeArgs("gated-passing", "-Dllmjudge.gate.answer_similarity.min-pass-rate=50%"));

        assertThat(failing.status()).isEqualTo(MergeReports.GATE_FAILED);
        assertThat(failing.err()).isEqualTo("quality gate failed for ShardFixtures.Delivery: mean answer_similarity 2.00 is below 3"
                + " (2 scored, 0 errors)\nllm-judge: 1 quality gate failed on the merged report\n");
        assertThat(work.resolve("gated/report.json")).exists();
        assertThat(Files.readString(work.resolve("gated/summary.md"))).endsWith("### Quality gates failed\n\n- quality gate failed for"
                + " ShardFixtures.Delivery: mean answer\\_similarity 2.00 is below 3 (2 scored, 0 errors)\n");
        assertThat(passing.status()).as(passing.err()).isEqualTo(MergeReports.MERGED);
    }
}
