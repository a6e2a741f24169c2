package dev.llmjudge.assertj;

import dev.llmjudge.internal.Texts;
import dev.llmjudge.internal.check.PartsUsage;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.Metric;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

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

    /** The most unstable items whose every combination of decisions {@link #range} tries. */
    static final int MAX_COMBINED = 12;

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

    /**
     * The verdict of a computed score from the pass/fail {@code verdicts} of its items (chunks or sentences), each listed in
     * the justification with the figure it was decided by, e.g. {@code chunk 2 relevant, chunk_relevance 1 (weighted 0.90)}.
     * An item meets its metric's pass level as a check meets its threshold ({@link Verdict#meets}). The computed verdict is
     * drawn as its items were ({@link #sampling}), so that a check whose items' samples could put its score on either side
     * of its threshold is unstable like any check.
     *
     * @param item what an item is called, e.g. {@code chunk}
     * @param meetsAs what an item that meets is, e.g. {@code relevant}
     * @param how how the score was computed from the items' flags, e.g. {@code mean precision@k over the relevant ranks 1, 3}
     */
    static Verdict verdict(Metric metric, Metric itemMetric, List<Verdict> verdicts, String item, String meetsAs,
            Function<List<Boolean>, String> how, Function<List<Boolean>, Double> score) {
        int passLevel = itemMetric.passThreshold();
        List<Boolean> flags = new ArrayList<>();
        List<Integer> unstable = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < verdicts.size(); i++) {
            Verdict v = verdicts.get(i);
            boolean meets = meets(v, passLevel);
            boolean straddles = straddles(v, passLevel);
            flags.add(meets);
            if (straddles) {
                unstable.add(i);
            }
            lines.add("[" + (i + 1) + "] " + item + " " + (i + 1) + (meets ? " " : " not ") + meetsAs + ", " + v.metric() + " "
                    + figure(v, straddles) + ": " + v.justification());
        }
        double value = score.apply(flags);
        double[] range = range(flags, unstable, score);
        String head = metric.name().replace('_', ' ') + " " + rounded(value).toPlainString() + " (" + how.apply(flags) + ")";
        if (!unstable.isEmpty()) {
            boolean one = unstable.size() == 1;
            head += "; " + item + (one ? " " : "s ") + ranksOf(unstable) + " unstable (" + (one ? "its" : "their")
                    + " samples fall on both sides of " + (one ? "its decision" : "their decisions") + "): decided either way, the score"
                    + " ranges from " + rounded(range[0]).toPlainString() + " to " + rounded(range[1]).toPlainString();
        }
        lines.add(0, head);
        Duration latency = Duration.ZERO;
        boolean cached = true;
        for (Verdict v : verdicts) {
            latency = latency.plus(v.latency());
            cached &= v.cached();
        }
        Verdict first = verdicts.get(0);
        String justification = String.join("\n", lines);
        return new Verdict(metric.name(), metric.version(), scoreOf(value), metric.minScore(), metric.maxScore(), justification,
                first.judgeModel(), first.parameters(), null, cached, null, latency, PartsUsage.of(verdicts),
                sampling(verdicts, scoreOf(value), scoreOf(range[0]), scoreOf(range[1]), item, ranksOf(unstable)),
                PartsUsage.batchId(verdicts));
    }

    /**
     * Whether an item's verdict meets {@code passLevel}, as any check's verdict meets its threshold ({@link Verdict#meets}):
     * for the 0/1 rubric of {@code chunk_relevance} and {@code statement_support}, the integer 1 written, or scored by
     * probabilities a weighted score (the probability of 1) of at least 0.5, the rubric's midpoint.
     */
    static boolean meets(Verdict verdict, int passLevel) {
        return verdict.meets(passLevel);
    }

    /** Whether an item's samples fall on both sides of its decision, as any check's would ({@link Verdict#unstableAt}). */
    static boolean straddles(Verdict verdict, int passLevel) {
        return verdict.unstableAt(passLevel);
    }

    /**
     * The figure an item was decided by: the integer the judge wrote, then, scored by probabilities, the weighted score, and,
     * with several samples, the samples' effective scores; e.g. {@code 1}, {@code 1 (weighted 0.90)} or
     * {@code 1 (samples 1, 1, 0; unstable)}.
     */
    static String figure(Verdict verdict, boolean straddles) {
        Sampling s = verdict.sampling();
        List<String> parts = new ArrayList<>();
        if (s.byProbabilities()) {
            parts.add("weighted " + Texts.score(verdict.effectiveScore()));
        }
        if (s.samples().size() > 1) {
            List<String> scores = s.byProbabilities() ? s.effectiveScores().stream().map(Texts::score).toList()
                    : s.scores().stream().map(String::valueOf).toList();
            parts.add("samples " + String.join(", ", scores) + (straddles ? "; unstable" : ""));
        }
        return verdict.score() + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    }

    /**
     * The lowest and highest value the items can give when each unstable item is decided either way (as some of its samples
     * would decide it), the value of the items' decisions included. Every combination is tried for up to
     * {@value #MAX_COMBINED} unstable items; beyond, each flipped alone and all flipped together.
     */
    static double[] range(List<Boolean> flags, List<Integer> unstable, Function<List<Boolean>, Double> score) {
        double low = score.apply(flags);
        double high = low;
        List<List<Integer>> flips = new ArrayList<>();
        if (unstable.size() <= MAX_COMBINED) {
            for (int mask = 1; mask < (1 << unstable.size()); mask++) {
                List<Integer> flipped = new ArrayList<>();
                for (int b = 0; b < unstable.size(); b++) {
                    if ((mask & (1 << b)) != 0) {
                        flipped.add(unstable.get(b));
                    }
                }
                flips.add(flipped);
            }
        } else {
            unstable.forEach(i -> flips.add(List.of(i)));
            flips.add(unstable);
        }
        for (List<Integer> flipped : flips) {
            List<Boolean> other = new ArrayList<>(flags);
            flipped.forEach(i -> other.set(i, !other.get(i)));
            double value = score.apply(other);
            low = Math.min(low, value);
            high = Math.max(high, value);
        }
        return new double[] {low, high};
    }

    /**
     * How the computed verdict was drawn: as its items were. One sample when they took one; else as many samples as they
     * were asked, drawn {@code n} when every item's were, else {@code seeds}. The samples are computed scores, with the
     * items' decided score as their median: {@code score} for every item decided by the median of its samples, and, in the
     * last two places, {@code low} and {@code high}, the lowest and highest score the unstable items allow (the score itself
     * when none is unstable). So the check is unstable exactly when deciding its unstable items by some of their samples
     * could put its score on the other side of its threshold. With two samples the lower decides, as for any check, and
     * only {@code high} is kept.
     */
    static Sampling sampling(List<Verdict> verdicts, int score, int low, int high, String item, String unstableRanks) {
        int asked = verdicts.stream().mapToInt(v -> v.sampling().asked()).max().orElseThrow();
        if (asked == 1) {
            return null;
        }
        Sampling.Drawn drawn = verdicts.stream().allMatch(v -> v.sampling().drawn() == Sampling.Drawn.N) ? Sampling.Drawn.N
                : Sampling.Drawn.SEEDS;
        Sampling.Sample decided = new Sampling.Sample(score, "every " + item + " decided by the median of its samples");
        Sampling.Sample lowest = low == score ? decided : new Sampling.Sample(low, "the lowest score " + item + "s " + unstableRanks
                + " allow, decided either way");
        Sampling.Sample highest = high == score ? decided : new Sampling.Sample(high, "the highest score " + item + "s " + unstableRanks
                + " allow, decided either way");
        List<Sampling.Sample> samples = new ArrayList<>(Collections.nCopies(Math.max(asked - 2, 1), decided));
        if (asked > 2) {
            samples.add(lowest);
        }
        samples.add(highest);
        return new Sampling(asked, drawn, false, samples);
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

    /** The ranks, from 1, of the items at {@code indexes}, e.g. {@code "1, 3"}. */
    private static String ranksOf(List<Integer> indexes) {
        return String.join(", ", indexes.stream().map(i -> String.valueOf(i + 1)).toList());
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
