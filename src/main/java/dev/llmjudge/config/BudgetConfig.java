package dev.llmjudge.config;

import java.util.Optional;

/**
 * The run's budget, {@code llmjudge.budget.*}: the most judge calls and tokens (prompt and reply)
 * one run may spend, each empty for no budget; recorded verdicts are free.
 *
 * <pre>{@code
 * BudgetConfig budget = LlmJudgeConfig.fromEnvironment().budget();
 * budget.maxCalls().ifPresent(max -> System.out.println("at most " + max + " judge calls"));
 * }</pre>
 */
public record BudgetConfig(Optional<Long> maxCalls, Optional<Long> maxTokens) {
}
