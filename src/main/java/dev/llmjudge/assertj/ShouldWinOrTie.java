package dev.llmjudge.assertj;

import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.check.Check;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.PairwiseJudgement;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * The failure message of a pairwise comparison that did not come to what it expected: the
 * candidate and the reference side by side, what was expected, what both orders came to and
 * each order's judgement.
 */
final class ShouldWinOrTie extends BasicErrorMessageFactory {
    private ShouldWinOrTie(String format, Object... arguments) {
        super(format, arguments);
    }

    static ErrorMessageFactory shouldWinOrTie(CheckOutcome.Failed failed) {
        Check check = failed.check();
        Verdict verdict = failed.verdict();
        EvaluationCase c = check.evaluationCase();
        String expected = check.threshold() >= Metric.PAIRWISE_FIRST_BETTER ? "win" : "win or tie";
        String came = PairwiseJudgement.Preference.ofScore(verdict.score()).name().toLowerCase(java.util.Locale.ROOT);
        String but = failed.belowThreshold() ? "it came to a %s." : "it is unstable: it came to a %s by the median of its samples "
                + verdict.sampling().scores() + " (each a sample of one order taken with the other order's preference; 3 a win, 2 a tie,"
                + " 1 a loss), and llmjudge.judge.on-unstable=fail fails an unstable check.";
        return new ShouldWinOrTie("%nExpecting candidate answer:%n  %s%nto " + expected + " against the reference answer:%n  %s%n"
                + "on %s, judged in both orders, but " + but + "%nQuestion:%n  %s%nJudgements:%n  %s%nJudge: %s (%s)",
                unquotedString(ShouldScoreAtLeast.quote(c.answer())), unquotedString(ShouldScoreAtLeast.quote(c.groundTruth())),
                unquotedString(verdict.metric() + " (" + verdict.metricVersion() + ")"), unquotedString(came),
                unquotedString(ShouldScoreAtLeast.quote(c.question())), unquotedString(Secrets.redact(verdict.justification()).strip()),
                unquotedString(Secrets.redact(verdict.judgeModel())),
                unquotedString(verdict.cached() ? "recorded verdicts" : "judged now, " + verdict.latency().toMillis() + " ms"));
    }
}
