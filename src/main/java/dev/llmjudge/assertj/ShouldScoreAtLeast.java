package dev.llmjudge.assertj;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.internal.check.Check;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Field;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * The failure message of a check scored below its threshold, laid out as AssertJ's: the answer,
 * the score and the bar, the justification, the fields the metric read and where the verdict came
 * from, long texts shortened.
 */
final class ShouldScoreAtLeast extends BasicErrorMessageFactory {
    static final int TEXT_LIMIT = 400;

    private ShouldScoreAtLeast(String format, Object... arguments) {
        super(format, arguments);
    }

    static ErrorMessageFactory shouldScoreAtLeast(CheckOutcome.Failed failed) {
        Check check = failed.check();
        Verdict verdict = failed.verdict();
        int threshold = check.threshold();
        EvaluationCase c = check.evaluationCase();
        StringBuilder format = new StringBuilder("%nExpecting answer:%n  %s%nto score at least %s on %s, but the judge scored it %s (scale %s to %s).")
                .append("%nJustification:%n  %s");
        List<Object> args = new ArrayList<>(List.of(
                unquotedString(quote(c.answer())), threshold, unquotedString(verdict.metric() + " (" + verdict.metricVersion() + ")"),
                verdict.score(), verdict.minScore(), verdict.maxScore(), unquotedString(shorten(verdict.justification()))));
        for (Field field : new Field[] {Field.QUESTION, Field.GROUND_TRUTH, Field.CONTEXT}) {
            if (check.metric().requires(field)) {
                String label = field.label();
                format.append("%n").append(Character.toUpperCase(label.charAt(0))).append(label.substring(1)).append(":%n  %s");
                args.add(unquotedString(quote(c.get(field))));
            }
        }
        format.append("%nJudge: %s (%s)");
        args.add(unquotedString(Secrets.redact(verdict.judgeModel())));
        args.add(unquotedString(verdict.cached() ? "recorded verdict" : "judged now, " + verdict.latency().toMillis() + " ms"));
        if (verdict.cacheFile() != null) {
            format.append("%nVerdict file: %s");
            args.add(unquotedString(verdict.cacheFile()));
        }
        return new ShouldScoreAtLeast(format.toString(), args.toArray());
    }

    static String quote(String text) {
        return "\"" + shorten(text) + "\"";
    }

    /** The text without known API keys, shortened: redacted first, so that no part of a key survives the cut. */
    static String shorten(String text) {
        if (text == null) {
            return "";
        }
        String t = Secrets.redact(text).strip();
        if (t.length() <= TEXT_LIMIT) {
            return t;
        }
        return t.substring(0, TEXT_LIMIT) + "... (" + (t.length() - TEXT_LIMIT) + " more characters)";
    }
}
