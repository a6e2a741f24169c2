package dev.llmjudge.junit;

import dev.llmjudge.assertj.PendingChecks;
import dev.llmjudge.judge.CheckRecorder;
import dev.llmjudge.judge.CheckResult;
import dev.llmjudge.judge.EvaluationCase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks left without a threshold, drained from the current thread and turned into ERROR results for the report. */
final class PendingCheckResults {
    private static final Pattern DESCRIPTION = Pattern.compile("(?s)([a-z0-9_]+) on answer \"(.*)\"");

    private PendingCheckResults() {
    }

    /** Drains the current thread's pending checks; empty when there were none. */
    static List<String> drain() {
        return PendingChecks.drain();
    }

    /** One ERROR result per pending check, attributed to {@code test} (which may be {@code null}). */
    static List<CheckResult> asResults(List<String> descriptions, CheckRecorder.TestIdentity test) {
        List<CheckResult> results = new ArrayList<>();
        for (String description : descriptions) {
            Matcher m = DESCRIPTION.matcher(description);
            String metric = m.matches() ? m.group(1) : "unknown";
            String answer = m.matches() ? m.group(2) : description;
            results.add(new CheckResult(test == null ? null : test.id(), test == null ? null : test.name(),
                    test == null ? null : test.caseKey(), CheckRecorder.nextOrdinal(test, metric), null, metric,
                    EvaluationCase.ofAnswer(answer), null, CheckResult.Outcome.ERROR, null, null,
                    PendingChecks.message(List.of(description)), Instant.now()));
        }
        return results;
    }
}
