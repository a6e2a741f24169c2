package dev.llmjudge.runtime;

import dev.llmjudge.judge.Verdict;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.internal.openai.OpenAiJudge;

/**
 * A judge that keeps to a {@link RunBudget}: it rejects an oversized prompt and refuses calls
 * once the run's budget is spent, both before any request, and books what each call spent.
 * Put it behind the verdict cache, so that recorded verdicts cost nothing.
 *
 * <pre>{@code
 * RunBudget budget = RunBudget.builder().maxCalls(100).build();
 * Judge judge = new BudgetedJudge(new OpenAiJudge(settings), budget);
 * }</pre>
 */
final class BudgetedJudge implements Judge {
    private final Judge delegate;
    private final RunBudget budget;

    public BudgetedJudge(Judge delegate, RunBudget budget) {
        this.delegate = delegate;
        this.budget = budget;
    }

    public RunBudget budget() {
        return budget;
    }

    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        return delegate.fingerprint(request);
    }

    @Override
    public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
        long estimate = budget.admit(request, fingerprint);
        Verdict verdict;
        try {
            verdict = delegate.judge(request, fingerprint);
        } catch (RuntimeException | Error e) {
            budget.failed(estimate, e instanceof JudgeException judgeError ? judgeError.spent() : TokenUsage.NONE);
            throw e;
        }
        budget.succeeded(estimate, verdict.usage());
        return verdict;
    }
}
