package dev.llmjudge.judge;

/**
 * Tokens a judge call consumed, as the server reported them: the prompt's, the reply's, and of the
 * prompt's those the provider read from its prompt cache ({@code usage.prompt_tokens_details.cached_tokens},
 * billed at the provider's cached rate; 0 when it reported none).
 *
 * <pre>{@code
 * TokenUsage usage = verdict.usage();
 * long billedAtFullRate = usage.promptTokens() - usage.cachedPromptTokens();
 * }</pre>
 */
public record TokenUsage(long promptTokens, long completionTokens, long cachedPromptTokens) {
    /** No tokens: a verdict that needed no language model. */
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0);

    /** Usage without cached prompt tokens. */
    public TokenUsage(long promptTokens, long completionTokens) {
        this(promptTokens, completionTokens, 0);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                cachedPromptTokens + other.cachedPromptTokens);
    }
}
