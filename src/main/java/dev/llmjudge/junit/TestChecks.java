package dev.llmjudge.junit;

import dev.llmjudge.internal.Texts;
import dev.llmjudge.assertj.JudgedSoftAssertions;
import dev.llmjudge.internal.check.Check;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.internal.report.ReportRow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** When a test ends: checks left without a threshold become errors, checks become report entries, soft assertions are asserted. */
final class TestChecks {
    /** Justifications and errors in report entries are shortened to this many characters. */
    static final int ENTRY_TEXT_LIMIT = 200;

    private TestChecks() {
    }

    /** Publishes the checks left without a threshold on this thread as errors; the test's message, or {@code null} for none. */
    static String publishMissingThresholds(CheckRecorder.TestIdentity test) {
        List<CheckRecorder.PendingCheck> pending = CheckRecorder.drainPending();
        for (CheckRecorder.PendingCheck check : pending) {
            // A check begun on a pairwise metric is a comparison: AnswerAssert refuses one otherwise.
            Check made = new Check(test, CheckRecorder.nextOrdinal(test, check.metric().name()), check.description(), check.metric(),
                    check.evaluationCase(), null, check.metric().pairwise());
            CheckRecorder.publish(new CheckOutcome.Errored(made, null, CheckRecorder.missingThreshold(List.of(check))));
        }
        return pending.isEmpty() ? null : CheckRecorder.missingThreshold(pending);
    }

    /** Fails the test for its missing thresholds, with its soft failures suppressed in that, or else for the soft failures. */
    static void fail(String missingThresholds, JudgedSoftAssertions softly) {
        AssertionError softFailure = null;
        if (softly != null) {
            try {
                softly.assertAll();
            } catch (AssertionError e) {
                softFailure = e;
            }
        }
        if (missingThresholds != null) {
            AssertionError error = new AssertionError(missingThresholds);
            if (softFailure != null) {
                error.addSuppressed(softFailure);
            }
            throw error;
        }
        if (softFailure != null) {
            throw softFailure;
        }
    }

    static Map<String, String> entry(ReportRow r) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("metric", r.metric());
        entry.put("outcome", r.outcome());
        if (r.scored()) {
            entry.put("score", String.valueOf(r.score()));
        }
        if (r.weightedScore() != null) {
            entry.put("weightedScore", String.valueOf(r.weightedScore()));
        }
        if (r.threshold() != null) {
            entry.put("threshold", String.valueOf(r.threshold()));
        }
        if (r.sampled()) {
            entry.put("samples", r.samplesText());
        }
        if (r.probabilitiesText() != null) {
            entry.put("probabilities", r.probabilitiesText());
        }
        if (r.unstable()) {
            entry.put("unstable", "true");
        }
        if (r.scored()) {
            entry.put("model", r.judgeModel());
            entry.put("cached", String.valueOf(r.cached()));
            entry.put("justification", Texts.oneLine(r.justification(), ENTRY_TEXT_LIMIT));
        } else if (r.errorMessage() != null) {
            entry.put("error", Texts.oneLine(r.errorMessage(), ENTRY_TEXT_LIMIT));
        }
        if (r.description() != null) {
            entry.put("description", Texts.oneLine(r.description(), ENTRY_TEXT_LIMIT));
        }
        return entry;
    }
}
