package dev.llmjudge.config;

import dev.llmjudge.internal.Sha256;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of {@code count} shards a suite is split into, {@code llmjudge.shard=K/N} (counted from 1):
 * the shard keeps the test classes whose top-level class it {@link #holds}. A class's shard is the
 * SHA-256 of its fully-qualified name (UTF-8), read as an unsigned big-endian number, modulo
 * {@code N}, plus 1: the same on every JVM and machine, and independent of the order or number of
 * the other classes.
 *
 * <pre>{@code
 * Shard second = Shard.parse("2/3");
 * second.holds("com.example.SupportBotTest");   // whether shard 2 of 3 runs that class
 * Shard.of("com.example.SupportBotTest", 3);    // the shard of 3 that runs it, 1 to 3
 * second.toString();                            // "2/3"
 * }</pre>
 *
 * @param index the shard, from 1 to {@code count}
 * @param count how many shards there are, at least 1
 */
public record Shard(int index, int count) {
    private static final Pattern TEXT = Pattern.compile("(\\d{1,9})\\s*/\\s*(\\d{1,9})");

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException(expected(index, count));
        }
    }

    /**
     * Reads {@code K/N}, e.g. {@code 2/3}; throws {@link IllegalArgumentException} saying what is
     * expected for text that is not two whole numbers, a shard of 0, or a shard past the count.
     */
    public static Shard parse(String text) {
        Matcher m = TEXT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("K/N, the shard K of N shards counted from 1, e.g. 2/3 for the second of three");
        }
        return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** The shard, from 1 to {@code count}, that runs the top-level test class {@code className}. */
    public static int of(String className, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("a shard count of at least 1, not " + count);
        }
        return new BigInteger(1, Sha256.of(className)).mod(BigInteger.valueOf(count)).intValue() + 1;
    }

    /** Whether this shard runs the top-level test class {@code className} (nested classes go with it). */
    public boolean holds(String className) {
        return of(className, count) == index;
    }

    /** {@code K/N}, as the key is written. */
    @Override
    public String toString() {
        return index + "/" + count;
    }

    private static String expected(int index, int count) {
        if (count < 1) {
            return "K/N with N, the number of shards, at least 1";
        }
        if (index < 1) {
            return "K/N with K from 1 to " + count + ": shards are counted from 1 (1/" + count + " is the first)";
        }
        return "K/N with K from 1 to " + count + ": there is no shard " + index + " of " + count;
    }
}
