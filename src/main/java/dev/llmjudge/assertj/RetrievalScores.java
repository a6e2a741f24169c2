package dev.llmjudge.assertj;

import dev.llmjudge.internal.check.PartsUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.Metric;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Context precision and context recall: scores computed from judged verdicts (one per chunk, one
 * per statement), never asked of a judge themselves. Each is scored in hundredths, 0 to 100:
 * {@code floor(100 x value)} with the value rounded to four decimals, so a bound of {@code 0.8}
 * is a score of at least 80.
 */
final class RetrievalScores {
    static final Metric CONTEXT_PRECISION = hundredths("context_precision", "Context precision is computed, not judged: one"
            + " chunk_relevance verdict per retrieved chunk, then the mean over the ranks k of the relevant chunks of precision@k"
            + " (the relevant chunks among the first k, divided by k), as RAGAS defines it; 0 when no chunk is relevant.", Field.QUESTION);
    static final Metric CONTEXT_RECALL = hundredths("context_recall", "Context recall is computed, not judged: the ground truth is"
            + " split into sentences, one statement_support verdict per sentence against the ranked chunks, then the fraction"
            + " of the sentences the chunks support.", Field.GROUND_TRUTH);

    private RetrievalScores() {
    }

    /**
     * Context precision of the chunks' relevance, best first (RAGAS): the mean over the ranks
     * {@code k} of the relevant chunks of precision@k, 0 when none is relevant.
     */
    static double precision(List<Boolean> relevant) {
        int seen = 0;
        double sum = 0;
        for (int k = 1; k <= relevant.size(); k++) {
            if (relevant.get(k - 1)) {
                seen++;
                sum += (double) seen / k;
            }
        }
        return seen == 0 ? 0 : sum / seen;
    }

    /** The verdict of a computed score: {@code value} in hundredths, with every verdict it was computed from in its justification. */
    static Verdict verdict(Metric metric, double value, String how, List<String> items, List<Verdict> verdicts) {
        List<String> lines = new ArrayList<>();
        lines.add(metric.name().replace('_', ' ') + " " + rounded(value).toPlainString() + " (" + how + ")");
        Duration latency = Duration.ZERO;
        boolean cached = true;
        for (int i = 0; i < verdicts.size(); i++) {
            Verdict v = verdicts.get(i);
            lines.add("[" + (i + 1) + "] " + items.get(i) + ", " + v.metric() + " " + v.score() + ": " + v.justification());
            latency = latency.plus(v.latency());
            cached &= v.cached();
        }
        Verdict first = verdicts.get(0);
        return new Verdict(metric.name(), metric.version(), scoreOf(value), metric.minScore(), metric.maxScore(),
                String.join("\n", lines), first.judgeModel(), first.parameters(), null, cached, null, latency, PartsUsage.of(verdicts));
    }

    /** The score of a value from 0 to 1, in hundredths: {@code 0.80556 -> 80}. */
    static int scoreOf(double value) {
        return rounded(value).movePointRight(2).setScale(0, RoundingMode.FLOOR).intValue();
    }

    /** The score threshold of a bound from 0 to 1, {@code 0.8 -> 80}; one outside 0..1 or finer than hundredths throws. */
    static int thresholdOf(Metric metric, double bound, String call) {
        if (Double.isNaN(bound) || bound < 0 || bound > 1) {
            throw new IllegalArgumentException(call + ": " + metric.name() + " is a fraction from 0 to 1, so " + bound
                    + " cannot be its bound, e.g. 0.8");
        }
        BigDecimal hundredths = BigDecimal.valueOf(bound).movePointRight(2).stripTrailingZeros();
        if (hundredths.scale() > 0) {
            throw new IllegalArgumentException(call + ": " + metric.name() + " is scored in hundredths, so use at most two decimals");
        }
        return hundredths.intValueExact();
    }

    /** A verdict's list of the ranks of its relevant or supported items, e.g. {@code "1, 3, 4"}. */
    static String ranks(List<Boolean> flags) {
        List<String> ranks = new ArrayList<>();
        for (int i = 0; i < flags.size(); i++) {
            if (flags.get(i)) {
                ranks.add(String.valueOf(i + 1));
            }
        }
        return ranks.isEmpty() ? "none" : String.join(", ", ranks);
    }

    private static BigDecimal rounded(double value) {
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP);
    }

    private static Metric hundredths(String name, String definition, Field reads) {
        Metric.Builder builder = Metric.builder(name).version("v1").definition(definition)
                .level(0, "Below 0.01.");
        for (int score = 1; score <= 99; score++) {
            builder.level(score, String.format(Locale.ROOT, "From %.2f to below %.2f.", score / 100.0, (score + 1) / 100.0));
        }
        return builder.level(100, "1.00.").requires(reads).build();
    }
}
