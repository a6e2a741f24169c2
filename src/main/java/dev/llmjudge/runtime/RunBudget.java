package dev.llmjudge.runtime;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.openai.TokenCounter;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.metric.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the judge may spend in one run, and what it has spent (verdicts read from the cache are
 * free): a prompt larger than {@code maxInputTokens} errors {@link Reason#INPUT_TOO_LARGE} before
 * any request; past {@code maxCalls}, or when the tokens spent and in progress and its prompt would
 * pass {@code maxTokens}, a call errors {@link Reason#BUDGET_EXHAUSTED}. A failed call still counts.
 *
 * <pre>{@code
 * RunBudget budget = RunBudget.builder().maxCalls(200).maxTokens(500_000).build();
 * LlmJudgeRuntime runtime = LlmJudgeRuntime.builder().config(LlmJudgeConfig.fromEnvironment()).budget(budget).build();
 * // ... after the run:
 * RunBudget.Spent spent = budget.spent();
 * System.out.println(spent.calls() + " calls, " + spent.totalTokens() + " tokens");
 * }</pre>
 */
public final class RunBudget {
    private static final System.Logger LOG = System.getLogger(RunBudget.class.getName());
    /**
     * What was spent so far (a call's retries are one call), the checks refused, and the limits
     * ({@code null}: none). Where the server reported no usage for a reply, its prompt tokens are
     * estimated when the prompt was counted (always under {@code maxTokens}), and its reply tokens are
     * not counted.
     */
    public record Spent(long calls, long failedCalls, long refusedCalls, long promptTokens, long completionTokens, Long maxCalls,
            Long maxTokens, int maxInputTokens) {
        public long totalTokens() {
            return promptTokens + completionTokens;
        }
    }

    private final Long maxCalls;
    private final Long maxTokens;
    private final int maxInputTokens;
    private long calls;
    private long failedCalls;
    private long refusedCalls;
    private long promptTokens;
    private long completionTokens;
    private long reservedTokens;
    private boolean warnedOfUnreportedUsage;

    private RunBudget(Long maxCalls, Long maxTokens, int maxInputTokens) {
        if (maxCalls != null && maxCalls < 1 || maxTokens != null && maxTokens < 1 || maxInputTokens < 1) {
            throw new IllegalArgumentException("budget limits must be at least 1 (leave a budget unset for no limit)");
        }
        this.maxCalls = maxCalls;
        this.maxTokens = maxTokens;
        this.maxInputTokens = maxInputTokens;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What was spent so far, consistent at one instant. */
    public synchronized Spent spent() {
        return new Spent(calls, failedCalls, refusedCalls, promptTokens, completionTokens, maxCalls, maxTokens, maxInputTokens);
    }

    /** Admits one call, or throws; returns the prompt's token count when it was counted, else 0. */
    long admit(JudgeRequest request, JudgeFingerprint fingerprint) {
        long tokens = 0;
        if (TokenCounter.upperBound(fingerprint.messages()) > maxInputTokens || maxTokens != null) {
            TokenCounter counter = TokenCounter.forModel(fingerprint.model());
            tokens = counter.count(fingerprint.messages());
            if (tokens > maxInputTokens) {
                throw tooLarge(request, fingerprint, counter, tokens);
            }
        }
        synchronized (this) {
            if (maxCalls != null && calls >= maxCalls) {
                refusedCalls++;
                throw new JudgeException(Reason.BUDGET_EXHAUSTED, "the run's judge budget is spent: " + calls
                        + " judge calls were made and llmjudge.budget.max-calls is " + maxCalls + ", so this check on metric '"
                        + request.metric().name() + "' was not judged. Verdicts already recorded are free: run again to judge the"
                        + " rest with a new budget, or raise llmjudge.budget.max-calls.");
            }
            long committed = promptTokens + completionTokens + reservedTokens;
            if (maxTokens != null && committed + tokens > maxTokens) {
                refusedCalls++;
                throw new JudgeException(Reason.BUDGET_EXHAUSTED, "the run's token budget would be exceeded: "
                        + (promptTokens + completionTokens) + " tokens spent" + (reservedTokens > 0 ? " and " + reservedTokens
                        + " in calls in progress" : "") + ", this prompt needs " + tokens + ", and llmjudge.budget.max-tokens is "
                        + maxTokens + ", so this check on metric '" + request.metric().name() + "' was not judged. Verdicts already"
                        + " recorded are free: run again to judge the rest with a new budget, or raise llmjudge.budget.max-tokens.");
            }
            calls++;
            reservedTokens += tokens;
        }
        return tokens;
    }

    /**
     * Books a call that gave a verdict; {@code estimate} stands in for the prompt tokens of each reply the server reported no
     * usage for, and for those of a judge that reports none at all.
     */
    synchronized void succeeded(long estimate, TokenUsage usage) {
        reservedTokens -= estimate;
        long prompt = usage.promptTokens() + estimate * usage.unreportedReplies();
        promptTokens += prompt > 0 ? prompt : estimate;
        completionTokens += usage.completionTokens();
        warnOnceIfUnreported(usage);
    }

    /** Takes back a call admitted but never sent (it was interrupted while waiting for a judge slot). */
    synchronized void withdrawn(long estimate) {
        reservedTokens -= estimate;
        calls--;
    }

    /**
     * Books a call that ended in an error, with the tokens of the replies it received before the error; {@code estimate}
     * stands in for the prompt tokens of each of them the server reported no usage for.
     */
    synchronized void failed(long estimate, TokenUsage spent) {
        reservedTokens -= estimate;
        failedCalls++;
        promptTokens += spent.promptTokens() + estimate * spent.unreportedReplies();
        completionTokens += spent.completionTokens();
        warnOnceIfUnreported(spent);
    }

    /** Under a token budget, warns once that the replies the server reported no usage for are counted only in part. */
    private void warnOnceIfUnreported(TokenUsage usage) {
        if (maxTokens == null || usage.reported() || warnedOfUnreportedUsage) {
            return;
        }
        warnedOfUnreportedUsage = true;
        LOG.log(System.Logger.Level.WARNING, "llm-judge: the judge server reported no token usage (usage) in its reply:"
                + " llmjudge.budget.max-tokens counts the prompt of each such reply by an estimate and its reply tokens are not"
                + " counted, so the run may spend more tokens than the budget says.");
    }

    private JudgeException tooLarge(JudgeRequest request, JudgeFingerprint fingerprint, TokenCounter counter, long tokens) {
        List<String> sizes = new ArrayList<>();
        for (Field field : request.metric().requiredFields()) {
            String value = request.evaluationCase().get(field);
            sizes.add("the " + field.label() + " is " + String.format(Locale.ROOT, "%,d", value.length()) + " characters");
        }
        return new JudgeException(Reason.INPUT_TOO_LARGE, "the prompt for metric '" + request.metric().name() + "' is "
                + String.format(Locale.ROOT, "%,d", tokens) + " tokens (" + counter.encodingName() + " for model '" + fingerprint.model()
                + "'), more than llmjudge.judge.max-input-tokens = " + maxInputTokens + " (" + String.join(", ", sizes)
                + "). Nothing was sent. Shorten the input, or raise llmjudge.judge.max-input-tokens if the judge model's context"
                + " window holds it.");
    }

    /** Builds a {@link RunBudget}; every limit but the prompt bound is unset by default. */
    public static final class Builder {
        private Long maxCalls;
        private Long maxTokens;
        private int maxInputTokens = LlmJudgeConfig.defaults().judge().maxInputTokens();

        private Builder() {
        }

        /** Most judge calls in the run. Default: no limit. */
        public Builder maxCalls(long maxCalls) {
            this.maxCalls = maxCalls;
            return this;
        }

        /** Most tokens, prompt and reply, in the run. Default: no limit. */
        public Builder maxTokens(long maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /** Largest prompt in tokens. Default: that of {@value LlmJudgeConfig#JUDGE_MAX_INPUT_TOKENS}. */
        public Builder maxInputTokens(int maxInputTokens) {
            this.maxInputTokens = maxInputTokens;
            return this;
        }

        public RunBudget build() {
            return new RunBudget(maxCalls, maxTokens, maxInputTokens);
        }
    }
}
