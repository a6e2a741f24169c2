package dev.llmjudge.judge;

import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.Metric;
import java.util.Objects;

/**
 * A metric and the case it grades. Construction checks that every field the metric reads is
 * present and not blank, so bad input fails before any request is sent.
 *
 * @param metric the metric to apply
 * @param evaluationCase the case to grade
 */
public record JudgeRequest(Metric metric, EvaluationCase evaluationCase) {
    public JudgeRequest {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(evaluationCase, "evaluationCase");
        for (Field field : metric.requiredFields()) {
            String value = evaluationCase.get(field);
            if (value == null) {
                throw new IllegalArgumentException("metric '" + metric.name() + "' needs the " + field.label()
                        + ", but it is null: pass the " + field.label() + " of this case");
            }
            if (value.isBlank()) {
                throw new IllegalArgumentException("metric '" + metric.name() + "' needs the " + field.label()
                        + ", but it is blank: a blank " + field.label() + " cannot be judged");
            }
        }
    }
}
