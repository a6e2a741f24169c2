package dev.llmjudge.internal.report;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * OpenAI's list prices of common judge models, in US dollars per million tokens, for the
 * report's cost estimate. A model not in the table has no estimate, never a guessed one. A verdict
 * judged through the Batch API is priced at the batch rate, {@value #BATCH_RATE} of the live price.
 */
public final class Pricing {
    /** A model's price in US dollars per million tokens. */
    public record Price(String model, double inputPerMillion, double outputPerMillion) {
    }

    private static final List<Price> TABLE = List.of(
            new Price("gpt-4.1", 2.00, 8.00),
            new Price("gpt-4.1-mini", 0.40, 1.60),
            new Price("gpt-4.1-nano", 0.10, 0.40),
            new Price("gpt-4o", 2.50, 10.00),
            new Price("gpt-4o-mini", 0.15, 0.60),
            new Price("o4-mini", 1.10, 4.40),
            new Price("gpt-5", 1.25, 10.00),
            new Price("gpt-5-mini", 0.25, 2.00),
            new Price("gpt-5-nano", 0.05, 0.40));

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
        return estimateUsd(model, promptTokens, completionTokens).map(usd -> batch ? usd * BATCH_RATE : usd);
    }

    /** The estimated cost of one call, or empty when the model's price is unknown. */
    public static Optional<Double> estimateUsd(String model, long promptTokens, long completionTokens) {
        return priceOf(model).map(p -> (promptTokens * p.inputPerMillion() + completionTokens * p.outputPerMillion()) / 1_000_000.0);
    }
}
