package dev.llmjudge.config;

import java.math.BigDecimal;

/**
 * The most unstable checks a test class may have ({@code llmjudge.gate.max-unstable},
 * {@code @QualityGate(maxUnstable = ...)}): a count ({@code 2}) or a share of the judged checks
 * ({@code 10%}). A check is unstable when its samples fall on both sides of its threshold.
 *
 * <pre>{@code
 * UnstableLimit limit = UnstableLimit.parse("10%");
 * limit.exceededBy(2, 10);   // true: 20% of the judged checks are unstable
 * }</pre>
 *
 * @param text the limit as written, e.g. {@code 2} or {@code 10%}
 * @param count the most unstable checks, or {@code -1} for a share
 * @param share the largest share of unstable checks (0 to 1), or {@code -1} for a count
 */
public record UnstableLimit(String text, int count, double share) {
    /** What a limit looks like, for messages. */
    static final String EXPECTED = "a count of unstable checks such as 2, or a share of the judged checks such as 10%";

    /** Reads {@code 2} (a count) or {@code 10%} (a share); throws {@link IllegalArgumentException} saying what is expected. */
    public static UnstableLimit parse(String text) {
        String t = text.strip();
        try {
            if (t.endsWith("%")) {
                BigDecimal percent = new BigDecimal(t.substring(0, t.length() - 1).strip());
                if (percent.signum() >= 0 && percent.compareTo(BigDecimal.valueOf(100)) <= 0) {
                    return new UnstableLimit(t, -1, percent.doubleValue() / 100);
                }
            } else if (t.matches("\\d{1,9}")) {
                return new UnstableLimit(t, Integer.parseInt(t), -1);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(EXPECTED, e);
        }
        throw new IllegalArgumentException(EXPECTED);
    }

    /** Whether the limit is a share of the judged checks rather than a count. */
    public boolean isShare() {
        return count < 0;
    }

    /** Whether {@code unstable} checks of {@code judged} are more than the limit allows. */
    public boolean exceededBy(int unstable, int judged) {
        return isShare() ? judged > 0 && (double) unstable / judged > share : unstable > count;
    }

    @Override
    public String toString() {
        return text;
    }
}
