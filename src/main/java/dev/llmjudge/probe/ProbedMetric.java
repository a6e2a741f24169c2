package dev.llmjudge.probe;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A metric to probe, waiting for its cases; only {@link #onCases} follows it:
 *
 * <pre>{@code
 * assertThatMetric(Metrics.answerSimilarity()).onCases(cases).isNotSwayedByVerbosity();
 * }</pre>
 */
public final class ProbedMetric {
    private final Metric metric;
    private final LlmJudgeRuntime runtime;

    ProbedMetric(Metric metric, LlmJudgeRuntime runtime) {
        this.metric = metric;
        this.runtime = runtime;
    }

    /**
     * The cases to probe with, each with every field the metric reads (e.g. the ground truth for
     * {@code answer_similarity}); the team's own cases say most about its judge.
     *
     * @throws IllegalArgumentException when there is no case, or one is null or lacks a field the metric reads
     */
    @CheckReturnValue
    public BiasProbe onCases(Collection<EvaluationCase> cases) {
        if (cases == null || cases.isEmpty()) {
            throw new IllegalArgumentException("no cases to probe " + metric.name() + " with: pass the team's own cases, e.g."
                    + " onCases(EvaluationCase.ofAnswer(answer).withGroundTruth(truth))");
        }
        return new BiasProbe(metric, runtime, new ArrayList<>(cases));
    }

    /** The same, for cases given one by one. */
    @CheckReturnValue
    public BiasProbe onCases(EvaluationCase... cases) {
        return onCases(cases == null ? List.of() : Arrays.asList(cases));
    }
}
