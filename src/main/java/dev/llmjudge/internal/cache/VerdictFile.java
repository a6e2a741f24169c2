package dev.llmjudge.internal.cache;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * What a verdict file holds, bound by Jackson member by member in this order (the order
 * reviewers read in a pull request). {@code scale}, {@code case} and {@code judged_at} are
 * written for reviewers and not read back; members a reader does not know are ignored.
 *
 * @param schema always {@value VerdictStore#SCHEMA}
 * @param key the verdict's cache key, also its file name
 * @param metric the metric's name and version
 * @param judge the judge model and the sampling parameters sent
 * @param score the score
 * @param scale the rubric's lowest and highest score
 * @param justification the judge's justification
 * @param evaluationCase the fields of the case the metric reads, by their names in the prompt
 * @param usage the tokens the judge call consumed
 * @param latencyMillis how long the judge took
 * @param judgedAt when the verdict was recorded (ISO-8601, whole seconds)
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
