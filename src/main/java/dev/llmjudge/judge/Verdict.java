package dev.llmjudge.judge;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * What a judge said about one case on one metric, and where it came from (model, parameters,
 * cache entry, cost). Its score is the median of its samples' scores ({@link Sampling}; one
 * sample unless more were asked for). It holds no threshold: one verdict serves any threshold.
 *
 * <p>Scored by probabilities ({@code llmjudge.judge.score-by=probabilities}), each sample also has
 * the distribution of the rubric's levels at its score's token, and the verdict a
 * {@linkplain #weightedScore() weighted score}: the median of the samples' probability-weighted
 * scores. Its {@linkplain #effectiveScore() effective score}, what a threshold is compared with, is
 * then the weighted score, and {@link #score()} stays the integer the judge wrote (the median of
 * the samples' integers). On a rubric of two levels (pass/fail), a threshold of the higher level is
 * then met at the midpoint ({@link #effectiveThreshold(int, int, int, boolean)}).
 *
 * <pre>{@code
 * Verdict v = judge.judge(request);
 * if (!v.meets(4)) System.out.println(v.justification());
 * v.sampling().scores();   // e.g. [5, 2, 5] for three samples
 * v.weightedScore();       // e.g. OptionalDouble[4.2] scored by probabilities, empty otherwise
 * }</pre>
 *
 * @param metric the metric's name
 * @param metricVersion the metric's version
 * @param score the score the judge wrote, within {@code minScore..maxScore}: the median of the samples' scores
 * @param minScore the lowest score of the metric's rubric
 * @param maxScore the highest score of the metric's rubric
 * @param justification the judge's reasoning, given before the score; with several samples, that of the first sample
 *     scored the median
 * @param judgeModel the model (or embedding model) that produced the verdict
 * @param parameters the sampling parameters actually sent, e.g. {@code temperature=0.0} (with several samples, those of
 *     the first request); kept as an unmodifiable copy sorted by name
 * @param cacheKey the verdict cache key, or {@code null} when no cache was involved
 * @param cached whether the verdict was read from the cache, or taken from another check judging the same request at the
 *     same time, rather than judged now for this check: a run's tokens and cost count the verdicts that are not
 * @param cacheFile the verdict file, or {@code null} when it was not stored
 * @param latency how long the judge took when the verdict was produced
 * @param usage the tokens the judge call consumed when the verdict was produced, every sample's
 * @param sampling the samples the score is the median of; one for a judge asked for one sample
 * @param batchId the id of the provider's batch that judged the verdict ({@code llmjudge.cache.mode=collect}, then the
 *     batch command), or {@code null} for a verdict judged by a live call
 */
public record Verdict(
        String metric,
        String metricVersion,
        int score,
        int minScore,
        int maxScore,
        String justification,
        String judgeModel,
        Map<String, Object> parameters,
        String cacheKey,
        boolean cached,
        String cacheFile,
        Duration latency,
        TokenUsage usage,
        Sampling sampling,
        String batchId) {

    public Verdict {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(metricVersion, "metricVersion");
        Objects.requireNonNull(justification, "justification");
        Objects.requireNonNull(judgeModel, "judgeModel");
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters == null ? Map.of() : parameters));
        latency = latency == null ? Duration.ZERO : latency;
        usage = usage == null ? TokenUsage.NONE : usage;
        if (score < minScore || score > maxScore) {
            throw new IllegalArgumentException("score " + score + " is outside " + minScore + ".." + maxScore);
        }
        sampling = sampling == null ? Sampling.single(score, justification) : sampling;
        if (sampling.min() < minScore || sampling.max() > maxScore) {
            throw new IllegalArgumentException("sample scores " + sampling.scores() + " are not all within " + minScore + ".." + maxScore);
        }
        for (Sampling.Sample sample : sampling.samples()) {
            if (sample.distribution() != null && sample.distribution().probabilities().keySet().stream()
                    .anyMatch(level -> level < minScore || level > maxScore)) {
                throw new IllegalArgumentException("the score distribution " + sample.distribution().probabilities()
                        + " has levels outside " + minScore + ".." + maxScore);
            }
        }
        if (sampling.median() != score) {
            throw new IllegalArgumentException("score " + score + " is not the median " + sampling.median() + " of the sample scores "
                    + sampling.scores());
        }
    }

    /** A verdict judged by a live call (no batch). */
    public Verdict(String metric, String metricVersion, int score, int minScore, int maxScore, String justification, String judgeModel,
            Map<String, Object> parameters, String cacheKey, boolean cached, String cacheFile, Duration latency, TokenUsage usage,
            Sampling sampling) {
        this(metric, metricVersion, score, minScore, maxScore, justification, judgeModel, parameters, cacheKey, cached, cacheFile, latency,
                usage, sampling, null);
    }

    /** A verdict of one sample: its score and justification. */
    public Verdict(String metric, String metricVersion, int score, int minScore, int maxScore, String justification, String judgeModel,
            Map<String, Object> parameters, String cacheKey, boolean cached, String cacheFile, Duration latency, TokenUsage usage) {
        this(metric, metricVersion, score, minScore, maxScore, justification, judgeModel, parameters, cacheKey, cached, cacheFile, latency,
                usage, null);
    }

    /**
     * The weighted score, when the verdict is scored by probabilities: the median (the lower middle
     * one of an even number) of its samples' probability-weighted scores; empty when it is scored by
     * the integer the judge wrote.
     */
    public OptionalDouble weightedScore() {
        return sampling.byProbabilities() ? OptionalDouble.of(sampling.effectiveMedian()) : OptionalDouble.empty();
    }

    /** The score a threshold is compared with: the {@linkplain #weightedScore() weighted score} when there is one, else {@link #score()}. */
    public double effectiveScore() {
        return weightedScore().orElse(score);
    }

    /**
     * Whether the verdict meets {@code threshold}: its {@linkplain #effectiveScore() effective score} is at least the
     * {@linkplain #effectiveThreshold(int) effective threshold}, which is {@code threshold} itself unless a rubric of two
     * levels is scored by probabilities.
     */
    public boolean meets(int threshold) {
        return effectiveScore() >= effectiveThreshold(threshold);
    }

    /**
     * Whether the samples' effective scores fall on both sides of {@code threshold}, as {@link #meets} compares them: some
     * reach its {@linkplain #effectiveThreshold(int) effective threshold}, some do not.
     */
    public boolean unstableAt(int threshold) {
        return sampling.unstableAt(effectiveThreshold(threshold));
    }

    /** The effective score at which this verdict meets {@code threshold}: {@link #effectiveThreshold(int, int, int, boolean)} for its rubric. */
    public double effectiveThreshold(int threshold) {
        return effectiveThreshold(threshold, minScore, maxScore, sampling.byProbabilities());
    }

    /**
     * The effective score at which a verdict on a rubric of {@code minScore} to {@code maxScore} meets {@code threshold}: the
     * one rule of every comparison of a score with a threshold (a check's outcome, its unstable mark, the early stop of
     * sampling, a retrieval check's chunks and sentences, the reports).
     *
     * <p>It is {@code threshold} itself, except for a rubric of exactly two levels (such as the 0/1 of a pass/fail metric)
     * scored by probabilities: there a threshold of the higher level is met at the midpoint of the two levels, when the judge
     * found the higher level at least as probable as the lower. A weighted score on 0/1 is the probability of 1, so a pass
     * needs {@code P(1) >= 0.5}; compared with 1 itself, a judge 97% sure of a pass would fail the check, and only a certain
     * judge could pass one. Scored by the integer the judge wrote, the midpoint and the higher level decide alike.
     *
     * <pre>{@code
     * Verdict.effectiveThreshold(4, 1, 5, true);    // 4.0
     * Verdict.effectiveThreshold(1, 0, 1, true);    // 0.5
     * Verdict.effectiveThreshold(1, 0, 1, false);   // 1.0
     * }</pre>
     */
    public static double effectiveThreshold(int threshold, int minScore, int maxScore, boolean byProbabilities) {
        return byProbabilities && maxScore == minScore + 1 && threshold == maxScore ? minScore + 0.5 : threshold;
    }

    /** This verdict with another justification (that of its one sample too); the same verdict when the text is the same. */
    public Verdict withJustification(String text) {
        if (justification.equals(text)) {
            return this;
        }
        return new Verdict(metric, metricVersion, score, minScore, maxScore, text, judgeModel, parameters, cacheKey, cached, cacheFile,
                latency, usage, sampling.drawn() == Sampling.Drawn.SINGLE ? Sampling.single(sampling.samples().get(0).withJustification(text))
                        : sampling, batchId);
    }

    /** This verdict with its justification and every sample's passed through {@code edit}; the same verdict when none changes. */
    public Verdict withJustifications(UnaryOperator<String> edit) {
        String text = edit.apply(justification);
        List<Sampling.Sample> samples = sampling.samples().stream()
                .map(s -> s.withJustification(sampling.drawn() == Sampling.Drawn.SINGLE ? text : edit.apply(s.justification())))
                .toList();
        if (justification.equals(text) && samples.equals(sampling.samples())) {
            return this;
        }
        return new Verdict(metric, metricVersion, score, minScore, maxScore, text, judgeModel, parameters, cacheKey, cached, cacheFile,
                latency, usage, new Sampling(sampling.asked(), sampling.drawn(), sampling.stoppedEarly(), samples), batchId);
    }

    /** This verdict as stored under {@code key} in {@code file}; {@code cached} tells whether it was read back. */
    public Verdict withCacheEntry(String key, String file, boolean fromCache) {
        return new Verdict(metric, metricVersion, score, minScore, maxScore, justification, judgeModel,
                parameters, key, fromCache, file, latency, usage, sampling, batchId);
    }

    /** Whether the verdict was judged in a provider's batch ({@link #batchId()} is set), at the batch price. */
    public boolean batchJudged() {
        return batchId != null;
    }

    /** This verdict as judged in the provider's batch {@code id}. */
    public Verdict withBatchId(String id) {
        return new Verdict(metric, metricVersion, score, minScore, maxScore, justification, judgeModel,
                parameters, cacheKey, cached, cacheFile, latency, usage, sampling, id);
    }
}
