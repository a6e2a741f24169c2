package dev.llmjudge.runtime;

import dev.llmjudge.internal.Closing;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;

/**
 * The LLM judge kept to the run's {@link RunBudget} and {@link Throttle}: a call is admitted by
 * the budget (before it waits for a slot), then waits for the throttle, and its spending is
 * booked. It sits behind the verdict cache, so recorded verdicts never wait and cost nothing; a
 * call holds its slot through its own retries, and stops waiting for its turn under the period's
 * cap when the run's judge begins closing. A failure that is not a {@link JudgeException} (a
 * custom judge's) is reported as one, {@link JudgeException.Reason#JUDGE_FAILED}.
 */
final class GuardedJudge implements Judge {
    private final Judge delegate;
    private final RunBudget budget;
    private final Throttle throttle;
    /** The closing of the run's judge, which ends a wait for the throttle: the throttle may be shared with other runtimes. */
    private final Closing closing;

    GuardedJudge(Judge delegate, RunBudget budget, Throttle throttle, Closing closing) {
        this.delegate = delegate;
        this.budget = budget;
        this.throttle = throttle;
        this.closing = closing;
    }

    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        return delegate.fingerprint(request);
    }

    @Override
    public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
        long estimate = budget.admit(request, fingerprint);
        Throttle.Permit permit;
        try {
            permit = throttle.acquire(closing);
        } catch (RuntimeException | Error e) {
            // Interrupted, or closed, while waiting for a slot: nothing was sent, so nothing was spent.
            budget.withdrawn(estimate);
            throw e;
        }
        Verdict verdict;
        try (permit) {
            verdict = delegate.judge(request, fingerprint);
        } catch (JudgeException e) {
            budget.failed(estimate, e.spent());
            throw e;
        } catch (RuntimeException e) {
            budget.failed(estimate, TokenUsage.NONE);
            // Every failure a check sees is a JudgeException: reported as an error row, its message masked of known keys.
            throw new JudgeException(JudgeException.Reason.JUDGE_FAILED, "the judge failed with " + e.getClass().getName() + ": "
                    + e.getMessage() + " (no verdict; the check is an error, never a score)", e);
        } catch (Error e) {
            budget.failed(estimate, TokenUsage.NONE);
            throw e;
        }
        budget.succeeded(estimate, verdict.usage());
        return verdict;
    }
}
