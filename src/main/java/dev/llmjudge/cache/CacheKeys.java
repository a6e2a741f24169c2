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
import java.util.Map;

/**
 * Computes verdict cache keys: the SHA-256 of a canonical JSON document holding everything
 * that can change a verdict and nothing secret.
 *
 * <p>In the key: the metric's name, version, definition, rubric, examples and fields; the
 * judge model; the sampling parameters; the rendered messages (which hold the case). Not in
 * the key: the API key, the base URL (the same model behind another endpoint reuses the
 * verdict), timeouts and retry settings, the threshold.
 */
public final class CacheKeys {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CacheKeys() {
    }

    /** The key for grading with {@code metric} a request that the judge would send as {@code fingerprint}. */
    public static String key(Metric metric, JudgeFingerprint fingerprint) {
        ObjectNode root = JSON.createObjectNode();
        root.put("key_format", 1);
        ObjectNode m = root.putObject("metric");
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
                e.put(field.name().toLowerCase(java.util.Locale.ROOT), example.get(field));
            }
            e.put("score", example.score()).put("justification", example.justification());
        }
        ArrayNode fields = m.putArray("fields");
        metric.requiredFields().forEach(f -> fields.add(f.name()));
        if (metric.passThreshold() != null) {
            m.put("pass_threshold", metric.passThreshold());
        }
        ObjectNode judge = root.putObject("judge");
        judge.put("model", fingerprint.model());
        ObjectNode params = judge.putObject("parameters");
        for (Map.Entry<String, Object> p : fingerprint.parameters().entrySet()) {
            params.putPOJO(p.getKey(), p.getValue());
        }
        ArrayNode messages = root.putArray("messages");
        fingerprint.messages().forEach(messages::add);
        try {
            return sha256(JSON.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise cache key material", e);
        }
    }

    static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
