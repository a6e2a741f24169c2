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

/**
 * Computes verdict cache keys: a SHA-256 over everything that can change a verdict and
 * nothing secret.
 *
 * <p>In the key: the metric's name, version, definition, rubric, examples and fields; the
 * judge model; the sampling parameters; every rendered message (which hold the case). Not in
 * the key: the API key, the base URL (the same model behind another endpoint reuses the
 * verdict), timeouts and retry settings, the threshold.
 *
 * <p>The key is the hexadecimal SHA-256 of a sequence of named parts, each written as its name,
 * the length of its value in UTF-8 bytes, a colon and the value ({@code model=7:gpt-4.1}), so
 * that no two different sequences are written alike. The parts, in this order:
 * <ol>
 *   <li>{@code key_format=}: {@value #KEY_FORMAT};</li>
 *   <li>{@code metric=}: the SHA-256 of the metric as compact JSON ({@link #metricJson});</li>
 *   <li>{@code model=}: the judge model;</li>
 *   <li>{@code param:}: {@code <name>=<value>}, once per sampling parameter, by name;</li>
 *   <li>{@code instructions=}: the SHA-256 of the first message, when there are several;</li>
 *   <li>{@code message=}: each other message.</li>
 * </ol>
 * A digest is written as lower-case hexadecimal, and hashed text as UTF-8.
 *
 * <p>Key format 3 spelled the fields of the metric's JSON in an earlier vocabulary ({@code input},
 * {@code output}, {@code target}, and {@code INPUT}, {@code OUTPUT}, {@code TARGET}, {@code CONTEXT}
 * in {@code fields}); {@link #formerKey} computes it, so that verdicts recorded under it are still
 * found.
 *
 * <pre>{@code
 * String key = CacheKeys.key(request.metric(), judge.fingerprint(request));
 * }</pre>
 */
public final class CacheKeys {
    /** Changes whenever the key derivation changes, so that old verdicts are never misread. */
    static final int KEY_FORMAT = 4;
    /** The format before, whose verdicts are still read. */
    static final int FORMER_KEY_FORMAT = 3;

    private static final JsonFactory JSON = new JsonFactory();

    private CacheKeys() {
    }

    /** The key for grading with {@code metric} a request that the judge would send as {@code fingerprint}. */
    public static String key(Metric metric, JudgeFingerprint fingerprint) {
        return key(metric, fingerprint, KEY_FORMAT);
    }

    /** The key the same request had under key format {@value #FORMER_KEY_FORMAT}, where a verdict recorded then is. */
    public static String formerKey(Metric metric, JudgeFingerprint fingerprint) {
        return key(metric, fingerprint, FORMER_KEY_FORMAT);
    }

    private static String key(Metric metric, JudgeFingerprint fingerprint, int format) {
        MessageDigest digest = Sha256.digest();
        update(digest, "key_format=", String.valueOf(format));
        update(digest, "metric=", Sha256.hex(metricJson(metric, format)));
        update(digest, "model=", fingerprint.model());
        for (Map.Entry<String, Object> parameter : fingerprint.parameters().entrySet()) {
            update(digest, "param:", parameter.getKey() + "=" + parameter.getValue());
        }
        List<String> messages = fingerprint.messages();
        int first = 0;
        if (messages.size() > 1) {
            update(digest, "instructions=", Sha256.hex(messages.get(0)));
            first = 1;
        }
        for (String message : messages.subList(first, messages.size())) {
            update(digest, "message=", message);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The metric as compact JSON, written by Jackson member by member in this order:
     * {@code {"name":...,"version":...,"definition":...,"rubric":[{"score":1,"description":...},...],
     * "examples":[{"question":...,"answer":...,"ground_truth":...,"context":...,"score":...,"justification":...},...],
     * "fields":["answer",...],"pass_threshold":...}}. An example's absent fields are {@code null};
     * {@code pass_threshold} is left out when the metric has none. Under key format 3 the fields
     * are spelled as they were then.
     */
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
