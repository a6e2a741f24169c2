package dev.llmjudge.runtime;

import dev.llmjudge.judge.Verdict;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.internal.openai.OpenAiJudge;
import java.time.Duration;

/**
 * A judge that keeps to a {@link Throttle}: each call waits for a free slot and for the
 * period's cap. One runtime serves every test that shares it, so parallel tests queue here
 * instead of tripping the endpoint's rate limit. Put it behind the verdict cache, so that
 * recorded verdicts never wait.
 *
 * <p>A call holds its slot through its own retries; the retries are paced by backoff and the
 * server's {@code Retry-After}.
 *
 * <pre>{@code
 * Judge judge = new ThrottledJudge(new OpenAiJudge(settings), 4, 60, Duration.ofMinutes(1));
 * }</pre>
 */
final class ThrottledJudge implements Judge {
    private final Judge delegate;
    private final Throttle throttle;

    /** A judge with a throttle of its own; see {@link Throttle#Throttle(int, int, Duration)}. */
    public ThrottledJudge(Judge delegate, int maxConcurrency, int maxCallsPerPeriod, Duration period) {
        this(delegate, new Throttle(maxConcurrency, maxCallsPerPeriod, period));
    }

    /** A judge that shares {@code throttle} with other judges. */
    public ThrottledJudge(Judge delegate, Throttle throttle) {
        this.delegate = delegate;
        this.throttle = throttle;
    }

    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        return delegate.fingerprint(request);
    }

    @Override
    public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
        try (Throttle.Permit permit = throttle.acquire()) {
            return delegate.judge(request, fingerprint);
        }
    }
}
