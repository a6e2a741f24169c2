package dev.llmjudge.internal.check;

import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.judge.Verdict;
import java.util.Objects;

/**
 * What a check came to, published once: it passed, it failed (the score is below the threshold),
 * it errored (no verdict could be had, or the check could not be judged as written), or it was
 * skipped (its test aborted, saying why). Neither an error nor a skip is ever a score.
 *
 * <pre>{@code
 * CheckRecorder.addListener(outcome -> {
 *     if (outcome instanceof CheckOutcome.Errored error) {
 *         System.err.println(error.check().metric().name() + ": " + error.message());
 *     }
 * });
 * }</pre>
 */
public sealed interface CheckOutcome {
    /** The check this is the outcome of. */
    Check check();

    /** The verdict, for a pass or a failure. */
    default Verdict verdict() {
        return null;
    }

    /**
     * The verdict met the threshold.
     *
     * @param check the check
     * @param verdict the verdict (its justification redacted)
     */
    record Passed(Check check, Verdict verdict) implements CheckOutcome {
        public Passed {
            Objects.requireNonNull(check.threshold(), "a passed check has a threshold");
            verdict = redacted(verdict);
        }
    }

    /**
     * The verdict's score is below the threshold: the test fails.
     *
     * @param check the check
     * @param verdict the verdict (its justification redacted)
     */
    record Failed(Check check, Verdict verdict) implements CheckOutcome {
        public Failed {
            Objects.requireNonNull(check.threshold(), "a failed check has a threshold");
            verdict = redacted(verdict);
        }
    }

    /**
     * No verdict: the test errors.
     *
     * @param check the check
     * @param reason why, or {@code null} for a check that never stated its threshold
     * @param message what happened and how to fix it (redacted)
     */
    record Errored(Check check, JudgeException.Reason reason, String message) implements CheckOutcome {
        public Errored {
            Objects.requireNonNull(check, "check");
            message = Secrets.redact(message);
        }
    }

    /**
     * Not judged, on purpose: the test is aborted (skipped) with the reason, so it reads neither as
     * a regression nor as a pass.
     *
     * @param check the check
     * @param reason why, and how to have it judged (redacted)
     */
    record Skipped(Check check, String reason) implements CheckOutcome {
        public Skipped {
            Objects.requireNonNull(check, "check");
            reason = Secrets.redact(reason);
        }
    }

    /** The outcome of a verdict on a check that states its threshold. */
    static CheckOutcome of(Check check, Verdict verdict) {
        return verdict.score() >= check.threshold() ? new Passed(check, verdict) : new Failed(check, verdict);
    }

    private static Verdict redacted(Verdict verdict) {
        return Objects.requireNonNull(verdict, "verdict").withJustification(Secrets.redact(verdict.justification()));
    }
}
