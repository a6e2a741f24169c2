package dev.llmjudge.internal.check;

import dev.llmjudge.internal.Secrets;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.Verdict;
import java.util.Objects;

/**
 * What a check came to, published once: passed, failed (below its threshold), errored (no
 * verdict, or not judgeable as written) or skipped (its test aborted). Neither an error nor a
 * skip is ever a score; every text is redacted.
 */
public sealed interface CheckOutcome {
    Check check();

    /** The verdict, for a pass or a failure. */
    default Verdict verdict() {
        return null;
    }

    /** Made by {@link #of}, which redacts the justification. */
    record Passed(Check check, Verdict verdict) implements CheckOutcome {
    }

    /** Made by {@link #of}, which redacts the justification. */
    record Failed(Check check, Verdict verdict) implements CheckOutcome {
    }

    /** No verdict: the test errors; {@code reason} is {@code null} for a check that never stated its threshold. */
    record Errored(Check check, JudgeException.Reason reason, String message) implements CheckOutcome {
        public Errored {
            Objects.requireNonNull(check, "check");
            message = Secrets.redact(message);
        }
    }

    /** Not judged, on purpose: the test is aborted with the reason, so it reads neither as a regression nor as a pass. */
    record Skipped(Check check, String reason) implements CheckOutcome {
        public Skipped {
            Objects.requireNonNull(check, "check");
            reason = Secrets.redact(reason);
        }
    }

    /** The outcome of a verdict on a check that states its threshold. */
    public static CheckOutcome of(Check check, Verdict verdict) {
        Verdict redacted = verdict.withJustification(Secrets.redact(verdict.justification()));
        return verdict.score() >= check.threshold() ? new Passed(check, redacted) : new Failed(check, redacted);
    }
}
