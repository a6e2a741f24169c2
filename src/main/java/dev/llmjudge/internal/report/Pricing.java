package dev.llmjudge.internal.report;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * OpenAI's list prices of common judge models, in US dollars per million tokens, for the
 * report's cost estimate: prompt tokens, prompt tokens read from the provider's prompt cache
 * ({@code usage.prompt_tokens_details.cached_tokens}, at the cached rate) and reply tokens. A model
 * not in the table has no estimate, never a guessed one. A verdict judged through the Batch API is
 * priced at the batch rate, {@value #BATCH_RATE} of the live price.
 */
public final class Pricing {
    /** A model's price in US dollars per million tokens: prompt, reply, and prompt tokens read from the prompt cache. */
    public record Price(String model, double inputPerMillion, double outputPerMillion, double cachedInputPerMillion) {
    }

    private static final List<Price> TABLE = List.of(
            new Price("gpt-4.1", 2.00, 8.00, 0.50),
            new Price("gpt-4.1-mini", 0.40, 1.60, 0.10),
            new Price("gpt-4.1-nano", 0.10, 0.40, 0.025),
            new Price("gpt-4o", 2.50, 10.00, 1.25),
            new Price("gpt-4o-mini", 0.15, 0.60, 0.075),
            new Price("o4-mini", 1.10, 4.40, 0.275),
            new Price("gpt-5", 1.25, 10.00, 0.125),
            new Price("gpt-5-mini", 0.25, 2.00, 0.025),
            new Price("gpt-5-nano", 0.05, 0.40, 0.005));

    /** The share of the live price the Batch API charges: {@value} (OpenAI's batch discount is 50%). */
    public static final double BATCH_RATE = 0.5;

    private Pricing() {
    }

    /** The price of a model: an exact name, or a dated snapshot of one ({@code gpt-4.1-2025-04-14}). */
    public static Optional<Price> priceOf(String model) {
        if (model == null) {
            return Optional.empty();
        }
        String m = model.strip().toLowerCase(Locale.ROOT);
        return TABLE.stream()
                .filter(p -> m.equals(p.model()) || m.matches(java.util.regex.Pattern.quote(p.model()) + "-\\d{4}-\\d{2}-\\d{2}"))
                .max(Comparator.comparingInt(p -> p.model().length()));
    }

    /** The estimated cost of one verdict, at the batch rate when {@code batch}, or empty when the model's price is unknown. */
    public static Optional<Double> estimateUsd(String model, long promptTokens, long completionTokens, boolean batch) {
        return estimateUsd(model, promptTokens, 0, completionTokens, batch);
    }

    /**
     * The estimated cost of one verdict whose {@code promptTokens} include {@code cachedPromptTokens} read from the prompt
     * cache (at the cached rate), at the batch rate when {@code batch}, or empty when the model's price is unknown.
     */
    public static Optional<Double> estimateUsd(String model, long promptTokens, long cachedPromptTokens, long completionTokens,
            boolean batch) {
        return estimateUsd(model, promptTokens, cachedPromptTokens, completionTokens).map(usd -> batch ? usd * BATCH_RATE : usd);
    }

    /** The estimated cost of one call without cached prompt tokens, or empty when the model's price is unknown. */
    public static Optional<Double> estimateUsd(String model, long promptTokens, long completionTokens) {
        return estimateUsd(model, promptTokens, 0, completionTokens);
    }

    /**
     * The estimated cost of one call whose {@code promptTokens} include {@code cachedPromptTokens} read from the prompt
     * cache (priced at the cached rate), or empty when the model's price is unknown.
     */
    public static Optional<Double> estimateUsd(String model, long promptTokens, long cachedPromptTokens, long completionTokens) {
        long cached = Math.min(Math.max(cachedPromptTokens, 0), promptTokens);
        return priceOf(model).map(p -> ((promptTokens - cached) * p.inputPerMillion() + cached * p.cachedInputPerMillion()
                + completionTokens * p.outputPerMillion()) / 1_000_000.0);
    }
}
