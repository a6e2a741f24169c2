package dev.llmjudge.junit;

import static dev.llmjudge.junit.FixtureRuns.entriesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.llmjudge.config.ConfigurationException;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.junit.fixtures.ConfigurationFixtures;
import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.TestRuntimes;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

class LlmJudgeExtensionTest {
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

    @AfterEach
    void resetEnvironment() {
        Fixtures.ENVIRONMENT.set(Map.of());
    }

    private Map<String, String> params() {
        return FixtureRuns.params(server, cache);
    }

    @Test
    void should_publish_a_report_entry_per_check() {
        EngineExecutionResults results = FixtureRuns.run(Fixtures.ReportEntries.class, params());

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
        assertThat(entriesOf(results, "similar()")).containsExactly(Map.of("metric", "answer_similarity", "outcome", "PASSED", "score", "5",
                "threshold", "4", "model", "gpt-4.1", "cached", "false", "justification", "Scored 5 as the answer's marker asks."));
        assertThat(entriesOf(results, "notSimilar()")).containsExactly(Map.of("metric", "answer_similarity", "outcome", "FAILED",
                "score", "2", "threshold", "4", "model", "gpt-4.1", "cached", "false", "justification",
                "Scored 2 as the answer's marker asks."));
    }

    @Test
    void should_take_a_parameter_over_the_environment_and_the_environment_over_the_default() {
        Fixtures.ENVIRONMENT.set(Map.of("LLMJUDGE_JUDGE_MODEL", "model-from-env"));
        Map<String, String> withParam = new HashMap<>(params());
        withParam.put("llmjudge.judge.model", "model-from-param");
        assertThat(modelOf(FixtureRuns.run(Fixtures.Precedence.class, withParam))).isEqualTo("model-from-param");
        assertThat(server.lastRequest().json().path("model").asText()).isEqualTo("model-from-param");

        assertThat(modelOf(FixtureRuns.run(Fixtures.Precedence.class, params()))).isEqualTo("model-from-env");
        assertThat(server.lastRequest().json().path("model").asText()).isEqualTo("model-from-env");

        Fixtures.ENVIRONMENT.set(Map.of());
        assertThat(modelOf(FixtureRuns.run(Fixtures.Precedence.class, params()))).isEqualTo("gpt-4.1");
    }

    private static String modelOf(EngineExecutionResults results) {
        results.testEvents().assertStatistics(s -> s.succeeded(1));
        return entriesOf(results, "judgesWithTheResolvedModel").get(0).get("model");
    }

