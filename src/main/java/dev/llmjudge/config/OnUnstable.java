package dev.llmjudge.config;

/**
 * What a check whose samples fall on both sides of its threshold does ({@code llmjudge.judge.on-unstable}).
 *
 * <pre>{@code
 * @LlmJudgeTest(samples = 5, onUnstable = OnUnstable.ABORT)   // an unstable check aborts its test
 * class SupportBotTest { ... }
 * }</pre>
 */
public enum OnUnstable {
    /** The default of {@code @LlmJudgeTest(onUnstable = ...)}: the configured value. Never a configured or resolved value itself. */
    DEFAULT,
    /** The median decides: the check passes or fails by it, marked unstable. The default. */
    DECIDE,
    /** The check fails, even when its median meets the threshold. */
    FAIL,
    /** The test is aborted (skipped) with the reason and every sample's score: it reads neither as a pass nor as a regression. */
    ABORT
}
