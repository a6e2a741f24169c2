package dev.llmjudge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.config.GateConfig.MetricGate;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LlmJudgeConfigGateKeysTest {
    private static LlmJudgeConfig resolve(Map<String, String> params, Map<String, String> env) {
        return LlmJudgeConfig.resolve(ConfigSources.of(params, env));
    }

    @Test
    void should_accept_per_metric_gate_keys_from_parameters_and_environment() {
        LlmJudgeConfig config = resolve(Map.of("llmjudge.gate.answer_similarity.min-mean", "3.5"),
                Map.of("LLMJUDGE_GATE_FAITHFULNESS_MIN_PASS_RATE", "90%", "LLMJUDGE_GATE_ANSWER_SIMILARITY_MIN_MEAN", "2"));

        assertThat(config.gates().forMetric("answer_similarity")).isEqualTo(new MetricGate(Optional.of(3.5), Optional.empty()));
        assertThat(config.gates().forMetric("faithfulness")).isEqualTo(new MetricGate(Optional.empty(), Optional.of(0.9)));
        assertThat(config.gates().forMetric("relevance").isEmpty()).isTrue();
    }

    @Test
    void should_look_up_the_gates_of_a_metric_in_parameters_it_cannot_list() {
        Map<String, String> unlisted = Map.of("llmjudge.gate.answer_similarity.min-pass-rate", "75%");
        LlmJudgeConfig config = LlmJudgeConfig.resolve(new ConfigSources(key -> Optional.ofNullable(unlisted.get(key)), Set.of(),
                Map.of("LLMJUDGE_GATE_ANSWER_SIMILARITY_MIN_PASS_RATE", "10%")));

        assertThat(config.gates().forMetric("answer_similarity").minPassRate()).contains(0.75);
    }

    @Test
    void should_reject_a_malformed_gate_value_naming_key_and_value() {
        assertThatThrownBy(() -> resolve(Map.of("llmjudge.gate.answer_similarity.min-pass-rate", "1.2"), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("invalid value '1.2' for llmjudge.gate.answer_similarity.min-pass-rate: expected a pass rate from 0 to 1, or a"
                        + " percentage such as 90% (set by -Dllmjudge.gate.answer_similarity.min-pass-rate, junit-platform.properties or"
                        + " LLMJUDGE_GATE_ANSWER_SIMILARITY_MIN_PASS_RATE)");
        assertThatThrownBy(() -> resolve(Map.of("llmjudge.gate.answer_similarity.min-mean", "high"), Map.of()))
                .hasMessageStartingWith("invalid value 'high' for llmjudge.gate.answer_similarity.min-mean: expected a number, e.g. 3.5");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("LLMJUDGE_GATE_ANSWER_SIMILARITY_MIN_MEAN", "-1")))
                .hasMessageStartingWith("invalid value '-1' for llmjudge.gate.answer_similarity.min-mean: expected a number, e.g. 3.5");
    }

    @Test
    void should_still_reject_unknown_gate_settings() {
        assertThatThrownBy(() -> resolve(Map.of("llmjudge.gate.answer_similarity.max-mean", "3"), Map.of()))
                .hasMessageStartingWith("unknown configuration key 'llmjudge.gate.answer_similarity.max-mean'")
                .hasMessageEndingWith("; did you mean llmjudge.gate.answer_similarity.min-mean?");
    }

    @Test
    void should_read_a_metrics_own_max_drop_from_parameters_and_environment_and_reject_a_malformed_one_at_start_up() {
        LlmJudgeConfig config = resolve(Map.of("llmjudge.gate.semantic_similarity.max-drop", "10", "llmjudge.gate.max-drop", "1"),
                Map.of("LLMJUDGE_GATE_FAITHFULNESS_MAX_DROP", "2"));

        assertThat(config.gates().forMetric("semantic_similarity")).isEqualTo(new MetricGate(Optional.empty(), Optional.empty(),
                Optional.of(10)));
        assertThat(config.gates().forMetric("faithfulness").maxDrop()).contains(2);
        assertThat(config.gates().forMetric("answer_similarity").maxDrop()).isEmpty();
        assertThat(config.gates().maxDrop()).contains(1);
        assertThatThrownBy(() -> resolve(Map.of("llmjudge.gate.semantic_similarity.max-drop", "0"), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("invalid value '0' for llmjudge.gate.semantic_similarity.max-drop: expected a whole number of at least 1 (set"
                        + " by -Dllmjudge.gate.semantic_similarity.max-drop, junit-platform.properties or"
                        + " LLMJUDGE_GATE_SEMANTIC_SIMILARITY_MAX_DROP)");
        assertThatThrownBy(() -> resolve(Map.of(), Map.of("LLMJUDGE_GATE_SEMANTIC_SIMILARITY_MAX_DROP", "ten")))
                .hasMessageStartingWith("invalid value 'ten' for llmjudge.gate.semantic_similarity.max-drop: expected a whole number of"
                        + " at least 1");
        assertThatThrownBy(() -> resolve(Map.of("llmjudge.gate.semantic_similarity.max-dorp", "10"), Map.of()))
                .hasMessageEndingWith("; did you mean llmjudge.gate.semantic_similarity.max-drop?");
    }

    @Test
    void should_list_the_metric_gate_keys_of_parameters_and_environment_with_their_metric() {
        ConfigSources sources = ConfigSources.of(Map.of("llmjudge.gate.answer_similarty.min-mean", "3.5", "llmjudge.gate.max-drop", "1",
                "llmjudge.cache.mode", "replay"), Map.of("LLMJUDGE_GATE_FAITHFULNESS_MAX_DROP", "2", "LLMJUDGE_GATE_MAXDROP", "2", "PATH", "/bin"));

        assertThat(LlmJudgeConfig.metricGateKeys(sources)).containsExactly(
                Map.entry("llmjudge.gate.answer_similarty.min-mean", "answer_similarty"),
                Map.entry("llmjudge.gate.faithfulness.max-drop", "faithfulness"));
    }

    @Test
    void should_refuse_an_unknown_key_among_keys_a_launcher_lists_and_leave_other_keys_alone() {
        LlmJudgeConfig.checkKeys(Set.of("llmjudge.cache.mode", "llmjudge.gate.faithfulness.min-mean", "junit.jupiter.execution.parallel.enabled",
                "llmjudge-fixtures"));

        assertThatThrownBy(() -> LlmJudgeConfig.checkKeys(Set.of("llmjudge.cache.mode", "llmjudge.gate.min-passrate")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("unknown configuration key 'llmjudge.gate.min-passrate': the keys are")
                .extracting(e -> ((ConfigurationException) e).key()).isEqualTo("llmjudge.gate.min-passrate");
    }

    @Test
    void should_read_the_baseline_run_id_and_max_drop() {
        LlmJudgeConfig config = resolve(Map.of("llmjudge.report.baseline", "baseline/report.json", "llmjudge.gate.max-drop", "2"),
                Map.of("LLMJUDGE_REPORT_RUN_ID", "ci-1234"));

        assertThat(config.report().baseline()).contains(Path.of("baseline/report.json"));
        assertThat(config.gates().maxDrop()).hasValue(2);
        assertThat(config.report().runId()).contains("ci-1234");
        assertThat(resolve(Map.of(), Map.of()).gates().maxDrop()).isEmpty();
        assertThatThrownBy(() -> resolve(Map.of("llmjudge.gate.max-drop", "0"), Map.of()))
                .hasMessageStartingWith("invalid value '0' for llmjudge.gate.max-drop: expected a whole number of at least 1");
    }
}
