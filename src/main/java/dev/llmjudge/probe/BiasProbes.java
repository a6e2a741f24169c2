package dev.llmjudge.probe;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.internal.Arguments;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.runtime.LlmJudgeRuntime;

/**
 * Bias probes: ordinary tests that a team runs on its own judge and rubric with its own cases. Each
 * probe judges every case as it is and rewritten in a way that should not change its score, and
 * fails when the score moves by one level or more in more pairs than allowed:
 *
 * <pre>{@code
 * import static dev.llmjudge.probe.BiasProbes.assertThatMetric;
 *
 * List<EvaluationCase> cases = List.of(
 *     EvaluationCase.ofAnswer("Refunds are possible within 30 days.").withGroundTruth("Refunds within 30 days of delivery."),
 *     EvaluationCase.ofAnswer("We ship to Canada.").withGroundTruth("We ship to Canada and Mexico."));
 *
 * assertThatMetric(Metrics.answerSimilarity()).onCases(cases)
 *     .isNotSwayedByVerbosity()      // padded with neutral filler, no pair may score higher
 *     .isNotSwayedByFormat();        // as bullets and with extra white space, no pair may score otherwise
 *
 * assertThatMetric(Metrics.answerSimilarity()).onCases(cases)
 *     .allowingShare(0.1)            // up to 10% of the pairs may move
 *     .isNotSwayedByVerbosity(Rewrite.padding(List.of("Great question!"), List.of("Hope that helps!")));
 * }</pre>
 *
 * The verdicts go through the runtime current when {@code assertThatMetric} is called, like any
 * check's: recorded and replayed, within the budget and the throttle. A judge that gives no
 * verdict errors the probe with a {@code JudgeException}; it is never a score. Probes publish no
 * report rows: the rewritten answers would mix into the metric's figures and gates.
 */
public final class BiasProbes {
    private BiasProbes() {
    }

    /** Starts a probe of {@code metric} as the current runtime judges it ({@link LlmJudgeRuntime#current()}). */
    @CheckReturnValue
    public static ProbedMetric assertThatMetric(Metric metric) {
        return assertThatMetric(metric, LlmJudgeRuntime.current());
    }

    /**
     * Starts a probe of {@code metric} as {@code runtime} judges it, whatever thread it runs on.
     *
     * @throws IllegalArgumentException for a {@code null} metric or runtime
     */
    @CheckReturnValue
    public static ProbedMetric assertThatMetric(Metric metric, LlmJudgeRuntime runtime) {
        return new ProbedMetric(Arguments.requireMetric(metric, "assertThatMetric(null)", "e.g. Metrics.answerSimilarity() or one built"
                + " with Metric.builder"), Arguments.requireArgument(runtime, "assertThatMetric(metric, null)", "runtime",
                Arguments.RUNTIME_INSTEAD + "; or leave it out, assertThatMetric(metric), to judge with the current one"));
    }
}
