package dev.llmjudge.judge;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a judge would send for a request that can change the verdict: the model, the
 * sampling parameters and the rendered messages. The verdict cache hashes it (with the
 * metric) into the cache key. It never holds secrets or the endpoint address.
 *
 * @param model the judge model
 * @param parameters the sampling parameters, e.g. {@code temperature=0.0, seed=42}; kept as an unmodifiable copy sorted by
 *     name
 * @param messages the rendered prompt messages, in order
 */
public record JudgeFingerprint(String model, Map<String, Object> parameters, List<String> messages) {
    public JudgeFingerprint {
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters == null ? Map.of() : parameters));
        messages = List.copyOf(messages);
    }
}
