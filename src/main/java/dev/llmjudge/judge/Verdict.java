package dev.llmjudge.judge;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a judge said about one case on one metric, and where it came from (model, parameters,
 * cache entry, cost). It holds no threshold: one verdict serves any threshold.
 *
 * <pre>{@code
 * Verdict v = judge.judge(request);
 * if (v.score() < 4) System.out.println(v.justification());
 * }</pre>
 *
 * @param metric the metric's name
 * @param metricVersion the metric's version
 * @param score the score, within {@code minScore..maxScore}
 * @param minScore the lowest score of the metric's rubric
 * @param maxScore the highest score of the metric's rubric
 * @param justification the judge's reasoning, given before the score
 * @param judgeModel the model (or embedding model) that produced the verdict
 * @param parameters the sampling parameters actually sent, e.g. {@code temperature=0.0}; kept as an unmodifiable copy
 *     sorted by name
 * @param cacheKey the verdict cache key, or {@code null} when no cache was involved
 * @param cached whether the verdict was read from the cache rather than judged now
 * @param cacheFile the verdict file, or {@code null} when it was not stored
 * @param latency how long the judge took when the verdict was produced
 * @param usage the tokens the judge call consumed when the verdict was produced
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
        TokenUsage usage) {

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
    }

    /** This verdict with another justification; the same verdict when the text is the same. */
    public Verdict withJustification(String text) {
        if (justification.equals(text)) {
            return this;
        }
        return new Verdict(metric, metricVersion, score, minScore, maxScore, text, judgeModel,
                parameters, cacheKey, cached, cacheFile, latency, usage);
    }

    /** This verdict as stored under {@code key} in {@code file}; {@code cached} tells whether it was read back. */
    public Verdict withCacheEntry(String key, String file, boolean fromCache) {
        return new Verdict(metric, metricVersion, score, minScore, maxScore, justification, judgeModel,
                parameters, key, fromCache, file, latency, usage);
    }
}
