package dev.llmjudge.internal.report;

import dev.llmjudge.internal.check.PairwiseJudgement;
import dev.llmjudge.internal.check.PairwiseJudgement.Preference;
import java.util.List;

/**
 * The report's pairwise comparisons: the rows whose verdict compares a candidate answer with a
 * reference answer in both orders, and how many the candidate won, tied (of them, how many because
 * the two orders disagreed) and lost. Rows without a score (errors, skipped checks) are not counted.
 *
 * @param rows the scored comparison rows, in report order
 */
record PairwiseRows(List<ReportRow> rows, int wins, int ties, int positionInconsistent, int losses) {
    static PairwiseRows of(List<ReportRow> all) {
        List<ReportRow> rows = all.stream().filter(r -> r.score() != null && r.comparison()).toList();
        int wins = 0;
        int ties = 0;
        int inconsistent = 0;
        int losses = 0;
        for (ReportRow r : rows) {
            switch (preference(r)) {
                case WIN -> wins++;
                case TIE -> {
                    ties++;
                    if (positionInconsistent(r)) {
                        inconsistent++;
                    }
                }
                case LOSS -> losses++;
            }
        }
        return new PairwiseRows(rows, wins, ties, inconsistent, losses);
    }

    static Preference preference(ReportRow row) {
        return Preference.ofScore(row.score());
    }

    static boolean positionInconsistent(ReportRow row) {
        return row.comparison() && PairwiseJudgement.isPositionInconsistent(row.justification());
    }

    /** For example {@code 3 wins, 2 ties (1 position-inconsistent), 1 loss}. */
    String tally() {
        return RunReports.plural(wins, "win") + ", " + RunReports.plural(ties, "tie")
                + (positionInconsistent == 0 ? "" : " (" + positionInconsistent + " " + PairwiseJudgement.POSITION_INCONSISTENT + ")")
                + ", " + String.format(java.util.Locale.ROOT, "%,d %s", losses, losses == 1 ? "loss" : "losses");
    }
}
