package dev.llmjudge.internal.cache;

import dev.llmjudge.internal.RunWide;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which cache directories this JVM's checks asked for verdicts, and which verdict files they read
 * or wrote, for the report's list of verdicts no check read ({@code llmjudge.cache.unused}).
 * Paths are absolute and normalised.
 *
 * <pre>{@code
 * VerdictUse.Snapshot used = VerdictUse.snapshot();
 * used.directories();   // [/project/src/test/llm-judge]
 * used.files();         // [/project/src/test/llm-judge/answer_similarity/5c1e....json]
 * }</pre>
 */
public final class VerdictUse {
    private static final class State {
        final Set<Path> directories = ConcurrentHashMap.newKeySet();
        final Set<Path> files = ConcurrentHashMap.newKeySet();
    }

    /** The directories and files used so far, in name order. */
    public record Snapshot(List<Path> directories, List<Path> files) {
    }

    private VerdictUse() {
    }

    private static State state() {
        return RunWide.get(State.class, State::new);
    }

    /** A check asked {@code dir} for a verdict. */
    static void askedIn(Path dir) {
        state().directories.add(dir.toAbsolutePath().normalize());
    }

    /** A check read, or recorded, the verdict in {@code file}. */
    static void used(Path file) {
        state().files.add(file.toAbsolutePath().normalize());
    }

    public static Snapshot snapshot() {
        State s = state();
        return new Snapshot(s.directories.stream().sorted().toList(), s.files.stream().sorted().toList());
    }
}
