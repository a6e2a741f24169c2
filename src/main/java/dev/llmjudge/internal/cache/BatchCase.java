package dev.llmjudge.internal.cache;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What recording the reply to one collected batch request needs beside the request itself: the
 * verdict's cache key (the request's {@code custom_id}), the metric's name, version, scale and
 * fields, the case (redacted, as its verdict file shows it), the model and the parameters sent,
 * and how the reply is read (choices, probabilities). One line of {@code cases.jsonl} each.
 *
 * @param customId the verdict's cache key, also the batch request's {@code custom_id}
 * @param metric the metric's name
 * @param metricVersion the metric's version
 * @param minScore the lowest level of the metric's rubric
 * @param maxScore the highest level of the metric's rubric
 * @param fields the fields the metric reads, by their JSON names
 * @param evaluationCase the case, field by field, redacted
 * @param model the judge model the request names
 * @param parameters the parameters the request sends, as a verdict records them
 * @param choices the choices the request asks for ({@code n}), each a sample
 * @param topLogprobs the alternatives per token asked for when scored by probabilities, else 0
 */
public record BatchCase(
        @JsonProperty("custom_id") String customId,
        String metric,
        @JsonProperty("metric_version") String metricVersion,
        @JsonProperty("min_score") int minScore,
        @JsonProperty("max_score") int maxScore,
        List<String> fields,
        @JsonProperty("case") Map<String, String> evaluationCase,
        String model,
        Map<String, Object> parameters,
        int choices,
        @JsonProperty("top_logprobs") int topLogprobs) {

    /** The case of {@code request}, collected under {@code key}, with what its request sends. */
    static BatchCase of(String key, JudgeRequest request, BatchCollector.Entry entry) {
        List<String> fields = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (Field field : Field.values()) {
            if (request.metric().requires(field)) {
                fields.add(field.jsonName());
                values.put(field.jsonName(), request.evaluationCase().get(field));
            }
        }
        Metric m = request.metric();
        return new BatchCase(key, m.name(), m.version(), m.minScore(), m.maxScore(), fields, values, entry.model(), entry.parameters(),
                entry.choices(), entry.topLogprobs());
    }

    /**
     * A stand-in for the collected metric, enough to read a reply and record its verdict: its name, version, scale and
     * fields (not its definition, rubric texts or examples, which the collected request already holds).
     */
    public Metric asMetric() {
        Metric.Builder builder = Metric.builder(metric).version(metricVersion).definition("the metric '" + metric + "' as collected for batch judging");
        for (int level = minScore; level <= maxScore; level++) {
            builder.level(level, "level " + level);
        }
        for (String name : fields) {
            for (Field field : Field.values()) {
                if (field.jsonName().equals(name)) {
                    builder.requires(field);
                }
            }
        }
        return builder.build();
    }

    /** The collected request, as far as recording its verdict needs it (the metric stand-in and the case). */
    public JudgeRequest asRequest() {
        EvaluationCase c = EvaluationCase.ofAnswer(value(Field.ANSWER));
        if (evaluationCase.containsKey(Field.QUESTION.jsonName())) {
            c = c.withQuestion(value(Field.QUESTION));
        }
        if (evaluationCase.containsKey(Field.GROUND_TRUTH.jsonName())) {
            c = c.withGroundTruth(value(Field.GROUND_TRUTH));
        }
        if (evaluationCase.containsKey(Field.CONTEXT.jsonName())) {
            c = c.withContext(value(Field.CONTEXT));
        }
        return new JudgeRequest(asMetric(), c);
    }

    private String value(Field field) {
        return evaluationCase.get(field.jsonName());
    }
}
