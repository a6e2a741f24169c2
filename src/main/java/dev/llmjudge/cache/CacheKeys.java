package dev.llmjudge.cache;

import dev.llmjudge.judge.JsonText;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.metric.Example;
import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.GradingLevel;
import dev.llmjudge.metric.Metric;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Computes verdict cache keys: a SHA-256 over everything that can change a verdict and
 * nothing secret.
 *
 * <p>In the key: the metric's name, version, definition, rubric, examples and fields; the
 * judge model; the sampling parameters; every rendered message (which hold the case). Not in
 * the key: the API key, the base URL (the same model behind another endpoint reuses the
 * verdict), timeouts and retry settings, the threshold.
 *
 * <p>The key is one SHA-256 over length-prefixed parts, in this order: the key format, the
 * digest of the metric, the model, each sampling parameter by name, then each message. The
 * instructions (the first of several messages, the same for every case of a metric) enter as
 * their own digest, every other message as its text. The digest state after everything a
 * dataset repeats is computed once per request shape and copied, so a replayed check hashes
 * little more than its own case: on a JVM that has not yet compiled SHA-256 to its CPU
 * instructions, the hashing is the largest part of what a replayed check costs.
 */
public final class CacheKeys {
    /** Changes whenever the key derivation changes, so that old verdicts are judged again rather than misread. */
    static final int KEY_FORMAT = 3;

    private static final Map<Metric, String> METRIC_DIGESTS = new ConcurrentHashMap<>();
    private static final Map<String, String> MESSAGE_DIGESTS = new ConcurrentHashMap<>();
    private static final int MAX_REMEMBERED_MESSAGES = 10_000;
    /** Request shapes remembered: a test that checks each row on a few metrics alternates between as many. */
    private static final int REMEMBERED_SHAPES = 8;
    // One digest per thread, reset before each use: looking a digest up by name costs more than hashing a short case.
    private static final ThreadLocal<MessageDigest> TEXT_DIGEST = ThreadLocal.withInitial(CacheKeys::newSha256);
    /** The metric keyed last, by identity: a metric's hash walks its whole rubric, and a dataset keys one metric many times. */
    private static volatile MetricDigest lastMetric;
    /** The digest states of the request shapes keyed most recently, newest first; replaced, never changed. */
    private static volatile Prefix[] recentPrefixes = new Prefix[0];
    private static final AtomicBoolean PREPARED = new AtomicBoolean();

    private record MetricDigest(Metric metric, String digest) {
    }

    private CacheKeys() {
    }

