package dev.llmjudge.cache;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
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
 *   <li>{@code metric=}: the SHA-256 of the metric as compact JSON ({@link MetricForm});</li>
 *   <li>{@code model=}: the judge model;</li>
 *   <li>{@code param:}: {@code <name>=<value>}, once per sampling parameter, by name;</li>
 *   <li>{@code instructions=}: the SHA-256 of the first message, when there are several;</li>
 *   <li>{@code message=}: each other message.</li>
 * </ol>
 * A digest is written as lower-case hexadecimal, and hashed text as UTF-8.
 *
 * <pre>{@code
 * String key = CacheKeys.key(request.metric(), judge.fingerprint(request));
 * }</pre>
 */
public final class CacheKeys {
    /** Changes whenever the key derivation changes, so that old verdicts are judged again rather than misread. */
    static final int KEY_FORMAT = 3;

    private static final ObjectWriter COMPACT_JSON = new ObjectMapper().writer();

    private CacheKeys() {
    }

    /** The key for grading with {@code metric} a request that the judge would send as {@code fingerprint}. */
    public static String key(Metric metric, JudgeFingerprint fingerprint) {
        MessageDigest digest = sha256();
        update(digest, "key_format=", String.valueOf(KEY_FORMAT));
        update(digest, "metric=", sha256Hex(json(MetricForm.of(metric))));
        update(digest, "model=", fingerprint.model());
        for (Map.Entry<String, Object> parameter : fingerprint.parameters().entrySet()) {
            update(digest, "param:", parameter.getKey() + "=" + parameter.getValue());
        }
        List<String> messages = fingerprint.messages();
        int first = 0;
        if (messages.size() > 1) {
            update(digest, "instructions=", sha256Hex(messages.get(0)));
            first = 1;
        }
        for (String message : messages.subList(first, messages.size())) {
            update(digest, "message=", message);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The metric as its digest sees it, written by Jackson as compact JSON with the members in
     * this order: {@code {"name":...,"version":...,"definition":...,"rubric":[{"score":1,"description":...}],
     * "examples":[{"input":...,"output":...,"target":...,"context":...,"score":...,"justification":...}],
     * "fields":["OUTPUT",...],"pass_threshold":...}}; absent example fields are {@code null}, and
     * {@code pass_threshold} is left out when the metric has none.
     */
    record MetricForm(String name, String version, String definition, List<Level> rubric, List<GradedExample> examples,
            List<String> fields, @JsonProperty("pass_threshold") @JsonInclude(JsonInclude.Include.NON_NULL) Integer passThreshold) {

        static MetricForm of(Metric metric) {
            return new MetricForm(metric.name(), metric.version(), metric.definition(),
                    metric.rubric().stream().map(Level::of).toList(), metric.examples().stream().map(GradedExample::of).toList(),
                    metric.requiredFields().stream().map(Field::name).toList(), metric.passThreshold());
        }
    }

    record Level(int score, String description) {
        static Level of(GradingLevel level) {
            return new Level(level.score(), level.description());
        }
    }

    record GradedExample(String input, String output, String target, String context, int score, String justification) {
        static GradedExample of(Example example) {
            return new GradedExample(example.input(), example.output(), example.target(), example.context(), example.score(),
                    example.justification());
        }
    }

    private static String json(MetricForm metric) {
        try {
            return COMPACT_JSON.writeValueAsString(metric);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write metric " + metric.name() + " as JSON", e);
        }
    }

    /** Adds a named part: its name, the length of its value in UTF-8 bytes, a colon, and the value. */
    private static void update(MessageDigest digest, String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update((name + bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        digest.update(bytes);
    }

    private static String sha256Hex(String text) {
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
