package dev.llmjudge.junit;

import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

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
    void should_gate_a_dataset_method_and_its_class() {
        // Dataset scores 5, 4, 3 with threshold 3: the method's pass rate is 100%, the class mean 4.
        EngineExecutionResults results = run(Fixtures.DatasetWithGate.class, Map.of());

        results.testEvents().assertStatistics(s -> s.succeeded(3).failed(0));
        results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.DatasetWithGate.class), finishedSuccessfully()));

        EngineExecutionResults stricter = run(Fixtures.DatasetWithGate.class, Map.of("llmjudge.gate.answer_similarity.min-mean", "4.5"));
        stricter.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.DatasetWithGate.class), finishedWithFailure(
                message("quality gate failed for Fixtures.DatasetWithGate: mean answer_similarity 4.00 is below 4.5 (3 scored, 0 errors)"))));
    }
}
