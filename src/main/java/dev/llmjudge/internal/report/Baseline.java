package dev.llmjudge.internal.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares a run with a baseline run case by case ({@link CaseIds}): the cases whose score or
 * answer changed (an error is no score, never a drop), those new and those gone. A case checked
 * several times in a run counts with its lowest score. A skipped check was not judged, so it is no
 * case of either run: a case the baseline judged and this run skipped is gone. Nor is a comparison
 * with the baseline's answer ({@link #COMPARISON_ORDINAL}), which judges a case, and is not one.
 */
public final class Baseline {
    /**
     * The ordinal of a row that compares a case's answer with the baseline's (the pairwise baseline gate's): none a test makes
     * itself, as a test's checks of a metric count from 1.
     */
    public static final int COMPARISON_ORDINAL = 0;

    private Baseline() {
    }

    /** This run against the baseline's rows; {@code file} names the baseline in the report. */
    public static RunReport.BaselineComparison compare(Collection<ReportRow> current, Collection<ReportRow> baseline, String file) {
        Map<String, ReportRow> before = lowestScores(baseline);
        Map<String, ReportRow> now = lowestScores(current);
        List<RunReport.ScoreChange> changes = new ArrayList<>();
        List<RunReport.BaselineCase> added = new ArrayList<>();
        now.forEach((id, after) -> {
            ReportRow earlier = before.get(id);
            if (earlier == null) {
                added.add(RunReport.BaselineCase.of(id, after));
                return;
            }
            Integer b = earlier.score();
            Integer a = after.score();
            if (!Objects.equals(a, b) || !Objects.equals(earlier.answer(), after.answer())) {
                changes.add(new RunReport.ScoreChange(id, after.metric(), after.testName(), b, a, a != null && b != null && a < b,
                        earlier.answer(), after.answer(), earlier.justification(), after.justification()));
            }
        });
        List<RunReport.BaselineCase> gone = before.entrySet().stream().filter(e -> !now.containsKey(e.getKey()))
                .map(e -> RunReport.BaselineCase.of(e.getKey(), e.getValue())).toList();
        return new RunReport.BaselineComparison(file, changes, added, gone);
    }

    /** A case scored on one scale in the baseline and on another in this run: {@code min} to {@code max} now. */
    public record Rescaled(String caseId, String metric, String testName, int minBefore, int maxBefore, int min, int max) {
    }

    /**
     * The cases of both runs whose metric is scored on another scale now than in the baseline (a custom metric's levels
     * changed, say): their scores are of different scales, so no drop of theirs can be told.
     */
    public static List<Rescaled> rescaled(Collection<ReportRow> current, Collection<ReportRow> baseline) {
        Map<String, ReportRow> before = withScales(baseline);
        List<Rescaled> rescaled = new ArrayList<>();
        withScales(current).forEach((id, now) -> {
            ReportRow earlier = before.get(id);
            if (earlier != null && (!earlier.minScore().equals(now.minScore()) || !earlier.maxScore().equals(now.maxScore()))) {
                rescaled.add(new Rescaled(id, now.metric(), now.testName(), earlier.minScore(), earlier.maxScore(), now.minScore(),
                        now.maxScore()));
            }
        });
        return rescaled;
    }

    /** Per case id, its first row that records its metric's scale. */
    private static Map<String, ReportRow> withScales(Collection<ReportRow> rows) {
        Map<String, ReportRow> byCase = new LinkedHashMap<>();
        for (ReportRow row : rows) {
            if (!row.skipped() && row.ordinal() != COMPARISON_ORDINAL && row.minScore() != null && row.maxScore() != null) {
                byCase.putIfAbsent(CaseIds.of(row), row);
            }
        }
        return byCase;
    }

    /** The drops of at least {@code points}, largest first. */
    public static List<RunReport.ScoreChange> dropsOfAtLeast(Collection<RunReport.ScoreChange> changes, int points) {
        return changes.stream()
                .filter(c -> c.drop() && c.before() - c.after() >= points)
                .sorted(Comparator.comparingInt((RunReport.ScoreChange c) -> c.after() - c.before()))
                .toList();
    }

    /** Per case id, the row with the lowest score (a scored row wins over an error), in the rows' order. */
    private static Map<String, ReportRow> lowestScores(Collection<ReportRow> rows) {
        Map<String, ReportRow> byCase = new LinkedHashMap<>();
        for (ReportRow row : rows) {
            if (row.skipped() || row.ordinal() == COMPARISON_ORDINAL) {
                continue;
            }
            byCase.merge(CaseIds.of(row), row, (seen, next) -> seen.score() == null || next.score() != null && next.score() < seen.score()
                    ? next : seen);
        }
        return byCase;
    }
}
