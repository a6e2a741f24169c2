package dev.llmjudge.internal.check;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import java.util.Objects;

/**
 * A judge call of this run that was billed but is in no check's report row, so that the report's tokens and cost still count
 * it: the call that wrote a metric's evaluation steps ({@code Metrics.withSteps}), a verdict judged ahead that no check
 * took (a test that skipped its dataset row, say), a verdict judged for no check ({@code LlmJudgeRuntime.judgeOutsideChecks}:
 * a calibration against human labels, a bias probe, {@code Judging.grade}), or such a call that failed after it was billed.
 * {@code what} says which, {@code metric} is the metric it was made for and {@code judgeModel} the model its tokens are
 * priced at; {@code batchId} is the provider's batch that judged it, or
 * {@code null} for a live call. {@code unreportedReplies} counts its replies whose server reported no usage
 * ({@link TokenUsage#unreportedReplies()}), whose tokens it cannot include; written only when not 0.
 */
public record CallOutsideCheck(String what, String metric, String judgeModel, long promptTokens, long cachedPromptTokens,
        long completionTokens, @JsonInclude(JsonInclude.Include.NON_NULL) String batchId,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int unreportedReplies) {

    /** What a call outside a check is for, as the report names it. */
    public static final String EVALUATION_STEPS = "evaluation steps";
    /** @see #EVALUATION_STEPS */
    public static final String JUDGED_AHEAD_UNTAKEN = "judged ahead, taken by no check";
    /** A call judged ahead that failed after its replies were billed (e.g. two invalid replies); @see #EVALUATION_STEPS */
    public static final String JUDGED_AHEAD_FAILED_UNTAKEN = "judged ahead and failed, taken by no check";

    public CallOutsideCheck {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(metric, "metric");
    }

    /** A call whose server reported the usage of every reply. */
    public CallOutsideCheck(String what, String metric, String judgeModel, long promptTokens, long cachedPromptTokens, long completionTokens,
            String batchId) {
        this(what, metric, judgeModel, promptTokens, cachedPromptTokens, completionTokens, batchId, 0);
    }

    /** The call that gave {@code verdict}, for {@code what}, priced at the verdict's judge model. */
    public static CallOutsideCheck of(String what, String metric, Verdict verdict) {
        TokenUsage usage = verdict.usage();
        return new CallOutsideCheck(what, metric, verdict.judgeModel(), usage.promptTokens(), usage.cachedPromptTokens(),
                usage.completionTokens(), verdict.batchId(), usage.unreportedReplies());
    }

    /** The call that failed with {@code failure} after it was billed, for {@code what}, priced at {@code judgeModel}. */
    public static CallOutsideCheck ofFailure(String what, String metric, JudgeException failure, String judgeModel) {
        TokenUsage spent = failure.spent();
        return new CallOutsideCheck(what, metric, judgeModel, spent.promptTokens(), spent.cachedPromptTokens(), spent.completionTokens(),
                null, spent.unreportedReplies());
    }

    /** Announces the call that gave {@code verdict}, for {@code what}, unless the verdict was replayed, not billed in this run. */
    public static void publishIfBilled(String what, String metric, Verdict verdict) {
        if (!verdict.cached()) {
            CheckRecorder.publishCall(of(what, metric, verdict));
        }
    }

    /** Announces the call that failed with {@code failure}, for {@code what}, if it was billed (e.g. for replies with no verdict). */
    public static void publishIfBilled(String what, String metric, JudgeException failure, String judgeModel) {
        if (!failure.spent().equals(TokenUsage.NONE)) {
            CheckRecorder.publishCall(ofFailure(what, metric, failure, judgeModel));
        }
    }

    /** The tokens it was billed for, prompt and reply, of the replies whose usage was reported. */
    public long tokens() {
        return promptTokens + completionTokens;
    }
}
