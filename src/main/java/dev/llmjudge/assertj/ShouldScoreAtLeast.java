package dev.llmjudge.assertj;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.internal.check.Check;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.Texts;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Field;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;
import org.assertj.core.error.ErrorMessageFactory;

/**
 * The failure message of a check scored below its threshold (or unstable, under
 * {@code llmjudge.judge.on-unstable=fail}), laid out as AssertJ's: the answer, the score and the
 * bar, the samples, the justification, the fields the metric read and where the verdict came
 * from, long texts shortened; and the reason an unstable check's test is aborted.
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
        StringBuilder format = new StringBuilder("%nExpecting answer:%n  %s%nto score at least %s on %s, but ");
        List<Object> args = new ArrayList<>(List.of(unquotedString(quote(c.answer())), threshold,
                unquotedString(verdict.metric() + " (" + verdict.metricVersion() + ")")));
        boolean weighted = verdict.weightedScore().isPresent();
        format.append(failed.belowThreshold() ? "the judge scored it %s (%s)." : "the check is unstable: its median %s"
                + " meets the threshold and some of its samples do not (%s), and llmjudge.judge.on-unstable=fail fails"
                + " an unstable check.");
        args.addAll(List.of(unquotedString(scoreText(verdict)), unquotedString(scale(verdict, threshold))));
        if (weighted) {
            format.append("%nScored by probabilities: the mean of the levels weighted by their probabilities at the score's token ("
                    + (verdict.sampling().samples().size() == 1 ? "the judge wrote %s" : "the median of the scores the judge wrote is %s")
                    + "):%n  %s");
            args.add(verdict.score());
            args.add(unquotedString(probabilities(verdict.sampling())));
        }
        if (verdict.sampling().drawn() != Sampling.Drawn.SINGLE) {
            format.append("%nSamples:%n  %s");
            args.add(unquotedString(samples(verdict, threshold)));
        }
        format.append("%nJustification:%n  %s");
        args.add(unquotedString(shorten(verdict.justification())));
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

    /** The reason an unstable check's test is aborted ({@code llmjudge.judge.on-unstable=abort}): the check, every sample's score, the file. */
    static String unstableAborted(CheckOutcome outcome) {
        Verdict verdict = outcome.verdict();
        Check check = outcome.check();
        return Secrets.redact("aborted: the check of " + verdict.metric() + " (" + verdict.metricVersion() + ") on answer "
                + Texts.quoted(check.evaluationCase().answer(), 60) + " is unstable at threshold " + check.threshold() + ": "
                + samples(verdict, check.threshold()) + ", so its median can be trusted neither as a pass nor as a failure"
                + " (llmjudge.judge.on-unstable=abort). Ask for more samples, or make the case less borderline."
                + (verdict.cacheFile() == null ? "" : " Verdict file: " + verdict.cacheFile()));
    }

    /** The score a threshold was compared with: e.g. {@code 2}, or {@code 3.90} scored by probabilities. */
    static String scoreText(Verdict verdict) {
        return verdict.weightedScore().isPresent() ? Texts.score(verdict.effectiveScore()) : String.valueOf(verdict.score());
    }

    /**
     * What the score was compared with: {@code scale 1 to 5}; on a rubric of two levels scored by probabilities, the
     * midpoint a threshold of the higher level is met at, e.g. {@code the probability of 1; a pass needs at least 0.50, 1 at
     * least as probable as 0}.
     */
    private static String scale(Verdict verdict, int threshold) {
        double cut = verdict.effectiveThreshold(threshold);
        if (cut == threshold) {
            return "scale " + verdict.minScore() + " to " + verdict.maxScore();
        }
        int low = verdict.minScore();
        int high = verdict.maxScore();
        return (low == 0 ? "" : low + " plus ") + "the probability of " + high + "; a pass needs at least " + Texts.score(cut) + ", "
                + high + " at least as probable as " + low;
    }

    /** Each sample's distribution of the levels, e.g. {@code 3: 0.10, 4: 0.60, 5: 0.30}, one line per sample. */
    private static String probabilities(Sampling s) {
        if (s.samples().size() == 1) {
            return Texts.probabilities(s.samples().get(0).distribution().probabilities());
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < s.samples().size(); i++) {
            lines.add("sample " + (i + 1) + ": " + Texts.probabilities(s.samples().get(i).distribution().probabilities()));
        }
        return String.join(System.lineSeparator() + "  ", lines);
    }

    /**
     * E.g. {@code samples 5, 2, 5 (median 5, 3 of 3 drawn in one request with n), on both sides of the threshold 4}; scored by
     * probabilities, the samples' weighted scores, and on a rubric of two levels the midpoint they were compared with
     * ({@code on both sides of 0.50, where the threshold 1 is met}).
     */
    static String samples(Verdict verdict, int threshold) {
        Sampling s = verdict.sampling();
        String how = s.drawn() == Sampling.Drawn.N ? "in one request with n" : "in separate requests with distinct seeds";
        List<String> scores = s.byProbabilities() ? s.effectiveScores().stream().map(Texts::score).toList()
                : s.scores().stream().map(String::valueOf).toList();
        return "samples " + String.join(", ", scores) + " (median " + scoreText(verdict) + ", "
                + s.samples().size() + " of " + s.asked() + " drawn " + how
                + (s.stoppedEarly() ? "; the rest could not change the median" : "") + ")"
                + (verdict.unstableAt(threshold) ? ", on both sides of " + bar(verdict, threshold) : "");
    }

    /** The threshold as the samples were compared with it: {@code the threshold 4}, or {@code 0.50, where the threshold 1 is met}. */
    private static String bar(Verdict verdict, int threshold) {
        double cut = verdict.effectiveThreshold(threshold);
        return cut == threshold ? "the threshold " + threshold : Texts.score(cut) + ", where the threshold " + threshold + " is met";
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
