package dev.llmjudge.config;

import java.util.Locale;

/**
 * What a check's score is ({@code llmjudge.judge.score-by}): the integer the judge wrote, or the
 * probability-weighted mean of the rubric's levels at the token that holds it (G-Eval).
 *
 * <pre>{@code
 * LlmJudgeConfig config = LlmJudgeConfig.fromEnvironment()
 *     .with(ConfigOverrides.builder().scoreBy(ScoreBy.PROBABILITIES).build());
 * }</pre>
 */
public enum ScoreBy {
    /** The integer the judge wrote in its reply. The default. */
    REPLY,
    /**
     * The probability-weighted mean over the rubric's levels, read from the log probabilities of the
     * alternatives at the token that holds the score; a reply without them is an error, never the
     * integer instead.
     */
    PROBABILITIES;

    /** The value as written in configuration, e.g. {@code probabilities}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
