package dev.llmjudge.internal.cache;

import dev.llmjudge.internal.Sha256;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.metric.Example;
import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.GradingLevel;
import dev.llmjudge.metric.Metric;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verdict cache keys: the SHA-256 of everything that can change a verdict (the metric, the judge
 * model, the sampling parameters, the rendered messages) and nothing secret. The key hashes
 * named parts, each as its name, its value's length in UTF-8 bytes, a colon and the value
 * ({@code model=7:gpt-4.1}), so that no two different sequences are written alike. Key format 3
 * spelled the metric's fields in an earlier vocabulary; {@link #formerKey} still finds its verdicts.
 *
 * <p>The parts a metric fixes, its JSON and its instructions, are hashed once per metric: a
 * {@code CacheKeys} keeps their digests for the metrics it has seen (one entry per metric; the
 * instructions' digest is taken again when a judge sends other instructions for the metric).
 */
public final class CacheKeys {
    /** Changes whenever the key derivation changes, so that old verdicts are never misread. */
    public static final int KEY_FORMAT = 4;
    /** The format before, whose verdicts are still read. */
    static final int FORMER_KEY_FORMAT = 3;

    private static final JsonFactory JSON = new JsonFactory();

    /** What a metric's parts hash to: its JSON, and the instructions a judge sent for it. */
    private record MetricDigests(String metric, String instructions, String instructionsDigest) {
    }

    private final Map<Metric, MetricDigests> digests = new ConcurrentHashMap<>();

    /** The key for grading with {@code metric} a request that the judge would send as {@code fingerprint}. */
    public String key(Metric metric, JudgeFingerprint fingerprint) {
        List<String> messages = fingerprint.messages();
        String instructions = messages.size() > 1 ? messages.get(0) : null;
        MetricDigests known = digests.get(metric);
        if (known == null || !Objects.equals(known.instructions(), instructions)) {
            known = new MetricDigests(known != null ? known.metric() : Sha256.hex(metricJson(metric, KEY_FORMAT)), instructions,
                    instructions == null ? null : Sha256.hex(instructions));
            digests.put(metric, known);
        }
        return key(KEY_FORMAT, known.metric(), known.instructionsDigest(), fingerprint);
    }

    /** The key the same request had under key format {@value #FORMER_KEY_FORMAT}, where a verdict recorded then is. */
    public String formerKey(Metric metric, JudgeFingerprint fingerprint) {
        List<String> messages = fingerprint.messages();
        return key(FORMER_KEY_FORMAT, Sha256.hex(metricJson(metric, FORMER_KEY_FORMAT)),
                messages.size() > 1 ? Sha256.hex(messages.get(0)) : null, fingerprint);
    }

    private static String key(int format, String metricDigest, String instructionsDigest, JudgeFingerprint fingerprint) {
        MessageDigest digest = Sha256.digest();
        update(digest, "key_format=", String.valueOf(format));
        update(digest, "metric=", metricDigest);
        update(digest, "model=", fingerprint.model());
        for (Map.Entry<String, Object> parameter : fingerprint.parameters().entrySet()) {
            update(digest, "param:", parameter.getKey() + "=" + parameter.getValue());
        }
        List<String> messages = fingerprint.messages();
        if (instructionsDigest != null) {
            update(digest, "instructions=", instructionsDigest);
        }
        for (String message : messages.subList(instructionsDigest == null ? 0 : 1, messages.size())) {
            update(digest, "message=", message);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The metric as compact JSON, member by member in a fixed order; {@code pass_threshold}, {@code pairwise} and {@code steps} only when it has them. */
    static String metricJson(Metric metric, int format) {
        StringWriter json = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(json)) {
            g.writeStartObject();
            g.writeStringField("name", metric.name());
            g.writeStringField("version", metric.version());
            g.writeStringField("definition", metric.definition());
            g.writeArrayFieldStart("rubric");
            for (GradingLevel level : metric.rubric()) {
                g.writeStartObject();
                g.writeNumberField("score", level.score());
                g.writeStringField("description", level.description());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("examples");
            for (Example example : metric.examples()) {
                g.writeStartObject();
                for (Field field : Field.values()) {
                    g.writeStringField(format == FORMER_KEY_FORMAT ? formerMember(field) : field.jsonName(), example.get(field));
                }
                g.writeNumberField("score", example.score());
                g.writeStringField("justification", example.justification());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("fields");
            for (Field field : metric.requiredFields()) {
                g.writeString(format == FORMER_KEY_FORMAT ? formerMember(field).toUpperCase(Locale.ROOT) : field.jsonName());
            }
            g.writeEndArray();
            if (metric.passThreshold() != null) {
                g.writeNumberField("pass_threshold", metric.passThreshold());
            }
            if (metric.pairwise()) {
                g.writeBooleanField("pairwise", true);
            }
            if (metric.steps() != null) {
                g.writeArrayFieldStart("steps");
                for (String step : metric.steps().steps()) {
                    g.writeString(step);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metric " + metric.name() + " as JSON", e);
        }
        return json.toString();
    }

    /** A field as key format 3 spelled it in an example: {@code input}, {@code output}, {@code target}, {@code context}. */
    private static String formerMember(Field field) {
        return switch (field) {
            case QUESTION -> "input";
            case ANSWER -> "output";
            case GROUND_TRUTH -> "target";
            case CONTEXT -> "context";
        };
    }

    /** Adds a named part: its name, the length of its value in UTF-8 bytes, a colon, and the value. */
    private static void update(MessageDigest digest, String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update((name + bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
    }
}
