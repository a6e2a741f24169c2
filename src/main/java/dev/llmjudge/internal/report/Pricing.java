package dev.llmjudge.internal.report;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Published list prices of common judge models, for the report's cost estimate. Only verdicts
 * judged in the run cost anything; recorded verdicts are free. A model not in the table has no
 * estimate (the report shows "cost unknown"), never a guessed one.
 *
 * <p>Prices in US dollars per million tokens (input / output), as listed by OpenAI:
 * <table>
 *   <caption>Prices per million tokens</caption>
 *   <tr><th>model (and dated snapshots)</th><th>input</th><th>output</th></tr>
 *   <tr><td>gpt-4.1</td><td>2.00</td><td>8.00</td></tr>
 *   <tr><td>gpt-4.1-mini</td><td>0.40</td><td>1.60</td></tr>
 *   <tr><td>gpt-4.1-nano</td><td>0.10</td><td>0.40</td></tr>
 *   <tr><td>gpt-4o</td><td>2.50</td><td>10.00</td></tr>
 *   <tr><td>gpt-4o-mini</td><td>0.15</td><td>0.60</td></tr>
 *   <tr><td>o4-mini</td><td>1.10</td><td>4.40</td></tr>
 *   <tr><td>gpt-5</td><td>1.25</td><td>10.00</td></tr>
 *   <tr><td>gpt-5-mini</td><td>0.25</td><td>2.00</td></tr>
 *   <tr><td>gpt-5-nano</td><td>0.05</td><td>0.40</td></tr>
 * </table>
 *
 * <pre>{@code
 * Pricing.estimateUsd("gpt-4.1", 1_000, 200);   // Optional[0.0036]
 * }</pre>
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

    private Pricing() {
    }

    /** Every priced model. */
    public static List<Price> table() {
        return TABLE;
    }

    /**
     * The price of a model: an exact name, or a dated snapshot of one ({@code gpt-4.1-2025-04-14}).
     * Azure deployment names and other servers' models are unknown.
     */
    public static Optional<Price> priceOf(String model) {
        if (model == null) {
            return Optional.empty();
        }
        String m = model.strip().toLowerCase(Locale.ROOT);
        return TABLE.stream()
                .filter(p -> m.equals(p.model()) || m.matches(java.util.regex.Pattern.quote(p.model()) + "-\\d{4}-\\d{2}-\\d{2}"))
                .max(Comparator.comparingInt(p -> p.model().length()));
    }

    /** The estimated cost of one call, or empty when the model's price is unknown. */
    public static Optional<Double> estimateUsd(String model, long promptTokens, long completionTokens) {
        return priceOf(model).map(p -> (promptTokens * p.inputPerMillion() + completionTokens * p.outputPerMillion()) / 1_000_000.0);
    }
}
