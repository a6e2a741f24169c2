package dev.llmjudge.internal.cache;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What a verdict file holds, member by member in the order reviewers read it in a pull request;
 * {@code scale}, {@code case} and {@code judged_at} are for them and not read back.
 */
@JsonIgnoreProperties(value = {"scale", "case", "judged_at"}, allowGetters = true)
record VerdictFile(
        String schema,
        String key,
        MetricVersion metric,
        JudgeUsed judge,
        Integer score,
        Scale scale,
        String justification,
        @JsonProperty("case") Map<String, String> evaluationCase,
        Usage usage,
        @JsonProperty("latency_ms") Long latencyMillis,
        @JsonProperty("judged_at") String judgedAt) {

    record MetricVersion(String name, String version) {
    }

    record JudgeUsed(String model, Map<String, Object> parameters) {
    }

    record Scale(int min, int max) {
    }

    record Usage(@JsonProperty("prompt_tokens") long promptTokens, @JsonProperty("completion_tokens") long completionTokens) {
    }
}
