package dev.llmjudge.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a run's scores with a baseline run's (e.g. the report of the main branch), case by
 * case. A case is identified by {@link CaseIds}: metric and content, not the judge model.
 *
 * <p>A change is listed when a case has a score in the baseline and, in this run, either a
 * different score or only errors (then {@code after} is {@code null} and it is not counted as a
 * drop: an error is never a score). Cases that are new in this run, or that this run did not
 * check, are not changes. When a case was checked several times in one run, its lowest score
 * counts.
 *
 * <pre>{@code
 * List<RunReport.ScoreChange> changes = Baseline.compare(report.rows(), JsonReport.read(baselineFile).rows());
 * List<RunReport.ScoreChange> bad = Baseline.dropsOfAtLeast(changes, 2);
 * }</pre>
 */
public final class Baseline {
    private Baseline() {
    }

    /** The cases whose score changed, in this run's order. */
    public static List<RunReport.ScoreChange> compare(Collection<ReportRow> current, Collection<ReportRow> baseline) {
        Map<String, Integer> before = lowestScores(baseline);
        Map<String, ReportRow> now = new LinkedHashMap<>();
        for (ReportRow row : current) {
            String id = CaseIds.of(row);
            ReportRow seen = now.get(id);
            if (seen == null || seen.score() == null || (row.score() != null && row.score() < seen.score())) {
                now.put(id, row);
            }
        }
        List<RunReport.ScoreChange> changes = new ArrayList<>();
        now.forEach((id, row) -> {
            Integer b = before.get(id);
            if (b == null) {
                return;
            }
            Integer a = row.score();
            if (a == null || !a.equals(b)) {
                changes.add(new RunReport.ScoreChange(id, row.metric(), row.testName(), b, a, a != null && a < b));
            }
        });
        return changes;
    }

    /** The drops of at least {@code points}, largest first. */
    public static List<RunReport.ScoreChange> dropsOfAtLeast(Collection<RunReport.ScoreChange> changes, int points) {
        return changes.stream()
                .filter(c -> c.drop() && c.before() - c.after() >= points)
                .sorted(Comparator.comparingInt((RunReport.ScoreChange c) -> c.after() - c.before()))
                .toList();
    }

    private static Map<String, Integer> lowestScores(Collection<ReportRow> rows) {
        Map<String, Integer> scores = new LinkedHashMap<>();
        for (ReportRow row : rows) {
            if (row.score() != null) {
                scores.merge(CaseIds.of(row), row.score(), Math::min);
            }
        }
        return scores;
    }
}
