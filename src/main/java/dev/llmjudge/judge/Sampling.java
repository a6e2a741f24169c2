package dev.llmjudge.judge;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The samples a verdict is made of: how many were asked for, how they were drawn, whether the
 * drawing stopped early, and each sample's score and justification. The verdict's score is the
 * {@linkplain #median() median} of the sample scores; with an even number of samples it is the
 * lower of the two middle scores, so that a score is always a level of the rubric. A verdict never
 * has fewer samples than were asked, unless it stopped early because the samples left could no
 * longer change the median.
 *
 * <pre>{@code
 * Sampling s = verdict.sampling();
 * s.scores();            // e.g. [5, 2, 5]
 * s.median();            // 5, the verdict's score
 * s.unstableAt(4);       // true: some samples reach 4, some do not
 * }</pre>
 *
 * @param asked how many samples were asked for
 * @param drawn how they were drawn
 * @param stoppedEarly whether fewer than {@code asked} were drawn because the rest could not change the median
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

    /** One sample: the score and justification of one reply (one choice) of the judge. */
    public record Sample(int score, String justification) {
        public Sample {
            Objects.requireNonNull(justification, "justification");
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
    }

    /** The sampling of a verdict of one sample. */
    public static Sampling single(int score, String justification) {
        return new Sampling(1, Drawn.SINGLE, false, List.of(new Sample(score, justification)));
    }

    /** The sample scores, in the order drawn. */
    public List<Integer> scores() {
        return samples.stream().map(Sample::score).toList();
    }

    /** The median of the sample scores, the lower middle one of an even number: the verdict's score. */
    public int median() {
        return medianOf(scores());
    }

    /** The first sample scored the median: the one whose justification the verdict gives. */
    public Sample medianSample() {
        int median = median();
        return samples.stream().filter(s -> s.score() == median).findFirst().orElseThrow();
    }

    /** The lowest sample score. */
    public int min() {
        return samples.stream().mapToInt(Sample::score).min().orElseThrow();
    }

    /** The highest sample score. */
    public int max() {
        return samples.stream().mapToInt(Sample::score).max().orElseThrow();
    }

    /** Whether the samples fall on both sides of {@code threshold}: some reach it, some do not. */
    public boolean unstableAt(int threshold) {
        return min() < threshold && max() >= threshold;
    }

    /** The median of scores, the lower middle one of an even number; throws for none. */
    public static int medianOf(List<Integer> scores) {
        if (scores.isEmpty()) {
            throw new IllegalArgumentException("no score to take the median of");
        }
        List<Integer> sorted = scores.stream().sorted().toList();
        return sorted.get((sorted.size() - 1) / 2);
    }
}
