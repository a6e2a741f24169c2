package dev.llmjudge.config;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The configured quality gates, {@code llmjudge.gate.*}: the baseline gate, the gate on unstable checks, and each metric's
 * {@code min-mean}, {@code min-pass-rate} and {@code max-drop}. A metric's gates are looked up when asked for, as
 * JUnit configuration parameters cannot be listed; those that could be were read at start-up.
 *
 * <pre>{@code
 * GateConfig gates = LlmJudgeConfig.fromEnvironment().gates();
 * gates.maxDrop();                                         // Optional.empty() unless configured
 * gates.forMetric("answer_similarity").minMean();          // e.g. Optional[3.5]
 * gates.forMetric("semantic_similarity").maxDrop();        // e.g. Optional[10], in place of maxDrop() for that metric
 * }</pre>
 */
public final class GateConfig {
    private final Optional<Integer> maxDrop;
    private final Optional<UnstableLimit> maxUnstable;
    private final Function<String, MetricGate> lookup;
    private final Map<String, MetricGate> byMetric = new ConcurrentHashMap<>();

    GateConfig(Optional<Integer> maxDrop, Optional<UnstableLimit> maxUnstable, Function<String, MetricGate> lookup) {
        this.maxDrop = maxDrop;
        this.maxUnstable = maxUnstable;
        this.lookup = lookup;
    }

    /**
     * The gates of one metric, per test class: the lowest mean score, the lowest pass rate (a fraction) and the score drop
     * against the baseline that fails a class in place of {@link #maxDrop() the class-wide one}, if configured.
     */
    public record MetricGate(Optional<Double> minMean, Optional<Double> minPassRate, Optional<Integer> maxDrop) {
        /** The lowest mean score and the lowest pass rate, without a drop bound of the metric's own. */
        public MetricGate(Optional<Double> minMean, Optional<Double> minPassRate) {
            this(minMean, minPassRate, Optional.empty());
        }

        /** Whether no bound is configured. */
        public boolean isEmpty() {
            return minMean.isEmpty() && minPassRate.isEmpty() && maxDrop.isEmpty();
        }
    }

    /** The score drop against the baseline that fails a class ({@code llmjudge.gate.max-drop}), if configured. */
    public Optional<Integer> maxDrop() {
        return maxDrop;
    }

    /** The most unstable checks a class may have ({@code llmjudge.gate.max-unstable}), if configured. */
    public Optional<UnstableLimit> maxUnstable() {
        return maxUnstable;
    }

    /** The configured gates of a metric; throws {@link ConfigurationException} for a malformed bound. */
    public MetricGate forMetric(String metric) {
        return byMetric.computeIfAbsent(metric, lookup);
    }

    @Override
    public String toString() {
        return "GateConfig[maxDrop=" + maxDrop + ", maxUnstable=" + maxUnstable + ", metrics=" + byMetric + "]";
    }
}
