package dev.llmjudge.junit;

import dev.llmjudge.config.CacheMode;
import dev.llmjudge.config.OnUnstable;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Makes a test class an LLM-judged test class, with {@link LlmJudgeExtension}: its checks judge
 * with the run's configuration (or the attributes below) and its gates are checked after it.
 *
 * <pre>{@code
 * @LlmJudgeTest
 * @QualityGate(metric = "answer_similarity", minMean = 3.5, minPassRate = 0.9)
 * class SupportBotTest {
 *     @ParameterizedTest
 *     @JudgeDataset("datasets/support.jsonl")
 *     void answersLikeTheReference(DatasetRow row) {
 *         assertThatAnswer(row.answer()).isSimilarTo(row.groundTruth()).withScoreAtLeast(4);
 *     }
 *
 *     @Test
 *     void staysPolite(Judging judging) {
 *         judging.assertThatAnswer(bot.reply("You are useless")).meets("answers in a polite tone").passes();
 *     }
 * }
 * }</pre>
 *
 * Attributes left at their defaults (empty, {@link CacheMode#DEFAULT}, {@link OnUnstable#DEFAULT}, {@code 0}) leave the configured
 * value; for any other setting in code, register {@link LlmJudgeExtension#newInstance()} instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LlmJudgeExtension.class)
public @interface LlmJudgeTest {
    /** The judge model for this class, e.g. {@code "gpt-4.1-mini"}; empty: {@code llmjudge.judge.model}. */
    String model() default "";

    /** How the verdict cache is used for this class, e.g. {@link CacheMode#REPLAY}; {@link CacheMode#DEFAULT}: {@code llmjudge.cache.mode}. */
    CacheMode cacheMode() default CacheMode.DEFAULT;

    /** The directory of recorded verdicts for this class; empty: {@code llmjudge.cache.dir}. */
    String cacheDir() default "";

    /**
     * Fails the class when one of its cases scores this many points or more below the baseline
     * report ({@code llmjudge.report.baseline}); {@code 0}: {@code llmjudge.gate.max-drop} (unset: no gate).
     * A bound above the largest drop the scales of the class's metrics allow (4 from 1 to 5) fails the class.
     */
    int maxScoreDrop() default 0;

    /**
     * How many samples each verdict of this class takes, its score their median, e.g. {@code 5}
     * (a check's {@code sampled(n)} wins); {@code 0}: {@code llmjudge.judge.samples}.
     */
    int samples() default 0;

    /**
     * What a check of this class does when its samples fall on both sides of its threshold, e.g.
     * {@link OnUnstable#ABORT}; {@link OnUnstable#DEFAULT}: {@code llmjudge.judge.on-unstable}.
     */
    OnUnstable onUnstable() default OnUnstable.DEFAULT;
}
