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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Computes verdict cache keys: a SHA-256 over everything that can change a verdict and
 * nothing secret.
 *
 * <p>In the key: the metric's name, version, definition, rubric, examples and fields; the
 * judge model; the sampling parameters; every rendered message (which hold the case). Not in
 * the key: the API key, the base URL (the same model behind another endpoint reuses the
 * verdict), timeouts and retry settings, the threshold.
 *
 * <p>The metric's part and the digests of long messages that repeat across cases (the
 * instructions) are computed once and remembered, so a key costs little more than hashing the
 * case itself.
 */
public final class CacheKeys {
    /** Changes whenever the key derivation changes, so that old verdicts are judged again rather than misread. */
    static final int KEY_FORMAT = 2;

    private static final Map<Metric, String> METRIC_DIGESTS = new ConcurrentHashMap<>();
    private static final Map<String, String> MESSAGE_DIGESTS = new ConcurrentHashMap<>();
    private static final int REMEMBERED_MESSAGE_LENGTH = 1024;
    private static final int MAX_REMEMBERED_MESSAGES = 10_000;
    // One digest per thread and use, reset before each: looking a digest up by name costs more than hashing a short case.
    private static final ThreadLocal<MessageDigest> KEY_DIGEST = ThreadLocal.withInitial(CacheKeys::newSha256);
    private static final ThreadLocal<MessageDigest> TEXT_DIGEST = ThreadLocal.withInitial(CacheKeys::newSha256);
    /** The metric keyed last, by identity: a metric's hash walks its whole rubric, and a dataset keys one metric many times. */
    private static volatile MetricDigest lastMetric;

    private record MetricDigest(Metric metric, String digest) {
    }

    private CacheKeys() {
    }

    /** The key for grading with {@code metric} a request that the judge would send as {@code fingerprint}. */
    public static String key(Metric metric, JudgeFingerprint fingerprint) {
        String metricDigest = metricDigestOf(metric);
        MessageDigest digest = KEY_DIGEST.get();
        digest.reset();
        update(digest, "key_format=" + KEY_FORMAT);
        update(digest, "metric=" + metricDigest);
        update(digest, "model=" + fingerprint.model());
        for (Map.Entry<String, Object> p : fingerprint.parameters().entrySet()) {
            update(digest, "param:" + p.getKey() + "=" + p.getValue());
        }
        for (String message : fingerprint.messages()) {
            update(digest, "message=" + messageDigest(message));
        }
        return HexFormat.of().formatHex(digest.digest());
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

    private static String messageDigest(String message) {
        if (message.length() < REMEMBERED_MESSAGE_LENGTH) {
            return sha256Hex(message);
        }
        String known = MESSAGE_DIGESTS.get(message);
        if (known == null) {
            known = sha256Hex(message);
            if (MESSAGE_DIGESTS.size() < MAX_REMEMBERED_MESSAGES) {
                MESSAGE_DIGESTS.put(message, known);
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

    private static void update(MessageDigest digest, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        // Length-prefixed, so that no two different sequences of parts hash alike.
        digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
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
