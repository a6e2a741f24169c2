package dev.llmjudge.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The library's one place of mutable static state: what a whole test run in one JVM shares, one
 * object per kind, made on first use and found by its type. Every other class keeps its state in
 * instances; the few that a run must share sit here:
 *
 * <ul>
 *   <li>the recorder of checks (the listeners outcomes are published to, the test each thread runs,
 *       how many checks of each metric a test made, the dataset rows of each test template, the
 *       checks begun and waiting for their threshold);</li>
 *   <li>the runtime checks judge with (the one installed for a thread, and the run's default);</li>
 *   <li>the API keys given in code, so that every message and file is redacted of them;</li>
 *   <li>the report's launcher sessions, and the locks JVM threads take before writing a report or
 *       claiming a verdict file (a file lock is held by the JVM, not a thread).</li>
 * </ul>
 *
 * JUnit creates the report listener, the session listener and the extension separately, and
 * assertions run on threads JUnit starts: this is what they share, as JUnit's root
 * {@code ExtensionContext.Store} is for extensions.
 *
 * <pre>{@code
 * Recorder recorder = RunWide.get(Recorder.class, Recorder::new);
 * }</pre>
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
