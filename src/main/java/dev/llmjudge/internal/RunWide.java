package dev.llmjudge.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The library's one place of mutable static state: one object per kind that a test run in one
 * JVM shares, found by its type (the check recorder, the current runtimes, the API keys given in
 * code, the report's launcher sessions, the JVM's locks on report and claim files). JUnit creates
 * the listeners and the extension separately, and assertions run on threads it starts: this is
 * what they share, as extensions share JUnit's root {@code ExtensionContext.Store}.
 */
public final class RunWide {
    private static final ConcurrentMap<Class<?>, Object> SHARED = new ConcurrentHashMap<>();

    private RunWide() {
    }

    /** The run's one object of {@code type}, made by {@code create} on first use. */
    public static <T> T get(Class<T> type, Supplier<T> create) {
        return type.cast(SHARED.computeIfAbsent(type, t -> create.get()));
    }
}
