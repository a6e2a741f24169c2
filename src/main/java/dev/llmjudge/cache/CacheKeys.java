package dev.llmjudge.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Metric, String> METRIC_DIGESTS = new ConcurrentHashMap<>();
    private static final Map<String, String> MESSAGE_DIGESTS = new ConcurrentHashMap<>();
    private static final int REMEMBERED_MESSAGE_LENGTH = 1024;
    private static final int MAX_REMEMBERED_MESSAGES = 10_000;

    private CacheKeys() {
    }

    /** The key for grading with {@code metric} a request that the judge would send as {@code fingerprint}. */
    public static String key(Metric metric, JudgeFingerprint fingerprint) {
        MessageDigest digest = sha256();
        update(digest, "key_format=" + KEY_FORMAT);
        update(digest, "metric=" + METRIC_DIGESTS.computeIfAbsent(metric, CacheKeys::metricDigest));
        update(digest, "model=" + fingerprint.model());
        for (Map.Entry<String, Object> p : fingerprint.parameters().entrySet()) {
            update(digest, "param:" + p.getKey() + "=" + p.getValue());
        }
        for (String message : fingerprint.messages()) {
            update(digest, "message=" + messageDigest(message));
        }
        return HexFormat.of().formatHex(digest.digest());
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

    private static String metricDigest(Metric metric) {
        ObjectNode m = JSON.createObjectNode();
        m.put("name", metric.name());
        m.put("version", metric.version());
        m.put("definition", metric.definition());
        ArrayNode rubric = m.putArray("rubric");
        for (GradingLevel level : metric.rubric()) {
            rubric.addObject().put("score", level.score()).put("description", level.description());
        }
        ArrayNode examples = m.putArray("examples");
        for (Example example : metric.examples()) {
            ObjectNode e = examples.addObject();
            for (Field field : Field.values()) {
                e.put(field.name().toLowerCase(Locale.ROOT), example.get(field));
            }
            e.put("score", example.score()).put("justification", example.justification());
        }
        ArrayNode fields = m.putArray("fields");
        metric.requiredFields().forEach(f -> fields.add(f.name()));
        if (metric.passThreshold() != null) {
            m.put("pass_threshold", metric.passThreshold());
        }
        try {
            return sha256Hex(JSON.writeValueAsString(m));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise metric " + metric.name(), e);
        }
    }

    private static void update(MessageDigest digest, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        // Length-prefixed, so that no two different sequences of parts hash alike.
        digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
    }

    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
