package dev.llmjudge.internal.check;

import dev.llmjudge.internal.Secrets;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import java.util.List;
import java.util.Objects;

/**
 * What a check came to, published once: passed, failed (below its threshold, or unstable under
 * {@code llmjudge.judge.on-unstable=fail}), errored (no verdict, or not judgeable as written) or
 * skipped (its test aborted). Neither an error nor a skip is ever a score; every text is redacted.
 * A check is unstable when its verdict's samples fall on both sides of its threshold: a mark on
 * the outcome, which still passes or fails by the median. Both compare the verdict's effective
 * score ({@link Verdict#effectiveScore()}): the weighted score of a verdict scored by
 * probabilities, else the integer the judge wrote, with the threshold's effective threshold
 * ({@link Verdict#effectiveThreshold(int)}: the midpoint for a pass/fail rubric scored by
 * probabilities, else the threshold itself).
 */
public sealed interface CheckOutcome {
    Check check();

    /** The verdict, for a pass or a failure. */
    default Verdict verdict() {
        return null;
    }

    /** The samples of the verdict, for a pass or a failure, or of the verdict not trusted, for an unstable check aborted; else {@code null}. */
    default Sampling sampling() {
        return verdict() == null ? null : verdict().sampling();
    }

    /** Whether the samples of the check's verdict fall on both sides of its threshold. */
    default boolean unstable() {
        return verdict() != null && verdict().unstableAt(check().threshold());
    }

    /** The scores of the verdict's samples, in the order drawn; none without a verdict. */
    default List<Integer> sampleScores() {
        return sampling() == null ? List.of() : sampling().scores();
    }

    /** Made by {@link #of}, which redacts the justifications. */
    record Passed(Check check, Verdict verdict) implements CheckOutcome {
    }

    /** Made by {@link #of}, which redacts the justifications; also a check that failed only for being unstable. */
    record Failed(Check check, Verdict verdict) implements CheckOutcome {
        /** Whether the effective score is below the effective threshold; if not, the check failed for being unstable. */
        public boolean belowThreshold() {
            return !verdict.meets(check.threshold());
        }
    }

    /**
     * No verdict: the test errors; {@code reason} is {@code null} for a check that never stated its threshold. {@code spent}
     * is what the failed call was billed for (e.g. two invalid replies), at the prices of {@code judgeModel}, the model
     * asked ({@code null} when nothing was spent).
     */
    record Errored(Check check, JudgeException.Reason reason, String message, TokenUsage spent, String judgeModel) implements CheckOutcome {
        public Errored {
            Objects.requireNonNull(check, "check");
            message = Secrets.redact(message);
            spent = spent == null ? TokenUsage.NONE : spent;
        }

        /** An error that spent nothing, e.g. a check not judgeable as written. */
        public Errored(Check check, JudgeException.Reason reason, String message) {
            this(check, reason, message, TokenUsage.NONE, null);
        }
    }

    /**
     * Not judged, or judged and not trusted, on purpose: the test is aborted with the reason, so it
     * reads neither as a regression nor as a pass. {@code unstableSampling} holds the samples of an
     * unstable verdict aborted ({@code llmjudge.judge.on-unstable=abort}), and is {@code null} otherwise.
     */
    record Skipped(Check check, String reason, Sampling unstableSampling) implements CheckOutcome {
        public Skipped {
            Objects.requireNonNull(check, "check");
            reason = Secrets.redact(reason);
        }

        /** A check not judged. */
        public Skipped(Check check, String reason) {
            this(check, reason, null);
        }

        @Override
        public Sampling sampling() {
            return unstableSampling;
        }

        @Override
        public boolean unstable() {
            return unstableSampling != null;
        }
    }

    /**
     * The outcome of a check whose judging failed with {@code error}: what the call spent is at the prices of the model the
     * check's metric names, else of {@code configuredModel}, the judge model of the run.
     */
    public static Errored of(Check check, JudgeException error, String configuredModel) {
        return new Errored(check, error.reason(), error.getMessage(), error.spent(), check.metric().model().orElse(configuredModel));
    }

    /** The outcome of a verdict on a check that states its threshold, by its effective score: the median of its samples'. */
    public static CheckOutcome of(Check check, Verdict verdict) {
        Verdict redacted = verdict.withJustifications(Secrets::redact);
        return verdict.meets(check.threshold()) ? new Passed(check, redacted) : new Failed(check, redacted);
    }
}
