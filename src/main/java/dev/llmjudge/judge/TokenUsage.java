package dev.llmjudge.judge;

/**
 * Tokens a judge call consumed, as the server reported them: the prompt's, the reply's, and of the
 * prompt's those the provider read from its prompt cache ({@code usage.prompt_tokens_details.cached_tokens},
 * billed at the provider's cached rate; 0 when it reported none). {@code unreportedReplies} counts the
 * replies that came without {@code usage} (some OpenAI-compatible servers send none), with one that cannot
 * be read (a count missing, negative or not a number), or that were no chat completion at all: their tokens are
 * unknown, not 0, so the tokens here are only those of the other replies, and the report says the
 * usage was not reported instead of showing a cost.
 *
 * <pre>{@code
 * TokenUsage usage = verdict.usage();
 * long billedAtFullRate = usage.promptTokens() - usage.cachedPromptTokens();
 * if (!usage.reported()) System.out.println(usage.unreportedReplies() + " replies without usage");
 * }</pre>
 */
public record TokenUsage(long promptTokens, long completionTokens, long cachedPromptTokens, int unreportedReplies) {
    /** No tokens: a verdict that needed no language model. */
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0);
    /** One reply whose server reported no usage: its tokens are unknown. */
    public static final TokenUsage NOT_REPORTED = new TokenUsage(0, 0, 0, 1);

    public TokenUsage {
        if (unreportedReplies < 0) {
            throw new IllegalArgumentException("unreportedReplies must not be negative: " + unreportedReplies);
        }
    }

    /** Usage the server reported for every reply. */
    public TokenUsage(long promptTokens, long completionTokens, long cachedPromptTokens) {
        this(promptTokens, completionTokens, cachedPromptTokens, 0);
    }

    /** Usage without cached prompt tokens. */
    public TokenUsage(long promptTokens, long completionTokens) {
        this(promptTokens, completionTokens, 0);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /** Whether the server reported the usage of every reply, so that the tokens are all that was billed. */
    public boolean reported() {
        return unreportedReplies == 0;
    }

    public TokenUsage plus(TokenUsage other) {
        return new TokenUsage(promptTokens + other.promptTokens, completionTokens + other.completionTokens,
                cachedPromptTokens + other.cachedPromptTokens, unreportedReplies + other.unreportedReplies);
    }
}
