package dev.llmjudge.config;

import java.util.Optional;

/**
 * The "no worse than main" gate, {@code llmjudge.gate.pairwise-baseline} and
 * {@code llmjudge.gate.max-loss-rate}: with a baseline report set, each test class compares each
 * case's current answer with the baseline's answer for the same case, judged pairwise in both
 * orders, and fails when more of its cases lose than the bound allows.
 *
 * <pre>{@code
 * PairwiseGateConfig pairwise = LlmJudgeConfig.fromEnvironment().pairwiseGate();
 * pairwise.enabled();       // true with -Dllmjudge.gate.pairwise-baseline=true
 * pairwise.maxLossRate();   // 0.05 with -Dllmjudge.gate.max-loss-rate=5%
 * }</pre>
 *
 * @param enabled whether the gate compares answers with the baseline's
 * @param maxLossRate the largest share of compared cases that may lose, from 0 to 1 (default 0: none may)
 */
public record PairwiseGateConfig(boolean enabled, double maxLossRate) {
    /** The bound as configured, when the gate is on. */
    public Optional<Double> bound() {
        return enabled ? Optional.of(maxLossRate) : Optional.empty();
    }
}
