package dev.llmjudge.judge;

import dev.llmjudge.metric.Metric;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The samples a verdict is made of: how many were asked for, how they were drawn, whether the
 * drawing stopped early, and each sample's score and justification. The verdict's score is the
 * {@linkplain #median() median} of the sample scores; with an even number of samples it is the
 * lower of the two middle scores, so that a score is always a level of the rubric. A verdict never
 * has fewer samples than were asked, unless it stopped early because the samples left could no
 * longer change the median nor whether the samples are unstable at any threshold.
 *
 * <p>Scored by probabilities ({@code llmjudge.judge.score-by=probabilities}), every sample also has
 * its {@link ScoreDistribution}, and its {@linkplain Sample#effectiveScore() effective score} is
 * the distribution's weighted score instead of the integer it wrote; the
 * {@linkplain #effectiveMedian() median of the effective scores} is what the check compares with
 * its threshold, and what tells whether it is unstable.
 *
 * <pre>{@code
 * Sampling s = verdict.sampling();
 * s.scores();            // e.g. [5, 2, 5]
 * s.median();            // 5, the verdict's score
 * s.unstableAt(4);       // true: some samples reach 4, some do not (for a check, Verdict.unstableAt)
 * }</pre>
 *
 * @param asked how many samples were asked for
 * @param drawn how they were drawn
 * @param stoppedEarly whether fewer than {@code asked} were drawn because the rest could not change the median nor the
 *     instability at any threshold ({@link #mayStopEarly})
 * @param samples the samples, in the order they were drawn
 */
public record Sampling(int asked, Drawn drawn, boolean stoppedEarly, List<Sample> samples) {

    /** How a verdict's samples were drawn. */
    public enum Drawn {
        /** One sample, one request: {@code llmjudge.judge.samples=1}. */
        SINGLE,
        /** Every sample from one request that asked for several choices with the {@code n} parameter. */
        N,
        /** Separate requests with distinct seeds (the endpoint ignored {@code n}, or returned fewer valid choices than asked). */
        SEEDS;

        /** As a verdict file writes it: {@code single}, {@code n}, {@code seeds}. */
        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One sample: the score and justification of one reply (one choice) of the judge, and, scored by
     * probabilities, the distribution of the levels at its score's token ({@code null} otherwise).
     */
    public record Sample(int score, String justification, ScoreDistribution distribution) {
        public Sample {
            Objects.requireNonNull(justification, "justification");
        }

        /** A sample scored by the integer the judge wrote. */
        public Sample(int score, String justification) {
            this(score, justification, null);
        }

        /** The score a threshold is compared with: the distribution's weighted score when there is one, else the integer. */
        public double effectiveScore() {
            return distribution == null ? score : distribution.weightedScore();
        }

        /** This sample with another justification, its score and distribution kept. */
        public Sample withJustification(String text) {
            return new Sample(score, text, distribution);
        }
    }

    public Sampling {
        Objects.requireNonNull(drawn, "drawn");
        samples = List.copyOf(samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a verdict has at least one sample");
        }
        if (asked < samples.size()) {
            throw new IllegalArgumentException(samples.size() + " samples, more than the " + asked + " asked");
        }
        if (stoppedEarly != (samples.size() < asked)) {
            throw new IllegalArgumentException(stoppedEarly ? "stopped early, but all " + asked + " samples were drawn"
                    : samples.size() + " samples of " + asked + " asked: a verdict with fewer samples than asked is no verdict");
        }
        if ((drawn == Drawn.SINGLE) != (asked == 1)) {
            throw new IllegalArgumentException(drawn == Drawn.SINGLE ? "a single sample, but " + asked + " asked" : asked
                    + " sample asked, but drawn as " + drawn.value());
        }
        long withDistribution = samples.stream().filter(s -> s.distribution() != null).count();
        if (withDistribution != 0 && withDistribution != samples.size()) {
            throw new IllegalArgumentException(withDistribution + " of " + samples.size() + " samples have a score distribution:"
                    + " a verdict is scored by probabilities in every sample or in none");
        }
    }

    /** The sampling of a verdict of one sample. */
    public static Sampling single(int score, String justification) {
        return single(new Sample(score, justification));
    }

    /** The sampling of a verdict of this one sample. */
    public static Sampling single(Sample sample) {
        return new Sampling(1, Drawn.SINGLE, false, List.of(sample));
    }

    /** Whether the samples are scored by probabilities: each has its {@link Sample#distribution()}. */
    public boolean byProbabilities() {
        return samples.get(0).distribution() != null;
    }

    /** The samples' effective scores ({@link Sample#effectiveScore()}), in the order drawn. */
    public List<Double> effectiveScores() {
        return samples.stream().map(Sample::effectiveScore).toList();
    }

    /**
     * The median of the effective scores, the lower middle one of an even number: the score a
     * threshold is compared with. Scored by the reply, it is {@link #median()}.
     */
    public double effectiveMedian() {
        return lowerMedian(effectiveScores());
    }

    /** The sample scores, in the order drawn. */
    public List<Integer> scores() {
        return samples.stream().map(Sample::score).toList();
    }

    /** The median of the sample scores, the lower middle one of an even number: the verdict's score. */
    public int median() {
        return medianOf(scores());
    }

    /** The first sample whose effective score is the effective median: the one whose justification the verdict gives. */
    public Sample medianSample() {
        double median = effectiveMedian();
        return samples.stream().filter(s -> s.effectiveScore() == median).findFirst().orElseThrow();
    }

    /** The lowest sample score. */
    public int min() {
        return samples.stream().mapToInt(Sample::score).min().orElseThrow();
    }

    /** The highest sample score. */
    public int max() {
        return samples.stream().mapToInt(Sample::score).max().orElseThrow();
    }

    /**
     * Whether the samples' effective scores fall on both sides of {@code effectiveThreshold}: some reach it, some do not. For
     * a check's threshold use {@link Verdict#unstableAt(int)}, which compares with the threshold's
     * {@linkplain Verdict#effectiveThreshold(int) effective threshold} on the verdict's rubric (on a rubric of two levels
     * scored by probabilities, the midpoint).
     */
    public boolean unstableAt(double effectiveThreshold) {
        List<Double> scores = effectiveScores();
        return scores.stream().anyMatch(s -> s < effectiveThreshold) && scores.stream().anyMatch(s -> s >= effectiveThreshold);
    }

    /**
     * Whether the median of all samples is the same whatever the {@code remaining} ones score: as the
     * median only rises with a sample's score, whether it is the same with all of them at the
     * rubric's lowest score and all of them at its highest. Scored by probabilities, both the median
     * of the integers written and that of the weighted scores (which lie within the same range) must
     * be fixed.
     */
    public static boolean medianIsFixed(List<Sample> drawn, int remaining, int min, int max) {
        List<Integer> low = new ArrayList<>(drawn.stream().map(Sample::score).toList());
        List<Integer> high = new ArrayList<>(low);
        low.addAll(Collections.nCopies(remaining, min));
        high.addAll(Collections.nCopies(remaining, max));
        List<Double> effectiveLow = new ArrayList<>(drawn.stream().map(Sample::effectiveScore).toList());
        List<Double> effectiveHigh = new ArrayList<>(effectiveLow);
        effectiveLow.addAll(Collections.nCopies(remaining, (double) min));
        effectiveHigh.addAll(Collections.nCopies(remaining, (double) max));
        return medianOf(low) == medianOf(high)
                && lowerMedian(effectiveLow) == lowerMedian(effectiveHigh);
    }

    /**
     * Whether the samples' {@linkplain #unstableAt instability} at every threshold of the rubric is the same whatever the
     * {@code remaining} ones score: with some still to come, only when the samples drawn already fall on both sides of every
     * threshold, one of them below the rubric's second level ({@code min + 1}) and one at its highest. Otherwise a sample
     * still to come could fall on the other side of some threshold than all the samples drawn, and make a check at it
     * unstable. Scored by probabilities, the effective scores are what is compared, with each threshold's
     * {@linkplain Verdict#effectiveThreshold(int, int, int, boolean) effective threshold}, as {@link Verdict#unstableAt}
     * compares them: on a rubric of two levels, one sample below the midpoint and one at it or above.
     */
    public static boolean instabilityIsFixed(List<Sample> drawn, int remaining, int min, int max) {
        if (remaining == 0) {
            return true;
        }
        boolean byProbabilities = !drawn.isEmpty() && drawn.get(0).distribution() != null;
        double lowest = Verdict.effectiveThreshold(min + 1, min, max, byProbabilities);
        double highest = Verdict.effectiveThreshold(max, min, max, byProbabilities);
        return drawn.stream().anyMatch(s -> s.effectiveScore() < lowest) && drawn.stream().anyMatch(s -> s.effectiveScore() >= highest);
    }

    /**
     * Whether the drawing of a verdict's samples on {@code metric} may stop with {@code drawn} and {@code remaining} still to
     * come: the one rule of the sampler and of the verdict file's reader. The verdict serves a check at any threshold, so the
     * samples left must change neither its score nor, at any threshold, whether it is unstable: when its
     * {@linkplain #medianIsSettled median is settled} and its {@linkplain #instabilityIsFixed instability is fixed}.
     */
    public static boolean mayStopEarly(List<Sample> drawn, int remaining, Metric metric) {
        return medianIsSettled(drawn, remaining, metric) && instabilityIsFixed(drawn, remaining, metric.minScore(), metric.maxScore());
    }

    /**
     * Whether the samples left can no longer change what a check reads of the verdict's median. For most metrics, when the
     * {@linkplain #medianIsFixed median is fixed}. A pairwise verdict is also read the other way round (a comparison reads the
     * reference-first order on the candidate's side, where its lower middle score is the upper one), and a comparison
     * decides each order by both middle scores of an even number: so for a pairwise metric the upper middle score must be
     * fixed too. With an odd number of samples both are the median, and the rule is the same.
     */
    public static boolean medianIsSettled(List<Sample> drawn, int remaining, Metric metric) {
        if (!medianIsFixed(drawn, remaining, metric.minScore(), metric.maxScore())) {
            return false;
        }
        if (!metric.pairwise()) {
            return true;
        }
        List<Integer> low = new ArrayList<>(drawn.stream().map(Sample::score).toList());
        List<Integer> high = new ArrayList<>(low);
        low.addAll(Collections.nCopies(remaining, metric.minScore()));
        high.addAll(Collections.nCopies(remaining, metric.maxScore()));
        return upperMedianOf(low) == upperMedianOf(high);
    }

    /** The upper middle one of an even number of scores, the median of an odd number; throws for none. */
    static int upperMedianOf(List<Integer> scores) {
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("no score to take the median of");
        }
        List<Integer> sorted = scores.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** The median of scores, the lower middle one of an even number; throws for none. */
    public static int medianOf(List<Integer> scores) {
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("no score to take the median of");
        }
        List<Integer> sorted = scores.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** The median of effective scores, the lower middle one of an even number; throws for none. */
    public static double lowerMedian(List<Double> scores) {
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("no score to take the median of");
        }
        List<Double> sorted = scores.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
