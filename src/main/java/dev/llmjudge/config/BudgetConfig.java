package dev.llmjudge.config;

import java.util.Optional;

/**
 * The run's budget, {@code llmjudge.budget.*}: what the judge may spend in one run (recorded
 * verdicts are free).
 *
 * <pre>{@code
 * BudgetConfig budget = LlmJudgeConfig.fromEnvironment().budget();
 * budget.maxCalls().ifPresent(max -> System.out.println("at most " + max + " judge calls"));
 * }</pre>
 *
 * @param maxCalls most judge calls per run; empty: no budget
 * @param maxTokens most judge tokens (prompt and reply) per run; empty: no budget
 */
public record BudgetConfig(Optional<Long> maxCalls, Optional<Long> maxTokens) {
}
