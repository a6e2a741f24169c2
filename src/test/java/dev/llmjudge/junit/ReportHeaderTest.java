package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.config.ConfigSources;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.report.RunHeader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a run's report.json says about the run: its id and shard, and the judge settings, the endpoint by its host alone. */
class ReportHeaderTest {

    private static RunHeader header(Map<String, String> parameters, Map<String, String> environment) {
        return LlmJudgeReportListener.header(LlmJudgeConfig.resolve(ConfigSources.of(parameters, environment)), environment);
    }

    @Test
    void should_name_the_shard_in_the_run_id_and_record_the_configured_judge() {
        RunHeader header = header(Map.of("llmjudge.shard", "2/3", "llmjudge.report.run-id", "4711-1", "llmjudge.judge.model", "gpt-4.1-mini",
                "llmjudge.judge.temperature", "0.2", "llmjudge.judge.seed", "7", "llmjudge.judge.max-tokens", "512",
                "llmjudge.judge.samples", "5", "llmjudge.judge.on-unstable", "fail"), Map.of());

        assertThat(header.runId()).isEqualTo("run-4711-1-shard-2-of-3");
        assertThat(header.shard()).isEqualTo("2/3");
        assertThat(header.keyFormat()).isEqualTo(4);
        assertThat(header.judge()).isEqualTo(new RunHeader.JudgeSettings("gpt-4.1-mini", "api.openai.com", 0.2, 7L, 512, 5, "reply", "fail"));
        assertThat(header.mergedFrom()).isEmpty();
    }

    @Test
    void should_record_the_endpoint_by_its_host_only_never_its_path_or_credentials() {
        assertThat(header(Map.of("llmjudge.judge.base-url", "https://judge:sk-not-recorded@llm.example.com:8443/openai/deployments/x"),
                Map.of()).judge().baseUrlHost()).isEqualTo("llm.example.com");
        assertThat(header(Map.of(), Map.of("OPENAI_BASE_URL", "http://localhost:11434/v1")).judge().baseUrlHost()).isEqualTo("localhost");
        assertThat(header(Map.of("llmjudge.judge.base-url", "http://127.0.0.1:9/v1"), Map.of("OPENAI_BASE_URL", "http://localhost:11434/v1"))
                .judge().baseUrlHost()).as("the key wins over the variable").isEqualTo("127.0.0.1");
        assertThat(header(Map.of(), Map.of("OPENAI_BASE_URL", "not a url")).judge().baseUrlHost()).isEqualTo("(unreadable)");
        assertThat(header(Map.of(), Map.of()).judge().baseUrlHost()).isEqualTo("api.openai.com");
    }

    @Test
    void should_leave_the_shard_out_of_a_run_that_is_not_one() {
        RunHeader header = header(Map.of("llmjudge.report.run-id", "4711-1"), Map.of());

        assertThat(header.runId()).isEqualTo("run-4711-1");
        assertThat(header.shard()).isNull();
    }
}
