package dev.llmjudge.junit;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.uniqueIdSubstring;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

class QualityGateTest {
    static OpenAiCompatibleServer server;

    @TempDir
    Path cache;

    @BeforeAll
    static void startJudge() {
        server = FixtureRuns.markerJudge();
    }

    @AfterAll
    static void stopJudge() {
        server.close();
    }

    private EngineExecutionResults run(Class<?> fixture, Map<String, String> extra) {
        Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
        params.putAll(extra);
        return FixtureRuns.run(fixture, params);
    }

    @Test
    void should_fail_the_class_naming_metric_figure_and_bound() {
        // Scores 5, 3, 2, 1 with threshold 2: mean 2.75, 3 of 4 passed.
        EngineExecutionResults results = run(Fixtures.GateFails.class, Map.of());

        results.testEvents().assertStatistics(s -> s.succeeded(3).failed(1));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.GateFails.class), finishedWithFailure(
                instanceOf(AssertionError.class), message("quality gate failed for Fixtures.GateFails: mean answer_similarity 2.75 is below 3.5"
                        + " (4 scored, 0 errors)\n"
                        + "quality gate failed for Fixtures.GateFails: pass rate of answer_similarity 75% is below 90%"
                        + " (4 checks: 3 passed, 1 failed, 0 errors)"))));
    }

    @Test
    void should_fail_a_class_whose_extension_gates_a_metric_it_never_checked_as_a_quality_gate_annotation_would() {
        EngineExecutionResults results = run(ExtensionGateOnMisspeltMetric.class, Map.of());

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(ExtensionGateOnMisspeltMetric.class),
                finishedWithFailure(instanceOf(AssertionError.class), message(m -> m.contains(
                        "no check of answer_similarty was made (checked: answer_similarity)")))));
    }

    @Test
    void should_keep_a_shards_failed_quality_gate_in_the_merged_report_and_exit_with_gate_failed(@TempDir Path work) throws IOException {
        // One shard of one runs Fixtures.GateFails, whose @QualityGate fails: mean 2.75 < 3.5 and pass rate 75% < 90%.
        Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
        params.put("llmjudge.report.dir", work.resolve("shard-1").toString());
        params.put("llmjudge.report.run-id", "ci-9");
        params.put("llmjudge.shard", "1/1");
        LauncherRuns.Run shard = LauncherRuns.run(Map.of(), params, Fixtures.GateFails.class);
        assertThat(shard.summary().getContainersFailedCount()).as("the shard's class fails its gate").isEqualTo(1);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MergeReports.run(List.of("--shards", "1", "--out", work.resolve("merged").toString(),
                work.resolve("shard-1/report.json").toString()), Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isEqualTo(MergeReports.GATE_FAILED);
        RunReport merged = JsonReport.read(work.resolve("merged/report.json"));
        assertThat(merged.gates()).filteredOn(g -> !g.passed()).extracting(GateResult::kind, GateResult::figure)
                .containsExactlyInAnyOrder(tuple(GateResult.CLASS, "mean"), tuple(GateResult.CLASS, GateResult.PASS_RATE));
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("mean answer_similarity 2.75 is below 3.5", "2 quality gates failed");
        assertThat(Files.readString(work.resolve("merged/summary.md"))).contains("mean answer\\_similarity 2.75 is below 3.5");
    }

    @Test
    void should_fail_the_class_when_the_dynamic_tests_of_a_gated_test_factory_miss_its_gate() {
        // Three dynamic tests, each scored 2 with threshold 1: each passes, their mean 2 is below the factory's gate of 4.5.
        EngineExecutionResults results = run(GatedTestFactory.class, Map.of());

        results.testEvents().assertStatistics(s -> s.succeeded(3).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(GatedTestFactory.class),
                finishedWithFailure(instanceOf(AssertionError.class), message(m -> m.contains("mean answer_similarity 2.00 is below 4.5")))));
    }

    @Test
    void should_pass_when_the_class_and_its_nested_classes_meet_the_gate() {
        // Scores 5, 4 and, in a nested class, 3: mean 4, all passed.
        EngineExecutionResults results = run(Fixtures.GatePasses.class, Map.of());

        results.testEvents().assertStatistics(s -> s.succeeded(3).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.GatePasses.class), finishedSuccessfully()));
    }

    @Test
    void should_fail_a_gate_on_a_metric_the_class_never_checked() {
        EngineExecutionResults results = run(Fixtures.GateOnMisspeltMetric.class, Map.of());

        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.GateOnMisspeltMetric.class),
                finishedWithFailure(message("quality gate failed for Fixtures.GateOnMisspeltMetric: no check of answer_similarty was made"
                        + " (checked: answer_similarity)"))));
    }

    @Test
    void should_apply_gates_from_configuration() {
        // Scores 4 and 3: mean 3.5.
        EngineExecutionResults failing = run(Fixtures.ConfiguredGate.class, Map.of("llmjudge.gate.answer_similarity.min-mean", "3.75"));
        failing.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.ConfiguredGate.class), finishedWithFailure(
                message("quality gate failed for Fixtures.ConfiguredGate: mean answer_similarity 3.50 is below 3.75 (2 scored, 0 errors)"))));

        EngineExecutionResults passing = run(Fixtures.ConfiguredGate.class, Map.of("llmjudge.gate.answer_similarity.min-mean", "3.5",
                "llmjudge.gate.answer_similarity.min-pass-rate", "100%"));
        passing.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.ConfiguredGate.class), finishedSuccessfully()));
    }

    @Test
    void should_reject_a_malformed_configured_gate() {
        EngineExecutionResults results = run(Fixtures.ConfiguredGate.class, Map.of("llmjudge.gate.answer_similarity.min-pass-rate", "1.5"));

        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.ConfiguredGate.class), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class), message("invalid value '1.5' for llmjudge.gate.answer_similarity.min-pass-rate:"
                        + " expected a pass rate from 0 to 1, or a percentage such as 90% (set by -Dllmjudge.gate.answer_similarity.min-pass-rate,"
                        + " junit-platform.properties or LLMJUDGE_GATE_ANSWER_SIMILARITY_MIN_PASS_RATE)"))));
    }

    @Test
    void should_refuse_a_quality_gate_whose_min_mean_is_at_most_the_lowest_score_of_the_metric_as_it_could_never_fail() {
        // answer_similarity is scored 1 to 5: a mean of it is 1 at least, so minMean = 0.9 (a pass rate written as a mean) always holds.
        EngineExecutionResults results = run(MinMeanBelowTheScale.class, Map.of());

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(MinMeanBelowTheScale.class),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message("minMean of @QualityGate on " + MinMeanBelowTheScale.class
                        + " is 0.9, but no mean of answer_similarity in QualityGateTest.MinMeanBelowTheScale can be below that:"
                        + " answer_similarity is scored 1 to 5, so its mean is 1 at least and the gate could never fail. Set minMean to more"
                        + " than 1 and at most 5 (the share of checks that must pass is minPassRate, a fraction from 0 to 1)"))));
    }

    @Test
    void should_refuse_a_configured_or_extension_min_mean_at_the_lowest_score_of_the_metric() {
        EngineExecutionResults configured = run(Fixtures.ConfiguredGate.class, Map.of("llmjudge.gate.answer_similarity.min-mean", "1"));
        EngineExecutionResults extension = run(ExtensionGateBelowTheScale.class, Map.of());

        configured.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.ConfiguredGate.class),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message("llmjudge.gate.answer_similarity.min-mean is 1,"
                        + " but no mean of answer_similarity in Fixtures.ConfiguredGate can be below that: answer_similarity is scored 1 to 5,"
                        + " so its mean is 1 at least and the gate could never fail. Set llmjudge.gate.answer_similarity.min-mean to more than"
                        + " 1 and at most 5 (the share of checks that must pass is llmjudge.gate.answer_similarity.min-pass-rate, e.g. 90%)"))));
        extension.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(ExtensionGateBelowTheScale.class),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(m -> m.startsWith(
                        "minMean of the extension's qualityGate(\"answer_similarity\", ...) is 0.8, but no mean of answer_similarity in"
                                + " QualityGateTest.ExtensionGateBelowTheScale can be below that:")))));
    }

    @Test
    void should_still_evaluate_a_min_mean_just_above_the_lowest_score_of_the_metric() {
        // Scores 4 and 3: a mean of 3.5 meets a bound of 1.01, the smallest gate a 1 to 5 scale allows is kept.
        EngineExecutionResults results = run(Fixtures.ConfiguredGate.class, Map.of("llmjudge.gate.answer_similarity.min-mean", "1.01"));

        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.ConfiguredGate.class),
                finishedSuccessfully()));
    }

    @Test
    void should_gate_a_dataset_method_and_its_class() {
        // Dataset scores 5, 4, 3 with threshold 3: the method's pass rate is 100%, the class mean 4.
        EngineExecutionResults results = run(Fixtures.DatasetWithGate.class, Map.of());

        results.testEvents().assertStatistics(s -> s.succeeded(3).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.DatasetWithGate.class), finishedSuccessfully()));

        EngineExecutionResults stricter = run(Fixtures.DatasetWithGate.class, Map.of("llmjudge.gate.answer_similarity.min-mean", "4.5"));
        stricter.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.DatasetWithGate.class), finishedWithFailure(
                message("quality gate failed for Fixtures.DatasetWithGate: mean answer_similarity 4.00 is below 4.5 (3 scored, 0 errors)"))));
    }

    @Test
    void should_fail_a_gated_method_that_ran_and_made_no_check_but_not_one_that_was_skipped_or_aborted() {
        EngineExecutionResults results = run(GatedMethodsWithoutChecks.class, Map.of());

        results.testEvents().assertStatistics(s -> s.succeeded(2).aborted(1).skipped(1).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(GatedMethodsWithoutChecks.class),
                finishedWithFailure(instanceOf(AssertionError.class), message("quality gate failed for"
                        + " QualityGateTest.GatedMethodsWithoutChecks.forgetsToCheck: no check of answer_similarity was made (it made no"
                        + " judged check)\n"
                        + "quality gate failed for QualityGateTest.GatedMethodsWithoutChecks.forgetsToCheck: no check was made, so its"
                        + " unstable checks cannot be bounded"))));
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class GatedMethodsWithoutChecks {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void checks() {
            assertThatAnswer("One. [score=5]").isSimilarTo("One").withScoreAtLeast(1);
        }

        @Test
        @QualityGate(metric = "answer_similarity", minMean = 4)
        @QualityGate(maxUnstable = "0")
        void forgetsToCheck() {
            assertThat("Two.").startsWith("Two");
        }

        @Test
        @QualityGate(metric = "answer_similarity", minMean = 4)
        void abortsBeforeChecking() {
            Assumptions.assumeTrue(false, "the judge is not configured here");
        }

        @Test
        @Disabled("not yet")
        @QualityGate(metric = "answer_similarity", minMean = 4)
        void disabled() {
        }
    }

    @Test
    void should_not_evaluate_the_gates_of_a_class_whose_checks_were_all_skipped_for_want_of_an_api_key() {
        EngineExecutionResults results = run(GatedClassWithoutKey.class, Map.of("llmjudge.judge.missing-key", "skip"));

        results.testEvents().assertStatistics(s -> s.aborted(1).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(GatedClassWithoutKey.class),
                finishedSuccessfully()));
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    @QualityGate(metric = "answer_similarity", minMean = 4)
    static class GatedClassWithoutKey {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().environment(Map.of()).build();

        @Test
        @QualityGate(metric = "answer_similarity", minMean = 4)
        void unrecorded() {
            assertThatAnswer("Never recorded. [score=5]").isSimilarTo("Recorded.").withScoreAtLeast(4);
        }
    }

    @Test
    void should_fail_a_gated_class_whose_tests_and_nested_tests_all_ran_and_made_no_judged_check() {
        EngineExecutionResults results = run(GatedClassWithoutChecks.class, Map.of());

        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(GatedClassWithoutChecks.class),
                finishedWithFailure(instanceOf(AssertionError.class), message("quality gate failed for QualityGateTest.GatedClassWithoutChecks:"
                        + " no check of answer_similarity was made (it made no judged check)\n"
                        + "quality gate failed for QualityGateTest.GatedClassWithoutChecks: no check was made, so its unstable checks cannot"
                        + " be bounded\n"
                        + "quality gate failed for QualityGateTest.GatedClassWithoutChecks: no check of faithfulness was made (it made no"
                        + " judged check)"))));
    }

    @Test
    void should_not_evaluate_the_gates_of_a_class_only_some_of_whose_tests_ran_and_made_no_check() {
        // Filtered to its unjudged test, as -Dtest=...#plain does; and run whole, its judged test aborted by an assumption.
        EngineExecutionResults filtered = EngineTestKit.engine("junit-jupiter")
                .selectors(DiscoverySelectors.selectMethod(GatedClassWithAbortedCheck.class, "plain"))
                .configurationParameters(FixtureRuns.params(server, cache)).execute();
        EngineExecutionResults aborted = run(GatedClassWithAbortedCheck.class, Map.of());

        filtered.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        filtered.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(GatedClassWithAbortedCheck.class),
                finishedSuccessfully()));
        aborted.testEvents().assertStatistics(s -> s.succeeded(1).aborted(1).failed(0));
        aborted.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(GatedClassWithAbortedCheck.class),
                finishedSuccessfully()));
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    @QualityGate(metric = "answer_similarity", minMean = 4)
    @QualityGate(maxUnstable = "0")
    static class GatedClassWithoutChecks {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY)
                .qualityGate("faithfulness", Double.NaN, 1.0).build();

        @Test
        void forgetsToCheck() {
            assertThat("Two.").startsWith("Two");
        }

        @Nested
        class Inner {
            @Test
            void forgetsToCheckToo() {
                assertThat("Three.").startsWith("Three");
            }
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    @QualityGate(metric = "answer_similarity", minMean = 4)
    static class GatedClassWithAbortedCheck {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void plain() {
            assertThat("Two.").startsWith("Two");
        }

        @Test
        void judged() {
            Assumptions.assumeTrue(false, "no judge here");
            assertThatAnswer("One. [score=5]").isSimilarTo("One").withScoreAtLeast(1);
        }
    }

    @Test
    void should_count_the_checks_of_a_nested_class_with_its_own_extension_for_the_outer_classs_gate() {
        EngineExecutionResults results = run(OuterWithOwnNestedExtension.class, Map.of());

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(OuterWithOwnNestedExtension.class),
                finishedWithFailure(instanceOf(AssertionError.class), message("quality gate failed for QualityGateTest.OuterWithOwnNestedExtension:"
                        + " mean answer_similarity 2.00 is below 4.5 (1 scored, 0 errors)"))));
    }

    @Test
    void should_apply_the_configured_gates_to_a_nested_class_with_its_own_extension() {
        EngineExecutionResults results = run(NestedExtensionWithGate.class, Map.of("llmjudge.gate.answer_similarity.min-mean", "3"));

        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(NestedExtensionWithGate.class),
                finishedWithFailure(message("quality gate failed for QualityGateTest.NestedExtensionWithGate: mean answer_similarity 2.00 is"
                        + " below 3 (1 scored, 0 errors)"))));
    }

    @Test
    void should_evaluate_the_gates_of_an_extension_a_nested_class_registers_itself() {
        EngineExecutionResults results = run(NestedExtensionWithGate.class, Map.of());

        results.containerEvents().assertThatEvents().haveExactly(1, event(container(uniqueIdSubstring("Strict")),
                finishedWithFailure(message("quality gate failed for QualityGateTest.NestedExtensionWithGate.Strict: mean answer_similarity 2.00"
                        + " is below 4.5 (1 scored, 0 errors)"))));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(NestedExtensionWithGate.class),
                finishedSuccessfully()));
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    @QualityGate(metric = "answer_similarity", minMean = 4.5)
    static class OuterWithOwnNestedExtension {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Nested
        class WithOtherModel {
            @RegisterExtension
            static LlmJudgeExtension mini = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).model("gpt-4.1-mini").build();

            @Test
            void refund() {
                assertThatAnswer("Refunds sometimes. [score=2]").isSimilarTo("Refunds within 30 days.").withScoreAtLeast(1);
            }
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class NestedExtensionWithGate {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Nested
        class Strict {
            @RegisterExtension
            static LlmJudgeExtension strict = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).model("gpt-4.1-mini")
                    .qualityGate("answer_similarity", 4.5, Double.NaN).build();

            @Test
            void refund() {
                assertThatAnswer("Refunds sometimes. [score=2]").isSimilarTo("Refunds within 30 days.").withScoreAtLeast(1);
            }
        }
    }

    @Test
    void should_fail_a_test_whose_extension_on_an_instance_field_could_not_check_its_gates() {
        EngineExecutionResults gated = run(InstanceFieldGates.class, Map.of());
        EngineExecutionResults configured = run(InstanceFieldNoGate.class, Map.of("llmjudge.gate.answer_similarity.min-mean", "4.5"));
        EngineExecutionResults ungated = run(InstanceFieldNoGate.class, Map.of());

        gated.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                message("LlmJudgeExtension is registered on an instance field of " + InstanceFieldGates.class.getName() + ", so JUnit gives"
                        + " it no end of the class, where quality gates are checked, and these would pass unchecked: the extension's"
                        + " qualityGate(...), @QualityGate. Register it on a static field: @RegisterExtension static LlmJudgeExtension"
                        + " judge = LlmJudgeExtension.newInstance()...build();"))));
        configured.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(message(m -> m.endsWith(
                "would pass unchecked: llmjudge.gate.answer_similarity.*. Register it on a static field: @RegisterExtension static"
                        + " LlmJudgeExtension judge = LlmJudgeExtension.newInstance()...build();")))));
        ungated.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void should_fail_a_test_whose_extension_on_an_instance_field_could_not_check_a_metrics_own_drop_bound() {
        EngineExecutionResults ownBound = run(InstanceFieldNoGate.class, Map.of("llmjudge.report.baseline", "main/report.json",
                "llmjudge.gate.answer_similarity.max-drop", "2"));
        EngineExecutionResults noBaseline = run(InstanceFieldNoGate.class, Map.of("llmjudge.gate.answer_similarity.max-drop", "2"));

        ownBound.testEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                message(m -> m.endsWith("would pass unchecked: llmjudge.gate.answer_similarity.max-drop. Register it on a static field:"
                        + " @RegisterExtension static LlmJudgeExtension judge = LlmJudgeExtension.newInstance()...build();")))));
        // Without a baseline the drop bound gates nothing.
        noBaseline.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    @QualityGate(metric = "answer_similarity", minMean = 4.5)
    static class InstanceFieldGates {
        @RegisterExtension
        LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).qualityGate("answer_similarity", 4.5, Double.NaN)
                .build();

        @Test
        void first() {
            assertThatAnswer("One. [score=2]").isSimilarTo("One").withScoreAtLeast(1);
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class InstanceFieldNoGate {
        @RegisterExtension
        LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void first() {
            assertThatAnswer("One. [score=2]").isSimilarTo("One").withScoreAtLeast(1);
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class GatedTestFactory {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @TestFactory
        @QualityGate(metric = "answer_similarity", minMean = 4.5)
        Stream<DynamicTest> cases() {
            return Stream.of("Alpha", "Beta", "Gamma").map(name -> DynamicTest.dynamicTest(name,
                    () -> assertThatAnswer(name + ". [score=2]").isSimilarTo(name).withScoreAtLeast(1)));
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    @QualityGate(metric = "answer_similarity", minMean = 0.9)
    static class MinMeanBelowTheScale {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY).build();

        @Test
        void first() {
            assertThatAnswer("One. [score=1]").isSimilarTo("One").withScoreAtLeast(1);
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class ExtensionGateBelowTheScale {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY)
                .qualityGate("answer_similarity", 0.8, Double.NaN).build();

        @Test
        void first() {
            assertThatAnswer("One. [score=2]").isSimilarTo("One").withScoreAtLeast(1);
        }
    }

    @ExtendWith(OnlyThroughEngineTestKit.class)
    static class ExtensionGateOnMisspeltMetric {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(Fixtures.API_KEY)
                .qualityGate("answer_similarty", 4.5, Double.NaN).build();

        @Test
        void first() {
            assertThatAnswer("One. [score=2]").isSimilarTo("One").withScoreAtLeast(1);
        }
    }
}
