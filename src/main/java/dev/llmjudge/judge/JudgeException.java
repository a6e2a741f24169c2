package dev.llmjudge.judge;

import dev.llmjudge.internal.Secrets;

/**
 * The judge could not give a verdict. A test that meets this ERRORS: it is never a pass and
 * never an assertion failure, nothing is cached and reports count it as an error.
 *
 * <p>The message says what happened and what to do about it. It never contains an API key.
 */
public class JudgeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why no verdict could be had. */
    public enum Reason {
        /** The judge cannot be set up as configured (a malformed endpoint, a missing embedding model). */
        NOT_CONFIGURED,
        /** No API key for the judge; with {@code llmjudge.judge.missing-key=skip} the test is skipped instead. */
        MISSING_KEY,
        /** The endpoint rejected the key (401) or the key lacks access (403). */
        AUTHENTICATION,
        /** The model or the endpoint path does not exist (404). */
        NOT_FOUND,
        /** The endpoint rejected the request as malformed (400, 422). */
        BAD_REQUEST,
        /** Rate limited (429) until the retry budget ran out. */
        RATE_LIMITED,
        /** The endpoint failed (5xx) until the retry budget ran out. */
        SERVER_ERROR,
        /** Connection refused, reset or timed out. */
        NETWORK,
        /** The reply held no valid verdict (not JSON, no score, score out of range, several different verdicts, refusal, truncated). */
        INVALID_REPLY,
        /**
         * {@code llmjudge.judge.score-by=probabilities}, and the reply gives no probabilities of the rubric's levels at its
         * score: the endpoint or model returns no {@code logprobs} (or rejects them), or no level is among the alternatives
         * at the score's token, or the metric's levels cannot be read from one token. Never the integer instead.
         */
        NO_PROBABILITIES,
        /** {@code llmjudge.cache.mode=replay} and no verdict was recorded for this case. */
        NOT_RECORDED,
        /** A verdict file exists but cannot be read. */
        CORRUPT_CACHE,
        /** The cache directory cannot be read or written. */
        CACHE_IO,
        /** A configured run budget (calls or tokens) is spent. */
        BUDGET_EXHAUSTED,
        /** The input is larger than the judge accepts. */
        INPUT_TOO_LARGE,
        /** The check cannot be judged as written (bad input or threshold): it throws {@link IllegalArgumentException}, reported so. */
        INVALID_INPUT,
        /**
         * {@code llmjudge.cache.mode=collect}: the verdict is not recorded, and its request was written to the batch file
         * instead of being judged; the test is aborted (skipped), never passed.
         */
        COLLECTED,
        /**
         * The judge failed with an exception that is not a {@code JudgeException} (a custom {@link Judge}'s, or one the SDK
         * threw that none of the other reasons describes); the message names it, and it is never a score.
         */
        JUDGE_FAILED
    }

    private final Reason reason;
    /** Tokens the endpoint reported for replies received before the error (e.g. invalid replies). */
    private TokenUsage spent = TokenUsage.NONE;

    public JudgeException(Reason reason, String message) {
        super(Secrets.redact(message));
        this.reason = reason;
    }

    /** The message, and any message in the cause's chain, is stripped of known API keys. */
    public JudgeException(Reason reason, String message, Throwable cause) {
        super(Secrets.redact(message), Secrets.redact(cause));
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * Tokens the failed judgement was billed for: the replies received before it failed (e.g. two invalid ones) and, for
     * a verdict of several samples, those drawn before; the report counts them in the run's tokens and cost.
     */
    public TokenUsage spent() {
        return spent;
    }

    /**
     * This error as a check that shared the failed call with another gets it: the same reason, message and cause, without
     * what the call spent, which the other check's error carries, so that the report counts it once.
     */
    public JudgeException forSharedCall() {
        if (spent.equals(TokenUsage.NONE)) {
            return this;
        }
        JudgeException shared = new JudgeException(reason, getMessage(), getCause());
        shared.setStackTrace(getStackTrace());
        return shared;
    }

    /**
     * This error as the error of a check made of several calls (a retrieval's chunks, a comparison's two orders) whose calls
     * before the failed one were billed {@code earlier}: the same reason, message and cause, carrying those tokens besides
     * what the failed call spent, so that the report counts what the check cost. This exception is left as it is, since
     * another check may hold it too.
     */
    public JudgeException withEarlierCalls(TokenUsage earlier) {
        if (earlier.equals(TokenUsage.NONE)) {
            return this;
        }
        JudgeException whole = new JudgeException(reason, getMessage(), getCause());
        whole.setStackTrace(getStackTrace());
        return whole.withSpent(spent.plus(earlier));
    }

    /** Records what the failed call spent; returns this exception, to be thrown. */
    public JudgeException withSpent(TokenUsage usage) {
        this.spent = usage == null ? TokenUsage.NONE : usage;
        return this;
    }
}
