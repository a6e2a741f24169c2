package dev.llmjudge.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A bound on judged quality, checked after the last test of the class (on a class) or of the
 * method and all its invocations (on a {@code @ParameterizedTest} method, e.g. one fed by a
 * {@link JudgeDataset}). A gate that is not met fails the class with an {@link AssertionError}
 * naming the metric, the figure and the bound:
 *
 * <pre>
 * quality gate failed for SupportBotTest: mean answer_similarity 3.20 is below 3.5 (10 scored, 1 error)
 * </pre>
 *
 * <pre>{@code
 * @LlmJudgeTest(samples = 5)
 * @QualityGate(metric = "answer_similarity", minMean = 3.5, minPassRate = 0.9)
 * @QualityGate(metric = "faithfulness", minPassRate = 1.0)
 * @QualityGate(maxUnstable = "10%")   // of every metric's judged checks
 * class SupportBotTest { ... }
 * }</pre>
 *
 * <p>The pass rate counts judge errors in its denominator. A gate whose metric was never checked
 * by a class that made checks fails too, so a misspelt name cannot pass silently; so does a gate on
 * a method that ran (was neither disabled nor aborted) and made no check of its metric, and a gate
 * on a class all of whose tests (those of its {@code @Nested} classes too) ran and made no check.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(QualityGates.class)
public @interface QualityGate {
    /** The metric's name, e.g. {@code "answer_similarity"}; empty (the default): every metric, for {@link #maxUnstable()} alone. */
    String metric() default "";

    /**
     * The lowest acceptable mean score, on the metric's scale; {@code NaN} (the default): no bound on the mean. A bound at or
     * below the lowest score of the scale (e.g. {@code 0.9} on a scale from 1 to 5) could never fail, and fails the class
     * with an {@code ExtensionConfigurationException}.
     */
    double minMean() default Double.NaN;

    /** The lowest acceptable pass rate, from 0 to 1 (e.g. {@code 0.9}); {@code NaN} (the default): no bound. */
    double minPassRate() default Double.NaN;

    /**
     * The most unstable checks (samples on both sides of the threshold): a count, e.g. {@code "2"},
     * or a share of the judged checks, e.g. {@code "10%"}; empty (the default): no bound. The failure
     * names each unstable check with its sample scores.
     */
    String maxUnstable() default "";
}
