package dev.llmjudge.config;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The configured quality gates, {@code llmjudge.gate.*}: the baseline gate, the gate on unstable checks, and each metric's
 * {@code min-mean} and {@code min-pass-rate}. A metric's gates are looked up when asked for, as
 * JUnit configuration parameters cannot be listed; those that could be were read at start-up.
 *
 * <pre>{@code
 * GateConfig gates = LlmJudgeConfig.fromEnvironment().gates();
 * gates.maxDrop();                                         // Optional.empty() unless configured
 * gates.forMetric("answer_similarity").minMean();          // e.g. Optional[3.5]
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

    /** The gates of one metric, per test class: the lowest mean score and the lowest pass rate (a fraction), if configured. */
    public record MetricGate(Optional<Double> minMean, Optional<Double> minPassRate) {
        /** Whether neither bound is configured. */
        public boolean isEmpty() {
            return minMean.isEmpty() && minPassRate.isEmpty();
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
