package dev.llmjudge.junit;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.junit.fixtures.OnlyThroughEngineTestKit;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A shard's failed gate fails the merge, also beside another gate of the same class, metric and figure. */
class ShardGatesInMergeTest {
    static final Map<String, String> ANSWERS = new ConcurrentHashMap<>();
    static OpenAiCompatibleServer server;

    @TempDir
    Path cache;

    @TempDir
    Path work;

    @BeforeAll
    static void startJudge() {
        server = FixtureRuns.markerJudge();
    }

    @AfterAll
    static void stopJudge() {
        server.close();
    }

    private record Merged(int status, RunReport report, String err) {
    }

    /** Runs {@code fixture} as the one shard of a run, then merges its report with {@code mergeArgs}. */
    private Merged shardThenMerge(Class<?> fixture, Map<String, String> shardParams, List<String> mergeArgs) throws IOException {
        Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
        params.put("llmjudge.report.dir", work.resolve("shard-1").toString());
        params.put("llmjudge.report.run-id", "ci-9");
        params.put("llmjudge.shard", "1/1");
        params.putAll(shardParams);
        LauncherRuns.Run shard = LauncherRuns.run(Map.of(), params, fixture);
        assertThat(shard.summary().getContainersFailedCount()).as("the shard's class fails its gate").isEqualTo(1);

        List<String> args = new ArrayList<>(List.of("--shards", "1", "--out", work.resolve("merged").toString()));
        args.addAll(mergeArgs);
        args.add(work.resolve("shard-1/report.json").toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MergeReports.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Merged(status, JsonReport.read(work.resolve("merged/report.json")), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void should_fail_the_merge_when_one_of_two_gated_methods_of_a_class_failed_its_gate() throws IOException {
        Merged merged = shardThenMerge(TwoGatedMethods.class, Map.of(), List.of());

        assertThat(merged.status()).isEqualTo(MergeReports.GATE_FAILED);
        assertThat(merged.report().gates()).extracting(GateResult::scope, GateResult::passed).containsExactlyInAnyOrder(
                tuple("ShardGatesInMergeTest.TwoGatedMethods.good", true), tuple("ShardGatesInMergeTest.TwoGatedMethods.bad", false));
        assertThat(merged.err()).contains("quality gate failed for ShardGatesInMergeTest.TwoGatedMethods.bad: mean answer_similarity 2.00"
                + " is below 4");
    }

    @Test
    void should_keep_both_a_class_annotation_gate_and_an_extension_gate_on_the_same_metric_with_other_bounds() throws IOException {
        Merged merged = shardThenMerge(AnnotationAndExtensionGate.class, Map.of(), List.of());

        assertThat(merged.status()).isEqualTo(MergeReports.GATE_FAILED);
        assertThat(merged.report().gates()).extracting(GateResult::bound, GateResult::passed)
                .containsExactlyInAnyOrder(tuple(1.5, true), tuple(4.5, false));
    }

    @Test
    void should_fail_the_merge_when_the_outer_class_failed_its_gate_and_its_nested_class_passed_its_own() throws IOException {
        Merged merged = shardThenMerge(OuterFailsNestedPasses.class, Map.of(), List.of());

        assertThat(merged.status()).isEqualTo(MergeReports.GATE_FAILED);
        assertThat(merged.report().gates()).extracting(GateResult::scope, GateResult::passed).containsExactlyInAnyOrder(
                tuple("ShardGatesInMergeTest.OuterFailsNestedPasses", false), tuple("ShardGatesInMergeTest.OuterFailsNestedPasses.Inner", true));
    }

    @Test
    void should_keep_a_classs_own_stricter_drop_bound_that_failed_beside_the_merges_looser_one() throws IOException {
        ANSWERS.put("refund", "Refunds within 30 days. [score=5]");
        Map<String, String> main = new HashMap<>(FixtureRuns.params(server, cache));
        main.put("llmjudge.report.dir", work.resolve("main").toString());
        main.put("llmjudge.report.run-id", "main");
        LauncherRuns.run(Map.of(), main, StrictDrop.class);
        ANSWERS.put("refund", "Refunds sometimes. [score=3]");
        String baseline = work.resolve("main/report.json").toString();

        Merged merged = shardThenMerge(StrictDrop.class, Map.of("llmjudge.report.baseline", baseline, "llmjudge.gate.max-drop", "3"),
                List.of("-Dllmjudge.report.baseline=" + baseline, "-Dllmjudge.gate.max-drop=3"));

        assertThat(merged.status()).isEqualTo(MergeReports.GATE_FAILED);
        assertThat(merged.report().gates()).filteredOn(g -> g.kind().equals(GateResult.MAX_DROP))
                .extracting(GateResult::bound, GateResult::passed).containsExactlyInAnyOrder(tuple(1.0, false), tuple(3.0, true));
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class TwoGatedMethods {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @ParameterizedTest
        @ValueSource(strings = {"A1 [score=5]", "A2 [score=5]"})
        @QualityGate(metric = "answer_similarity", minMean = 4)
        void good(String answer) {
            assertThatAnswer(answer).isSimilarTo("truth").withScoreAtLeast(1);
        }

        @ParameterizedTest
        @ValueSource(strings = {"B1 [score=2]", "B2 [score=2]"})
        @QualityGate(metric = "answer_similarity", minMean = 4)
        void bad(String answer) {
            assertThatAnswer(answer).isSimilarTo("truth").withScoreAtLeast(1);
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    @QualityGate(metric = "answer_similarity", minMean = 1.5)
    static class AnnotationAndExtensionGate {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY)
                .qualityGate("answer_similarity", 4.5, Double.NaN).build();

        @Test
        void first() {
            assertThatAnswer("One. [score=2]").isSimilarTo("One").withScoreAtLeast(1);
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    @QualityGate(metric = "answer_similarity", minMean = 4)
    static class OuterFailsNestedPasses {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void outer() {
            assertThatAnswer("Outer. [score=1]").isSimilarTo("One").withScoreAtLeast(1);
        }

        @Nested
        @QualityGate(metric = "answer_similarity", minMean = 1.5)
        class Inner {
            @Test
            void inner() {
                assertThatAnswer("Inner. [score=5]").isSimilarTo("One").withScoreAtLeast(1);
            }
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    @LlmJudgeTest(maxScoreDrop = 1)
    static class StrictDrop {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void refund() {
            assertThatAnswer(ANSWERS.get("refund")).isSimilarTo("Refunds within 30 days.").withScoreAtLeast(1);
        }
    }
}
