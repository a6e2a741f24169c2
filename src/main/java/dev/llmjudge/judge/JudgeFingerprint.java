package dev.llmjudge.judge;

import java.util.List;
import java.util.Map;

/**
 * Everything a judge would send for a request that can change the verdict: the model, the
 * sampling parameters and the rendered messages. The verdict cache hashes it (with the
 * metric) into the cache key. It never holds secrets or the endpoint address.
 *
 * @param model the judge model
 * @param parameters the sampling parameters, e.g. {@code temperature=0.0, seed=42}
 * @param messages the rendered prompt messages, in order
 */
public record JudgeFingerprint(String model, Map<String, Object> parameters, List<String> messages) {
    public JudgeFingerprint {
        parameters = SortedParameters.of(parameters);
        messages = List.copyOf(messages);
    }
}
