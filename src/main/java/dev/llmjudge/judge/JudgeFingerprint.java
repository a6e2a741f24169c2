package dev.llmjudge.judge;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a judge would send for a request that can change the verdict: the model, the
 * sampling parameters (kept sorted by name) and the rendered messages. The verdict cache hashes
 * it, with the metric, into the cache key; it never holds secrets or the endpoint address.
 */
public record JudgeFingerprint(String model, Map<String, Object> parameters, List<String> messages) {
    public JudgeFingerprint {
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters == null ? Map.of() : parameters));
        messages = List.copyOf(messages);
    }
}
