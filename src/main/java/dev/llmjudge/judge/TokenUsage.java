package dev.llmjudge.judge;

/** Tokens a judge call consumed, as the server reported them: the prompt's and the reply's. */
public record TokenUsage(long promptTokens, long completionTokens) {
    /** No tokens: a verdict that needed no language model. */
    public static final TokenUsage NONE = new TokenUsage(0, 0);

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(promptTokens + other.promptTokens, completionTokens + other.completionTokens);
    }
}
