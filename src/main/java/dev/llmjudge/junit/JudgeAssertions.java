package dev.llmjudge.junit;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.internal.Arguments;
import dev.llmjudge.metric.Metric;

/**
 * The entry point for checks of the judge itself: does it agree with people?
 *
 * <pre>{@code
 * import static dev.llmjudge.junit.JudgeAssertions.assertThatJudge;
 *
 * @Test
 * void the_judge_agrees_with_our_graders() {
 *     assertThatJudge(Metrics.answerSimilarity())
 *         .againstHumanLabels("datasets/golden-similarity.jsonl")
 *         .hasWeightedKappaAtLeast(0.6)
 *         .hasAgreementWithinOneAtLeast(0.9);
 * }
 * }</pre>
 */
public final class JudgeAssertions {
    private JudgeAssertions() {
    }

    /**
     * Starts checks of the judge of {@code metric}, judging with the current runtime (the test class's, with the extension).
     *
     * @throws IllegalArgumentException for a {@code null} metric
     */
    @CheckReturnValue
    public static JudgeAssert assertThatJudge(Metric metric) {
        return new JudgeAssert(Arguments.requireMetric(metric, "assertThatJudge(null)", JudgeAssert.METRIC_INSTEAD));
    }
}