    @Test
    void should_fail_fast_on_a_malformed_parameter_naming_key_and_value() {
        Map<String, String> bad = new HashMap<>(params());
        bad.put("llmjudge.cache.mode", "sometimes");
        int requests = server.requestCount();

        EngineExecutionResults results = FixtureRuns.run(Fixtures.ReportEntries.class, bad);

        results.allEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.ReportEntries.class),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message("invalid value 'sometimes' for"
                        + " llmjudge.cache.mode: expected one of auto, replay, refresh, off, collect (set by -Dllmjudge.cache.mode,"
                        + " junit-platform.properties or LLMJUDGE_CACHE_MODE)"))));
        assertThat(server.requestCount()).isEqualTo(requests);
    }

    @Test
    void should_fail_fast_on_a_malformed_number() {
        Map<String, String> bad = new HashMap<>(params());
        bad.put("llmjudge.judge.max-attempts", "many");

        EngineExecutionResults results = FixtureRuns.run(Fixtures.ReportEntries.class, bad);

        results.allEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.ReportEntries.class),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message("invalid value 'many' for"
                        + " llmjudge.judge.max-attempts: expected a whole number of at least 1 (set by -Dllmjudge.judge.max-attempts,"
                        + " junit-platform.properties or LLMJUDGE_JUDGE_MAX_ATTEMPTS)"))));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"localhost:11434/v1", "not a url"})
    void should_fail_fast_on_a_base_url_that_is_no_http_url_and_not_skip_as_if_no_key_were_set(String url) {
        Map<String, String> bad = new HashMap<>(params());
        bad.put("llmjudge.judge.base-url", url);
        bad.put("llmjudge.judge.missing-key", "skip");
        int requests = server.requestCount();

        EngineExecutionResults results = FixtureRuns.run(Fixtures.ReportEntries.class, bad);

        results.allEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.ReportEntries.class),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message("invalid value '" + url + "' for"
                        + " llmjudge.judge.base-url: expected an http or https URL such as https://api.openai.com/v1 or"
                        + " http://localhost:11434/v1 (set by -Dllmjudge.judge.base-url, junit-platform.properties or"
                        + " LLMJUDGE_JUDGE_BASE_URL)"))));
        results.testEvents().assertStatistics(s -> s.skipped(0).aborted(0));
        assertThat(server.requestCount()).isEqualTo(requests);
    }

    @Test
    void should_fail_fast_on_an_unknown_environment_variable() {
        EngineExecutionResults results = FixtureRuns.run(Fixtures.FakeEnvironment.class, params());

        results.allEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.FakeEnvironment.class),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("unknown configuration key 'environment variable LLMJUDGE_CACHE_MODEE': the keys are")
                                && m.endsWith("; did you mean LLMJUDGE_CACHE_MODE?")))));
    }

    @Test
    void should_fail_fast_on_an_unknown_parameter_it_can_list_naming_the_nearest_key() {
        System.setProperty("llmjudge.cache.mod", "replay");
        try {
            EngineExecutionResults results = FixtureRuns.run(Fixtures.ReportEntries.class, params());

            results.allEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.ReportEntries.class),
                    finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                            message(m -> m.startsWith("unknown configuration key 'llmjudge.cache.mod': the keys are llmjudge.judge.model,")
                                    && m.endsWith("; did you mean llmjudge.cache.mode?")))));
        } finally {
            System.clearProperty("llmjudge.cache.mod");
        }
        // The known limit: JUnit does not list the parameters given only to a Launcher, so a misspelt one goes unnoticed.
        Map<String, String> misspelt = new HashMap<>(params());
        misspelt.put("llmjudge.cache.mod", "replay");
        FixtureRuns.run(Fixtures.ReportEntries.class, misspelt).testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
    }

    @Test
    void should_check_a_setting_in_code_when_it_is_set() {
        assertThatThrownBy(() -> LlmJudgeExtension.newInstance().set("llmjudge.cache.mod", "replay"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("unknown configuration key 'llmjudge.cache.mod': the keys are llmjudge.judge.model,")
                .hasMessageEndingWith("; did you mean llmjudge.cache.mode?");
        assertThatThrownBy(() -> LlmJudgeExtension.newInstance().set("llmjudge.judge.max-attempts", "many"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("invalid value 'many' for llmjudge.judge.max-attempts: expected a whole number of at least 1"
                        + " (set by -Dllmjudge.judge.max-attempts, junit-platform.properties or LLMJUDGE_JUDGE_MAX_ATTEMPTS)");
        assertThatThrownBy(() -> LlmJudgeExtension.newInstance().maxScoreDrop(0)).hasMessage("maxScoreDrop must be at least 1, got 0");
        assertThatThrownBy(() -> LlmJudgeExtension.newInstance().model(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model(\" \"): the model is blank: pass the judge model's name, e.g. \"gpt-4.1-mini\"");
        assertThatThrownBy(() -> LlmJudgeExtension.newInstance().apiKey("\t")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiKey(\"\\t\"): the key is blank: pass the API key to judge with, or leave apiKey(...) out to use the"
                        + " SDK's (OPENAI_API_KEY or -Dopenai.apiKey)");
    }

    @Test
    void should_refuse_a_null_setting_in_code_naming_the_setter_and_what_to_pass() {
        assertThatThrownBy(() -> LlmJudgeExtension.newInstance().model(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model(null): the model is null: pass the judge model's name, e.g. \"gpt-4.1-mini\"");
        assertThatThrownBy(() -> LlmJudgeExtension.newInstance().baseUrl(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl(null): the base URL is null: pass the judge endpoint, an http or https URL such as"
                        + " \"http://localhost:11434/v1\"");
        assertThatThrownBy(() -> LlmJudgeExtension.newInstance().apiKey(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("apiKey(null): the key is null: pass the API key to judge with, or leave apiKey(...) out to use the SDK's"
                        + " (OPENAI_API_KEY or -Dopenai.apiKey)");
        assertThatThrownBy(() -> LlmJudgeExtension.newInstance().cacheDirectory(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cacheDirectory(null): the directory is null: pass the directory of recorded verdicts, e.g."
                        + " Path.of(\"src/test/llm-judge\")");
        assertThatThrownBy(() -> LlmJudgeExtension.newInstance().qualityGate(null, 3.5, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("qualityGate(null, minMean, minPassRate): the metric is null: pass the name of the metric to gate, e.g."
                        + " \"answer_similarity\"");
        assertThatThrownBy(() -> LlmJudgeExtension.newInstance().judge(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("judge(null): the judge is null: pass the Judge to judge with, or leave judge(...) out to judge with the"
                        + " OpenAI-compatible one");
        assertThatThrownBy(() -> LlmJudgeExtension.newInstance().environment(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment(null): the environment is null: pass the variables to read, e.g."
                        + " Map.of(\"LLMJUDGE_CACHE_MODE\", \"replay\"), or leave environment(...) out to read the process environment");
    }

    @Test
    void should_refuse_to_grade_a_null_metric_or_case_naming_the_argument_before_any_request() {
        int before = server.requestCount();
        try (LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cache)) {
            Judging judging = new Judging(runtime);
            assertThatThrownBy(() -> judging.grade(null, EvaluationCase.ofAnswer("Hi"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("grade(null, evaluationCase): the metric is null: pass the metric to judge by, e.g."
                            + " Metrics.criterion(\"answers in a polite tone\") or one built with Metric.builder");
            assertThatThrownBy(() -> judging.grade(Metrics.criterion("answers in a polite tone"), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("grade(metric, null): the evaluation case is null: pass the case to grade, e.g."
                            + " EvaluationCase.ofAnswer(answer).withGroundTruth(truth)");
        }
        assertThat(server.requestCount()).isEqualTo(before);
    }

    @Test
    void should_fail_fast_on_a_malformed_annotation_attribute() {
        EngineExecutionResults results = FixtureRuns.run(Fixtures.BadAnnotation.class, params());

        // A cache mode is an enum attribute now, checked by the compiler; the number attribute is checked when the class starts.
        results.allEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.BadAnnotation.class),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message("invalid value -1 for maxScoreDrop of"
                        + " @LlmJudgeTest on " + Fixtures.BadAnnotation.class.getName() + ": expected a whole number of at least 1"
                        + " (0 leaves llmjudge.gate.max-drop)"))));
    }

    @Test
    void should_take_settings_in_code_over_annotation_attributes_over_parameters() {
        Map<String, String> withParams = new HashMap<>(params());
        withParams.put("llmjudge.judge.model", "model-from-param");
        withParams.put("llmjudge.cache.mode", "replay");

        assertThat(configurationOf(FixtureRuns.run(ConfigurationFixtures.CodeOverAnnotation.class, withParams)))
                .containsEntry("configured.model", "model-from-code").containsEntry("configured.cache-mode", "refresh");
        assertThat(configurationOf(FixtureRuns.run(ConfigurationFixtures.AnnotationOverParameters.class, withParams)))
                .containsEntry("configured.model", "model-from-annotation").containsEntry("configured.cache-mode", "off");
    }

    @Test
    void should_leave_the_configured_cache_mode_for_the_sentinel_attribute() {
        FixtureRuns.run(Fixtures.ReportEntries.class, params());
        int requests = server.requestCount();
        Map<String, String> replay = new HashMap<>(params());
        replay.put("llmjudge.cache.mode", "replay");

        EngineExecutionResults results = FixtureRuns.run(ConfigurationFixtures.ConfiguredCacheMode.class, replay);

        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        assertThat(configurationOf(results)).containsEntry("configured.cache-mode", "replay");
        assertThat(entriesOf(results, "similar")).singleElement().satisfies(e -> assertThat(e).containsEntry("cached", "true"));
        assertThat(server.requestCount()).isEqualTo(requests);
        assertThat(configurationOf(FixtureRuns.run(ConfigurationFixtures.ConfiguredCacheMode.class, params())))
                .containsEntry("configured.cache-mode", "auto");
    }

    private static Map<String, String> configurationOf(EngineExecutionResults results) {
        return entriesOf(results, "reportsItsConfiguration").stream().filter(e -> e.containsKey("configured.model")).findFirst().orElseThrow();
    }

    @Test
    void should_judge_a_case_two_tests_check_once_per_run_in_refresh_mode_and_replay_the_new_verdict_for_the_other(@TempDir Path reports) {
        EngineExecutionResults recorded = FixtureRuns.run(Fixtures.SameCaseTwice.class, params());
        recorded.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        Map<String, String> refresh = new HashMap<>(params());
        refresh.put("llmjudge.cache.mode", "refresh");
        refresh.put(LlmJudgeConfig.REPORT_DIR, reports.toString());

        for (int run = 1; run <= 2; run++) {
            // Each run a build of its own: the JVMs of one run id are one run, which refreshes a case once.
            refresh.put(LlmJudgeConfig.REPORT_RUN_ID, "build-" + run);
            int requests = server.requestCount();
            EngineExecutionResults results = FixtureRuns.run(Fixtures.SameCaseTwice.class, refresh);

            results.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
            assertThat(server.requestCount() - requests).as("requests of refresh run %d for the one case both tests check", run)
                    .isEqualTo(1);
            assertThat(Stream.concat(entriesOf(results, "first()").stream(), entriesOf(results, "second()").stream()))
                    .as("the test that came second replays the verdict the first one judged again")
                    .extracting(e -> e.get("cached")).containsExactlyInAnyOrder("false", "true");
        }
    }

    @Test
    void should_judge_a_case_once_per_run_in_refresh_mode_also_when_classes_with_different_settings_check_it() {
        FixtureRuns.run(Fixtures.SameCaseTwice.class, params()).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
        Map<String, String> refresh = new HashMap<>(params());
        refresh.put("llmjudge.cache.mode", "refresh");
        int requests = server.requestCount();

        EngineExecutionResults results = FixtureRuns.run(List.of(Fixtures.SameCaseTwice.class, Fixtures.SameCaseGated.class), refresh);

        results.testEvents().assertStatistics(s -> s.succeeded(3).failed(0));
        assertThat(server.requestCount() - requests).as("requests of the refresh run for the one case two classes with their own runtimes check")
                .isEqualTo(1);
        assertThat(Stream.of("first()", "second()", "gated()").flatMap(test -> entriesOf(results, test).stream()))
                .as("the tests after the first replay the verdict it judged again")
                .extracting(e -> e.get("cached")).containsExactlyInAnyOrder("false", "true", "true");
    }

    @Test
    void should_fail_a_test_that_leaves_a_check_without_threshold() {
        int requests = server.requestCount();
        EngineExecutionResults results = FixtureRuns.run(Fixtures.PendingCheck.class, params());

        results.testEvents().assertThatEvents().haveExactly(1, event(test("forgetsTheThreshold"),
                finishedWithFailure(instanceOf(AssertionError.class), message("a judged check never stated its threshold, so it checked"
                        + " nothing: answer_similarity on answer \"Paris is the capital of France.\". End the chain with withScoreAtLeast(n),"
                        + " or passes() for a pass/fail metric."))));
        assertThat(entriesOf(results, "forgetsTheThreshold")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("outcome", "ERROR").containsEntry("metric", "answer_similarity"));
        assertThat(server.requestCount()).isEqualTo(requests);
    }

    @Test
    void should_judge_declaratively_from_recorded_verdicts() {
        // Record the verdict with the programmatic form, then replay it through @LlmJudgeTest(cacheMode = CacheMode.REPLAY).
        FixtureRuns.run(Fixtures.ReportEntries.class, params());
        int requests = server.requestCount();

        EngineExecutionResults results = FixtureRuns.run(Fixtures.Declarative.class, params());

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(entriesOf(results, "similar")).singleElement().satisfies(e -> assertThat(e).containsEntry("cached", "true"));
        assertThat(server.requestCount()).isEqualTo(requests);
    }

    @Test
    void should_inject_judging_judge_runtime_and_soft_assertions() {
        EngineExecutionResults results = FixtureRuns.run(Fixtures.Injection.class, params());

        results.testEvents().assertStatistics(s -> s.succeeded(2).failed(1));
        results.testEvents().assertThatEvents().haveExactly(1, event(test("softly"), finishedWithFailure(
                message(m -> m.contains("Multiple Failures (2 failures)") && m.contains("\"Lyon. [score=2]\"")
                        && m.contains("\"Marseille. [score=1]\"")))));
        assertThat(entriesOf(results, "softly")).extracting(e -> e.get("outcome")).containsExactly("FAILED", "FAILED", "PASSED");
        assertThat(entriesOf(results, "customMetric")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("metric", "conciseness").containsEntry("score", "5"));
    }

    @Test
    void should_fail_a_dataset_test_with_the_file_line_and_column() {
        EngineExecutionResults results = FixtureRuns.run(Fixtures.BadDataset.class, params());

        List<Event> failed = results.allEvents().failed().list();
        assertThat(failed).singleElement().satisfies(e -> assertThat(e.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable).orElseThrow())
                .isInstanceOf(DatasetException.class)
                .hasMessage("datasets/bad-missing-ground-truth.jsonl:3:1: missing \"ground_truth\""));
    }

    @Test
    void should_attach_each_verdict_to_its_own_test_under_parallel_execution() {
        server.otherwise(request -> FixtureRuns.BY_MARKER.apply(request).afterMillis(150));
        try {
            Map<String, String> parallel = new HashMap<>(params());
            parallel.put("junit.jupiter.execution.parallel.enabled", "true");
            parallel.put("junit.jupiter.execution.parallel.mode.default", "concurrent");
            parallel.put("junit.jupiter.execution.parallel.config.strategy", "fixed");
            parallel.put("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");

            EngineExecutionResults results = FixtureRuns.run(Fixtures.GateFails.class, parallel);

            assertThat(server.maxConcurrentRequests()).isGreaterThan(1);
            Map<String, String> expected = Map.of("first()", "5", "second()", "3", "third()", "2", "fourth()", "1");
            expected.forEach((test, score) -> assertThat(entriesOf(results, test)).singleElement()
                    .satisfies(e -> assertThat(e).containsEntry("score", score)));
            results.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(Fixtures.GateFails.class),
                    finishedWithFailure(message(m -> m.startsWith("quality gate failed for Fixtures.GateFails: mean answer_similarity 2.75")))));
        } finally {
            server.otherwise(FixtureRuns.BY_MARKER);
        }
    }

    @Test
    void should_hold_the_concurrency_cap_across_classes_with_their_own_settings() {
        server.otherwise(request -> FixtureRuns.BY_MARKER.apply(request).afterMillis(100));
        try {
            Map<String, String> parallel = new HashMap<>(params());
            parallel.put("junit.jupiter.execution.parallel.enabled", "true");
            parallel.put("junit.jupiter.execution.parallel.mode.default", "concurrent");
            parallel.put("junit.jupiter.execution.parallel.mode.classes.default", "concurrent");
            parallel.put("junit.jupiter.execution.parallel.config.strategy", "fixed");
            parallel.put("junit.jupiter.execution.parallel.config.fixed.parallelism", "4");
            parallel.put("llmjudge.judge.max-concurrency", "1");
            int before = server.requestCount();
            server.resetMaxConcurrentRequests();

            EngineExecutionResults results = FixtureRuns.run(List.of(Fixtures.GateFails.class, Fixtures.OtherModel.class), parallel);

            results.testEvents().assertStatistics(s -> s.started(7));
            assertThat(server.requestCount() - before).isEqualTo(7);
            assertThat(server.requests().subList(before, server.requestCount()))
                    .extracting(r -> r.json().path("model").asText()).contains("gpt-4.1", "other-model");
            assertThat(server.maxConcurrentRequests()).as("one request at a time across both classes' runtimes").isEqualTo(1);
        } finally {
            server.otherwise(FixtureRuns.BY_MARKER);
        }
    }
}