    /**
     * Sets up the JDK's SHA-256 on a background thread, once per JVM, so that the first check of
     * a run does not wait for it: the security provider framework behind
     * {@link MessageDigest#getInstance(String)} takes a cold JVM some tens of milliseconds to
     * load. The JUnit extension calls it when a test class starts.
     */
    public static void prepareInBackground() {
        if (PREPARED.compareAndSet(false, true)) {
            Thread thread = new Thread(() -> TEXT_DIGEST.get().digest(), "llm-judge-prepare-sha-256");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** The key for grading with {@code metric} a request that the judge would send as {@code fingerprint}. */
    public static String key(Metric metric, JudgeFingerprint fingerprint) {
        List<String> messages = fingerprint.messages();
        Prefix prefix = prefixFor(metric, fingerprint);
        MessageDigest digest = prefix.copy();
        for (int i = prefix.messages(); i < messages.size(); i++) {
            update(digest, "message=", messages.get(i));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The digest state after the parts a dataset repeats on every case: format, metric, model,
     * parameters and, when more messages follow, the instructions.
     */
    private static Prefix prefixFor(Metric metric, JudgeFingerprint fingerprint) {
        List<String> messages = fingerprint.messages();
        String instructions = messages.size() > 1 ? messages.get(0) : null;
        Prefix[] recent = recentPrefixes;
        for (Prefix known : recent) {
            if (known.matches(metric, fingerprint, instructions)) {
                return known;
            }
        }
        MessageDigest digest = newSha256();
        update(digest, "key_format=", String.valueOf(KEY_FORMAT));
        update(digest, "metric=", metricDigestOf(metric));
        update(digest, "model=", fingerprint.model());
        for (Map.Entry<String, Object> p : fingerprint.parameters().entrySet()) {
            update(digest, "param:", p.getKey() + "=" + p.getValue());
        }
        if (instructions != null) {
            update(digest, "instructions=", instructionsDigest(instructions));
        }
        Prefix prefix = new Prefix(metric, fingerprint.model(), fingerprint.parameters(), instructions, digest);
        Prefix[] next = new Prefix[Math.min(REMEMBERED_SHAPES, recent.length + 1)];
        next[0] = prefix;
        System.arraycopy(recent, 0, next, 1, next.length - 1);
        recentPrefixes = next;
        return prefix;
    }

    /** A digest state after a request's repeated parts; never updated after it is made, only copied. */
    private record Prefix(Metric metric, String model, Map<String, Object> parameters, String instructions, MessageDigest state) {
        boolean matches(Metric otherMetric, JudgeFingerprint fingerprint, String otherInstructions) {
            // Equal metrics made apart (meets("...") makes one per check) share a shape.
            return (metric == otherMetric || metric.equals(otherMetric)) && model.equals(fingerprint.model())
                    && (parameters == fingerprint.parameters() || parameters.equals(fingerprint.parameters()))
                    && (instructions == null ? otherInstructions == null : instructions.equals(otherInstructions));
        }

        int messages() {
            return instructions == null ? 0 : 1;
        }

        MessageDigest copy() {
            try {
                return (MessageDigest) state.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException("SHA-256 digests of this JVM cannot be copied", e);
            }
        }
    }

    private static String metricDigestOf(Metric metric) {
        MetricDigest last = lastMetric;
        if (last != null && last.metric() == metric) {
            return last.digest();
        }
        String digest = METRIC_DIGESTS.computeIfAbsent(metric, CacheKeys::metricDigest);
        lastMetric = new MetricDigest(metric, digest);
        return digest;
    }

    private static String instructionsDigest(String instructions) {
        String known = MESSAGE_DIGESTS.get(instructions);
        if (known == null) {
            known = sha256Hex(instructions);
            if (MESSAGE_DIGESTS.size() < MAX_REMEMBERED_MESSAGES) {
                MESSAGE_DIGESTS.put(instructions, known);
            }
        }
        return known;
    }

    /**
     * A digest of the metric as compact JSON (name, version, definition, rubric, examples,
     * fields, pass threshold), written exactly as Jackson would write it, so keys stay stable.
     */
    private static String metricDigest(Metric metric) {
        StringBuilder m = new StringBuilder("{");
        member(m, "name", metric.name()).append(',');
        member(m, "version", metric.version()).append(',');
        member(m, "definition", metric.definition()).append(',');
        name(m, "rubric").append('[');
        String separator = "";
        for (GradingLevel level : metric.rubric()) {
            m.append(separator).append('{');
            name(m, "score").append(level.score()).append(',');
            member(m, "description", level.description()).append('}');
            separator = ",";
        }
        m.append("],");
        name(m, "examples").append('[');
        separator = "";
        for (Example example : metric.examples()) {
            m.append(separator).append('{');
            for (Field field : Field.values()) {
                member(m, field.name().toLowerCase(Locale.ROOT), example.get(field)).append(',');
            }
            name(m, "score").append(example.score()).append(',');
            member(m, "justification", example.justification()).append('}');
            separator = ",";
        }
        m.append("],");
        name(m, "fields").append('[');
        separator = "";
        for (Field field : metric.requiredFields()) {
            m.append(separator);
            JsonText.quote(m, field.name());
            separator = ",";
        }
        m.append(']');
        if (metric.passThreshold() != null) {
            m.append(',');
            name(m, "pass_threshold").append(metric.passThreshold().intValue());
        }
        return sha256Hex(m.append('}').toString());
    }

    private static StringBuilder name(StringBuilder out, String name) {
        JsonText.quote(out, name);
        return out.append(':');
    }

    private static StringBuilder member(StringBuilder out, String name, String value) {
        JsonText.quote(name(out, name), value);
        return out;
    }

    /** Adds a named part, length-prefixed, so that no two different sequences of parts hash alike. */
    private static void update(MessageDigest digest, String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update((name + (bytes.length) + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
    }

    static String sha256Hex(String text) {
        MessageDigest digest = TEXT_DIGEST.get();
        digest.reset();
        return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
