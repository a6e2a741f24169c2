package dev.llmjudge.judge;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sampling parameters sorted by name and unmodifiable, as {@link Verdict} and
 * {@link JudgeFingerprint} hold them. Only made by copying, so an instance never changes and a
 * record given one keeps it instead of copying it again: a replayed check passes the same
 * parameters through several records.
 */
final class SortedParameters extends AbstractMap<String, Object> {
    static final SortedParameters EMPTY = new SortedParameters(Map.of());

    private final Map<String, Object> sorted;

    private SortedParameters(Map<String, Object> parameters) {
        this.sorted = Collections.unmodifiableMap(new TreeMap<>(parameters));
    }

    /** {@code parameters} itself when it is already sorted and unmodifiable, or a sorted copy. */
    static Map<String, Object> of(Map<String, Object> parameters) {
        if (parameters instanceof SortedParameters) {
            return parameters;
        }
        return parameters == null || parameters.isEmpty() ? EMPTY : new SortedParameters(parameters);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return sorted.entrySet();
    }

    @Override
    public Object get(Object key) {
        return sorted.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return sorted.containsKey(key);
    }

    @Override
    public int size() {
        return sorted.size();
    }
}
