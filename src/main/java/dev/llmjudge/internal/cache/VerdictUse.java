package dev.llmjudge.internal.cache;

import dev.llmjudge.internal.RunWide;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where the verdict stores announce which cache directories checks asked for verdicts and which
 * verdict files they read or wrote, so that the report can list the verdicts no check read
 * ({@code llmjudge.cache.unused}). Paths are absolute and normalised.
 *
 * <pre>{@code
 * VerdictUse.Collected used = new VerdictUse.Collected();
 * VerdictUse.addListener(used);
 * // ... checks run ...
 * VerdictUse.removeListener(used);
 * used.files();   // [/project/src/test/llm-judge/answer_similarity/5c1e....json]
 * }</pre>
 */
public final class VerdictUse {
    /** Told of each use; called on the thread that made it, so keep it quick. */
    public interface Listener {
        /** A check asked {@code dir} for a verdict. */
        void askedIn(Path dir);

        /** A check read, or recorded, the verdict in {@code file}. */
        void used(Path file);
    }

    /** A listener that keeps every directory and file it is told of. */
    public static final class Collected implements Listener {
        private final Set<Path> directories = ConcurrentHashMap.newKeySet();
        private final Set<Path> files = ConcurrentHashMap.newKeySet();

        @Override
        public void askedIn(Path dir) {
            directories.add(dir);
        }

        @Override
        public void used(Path file) {
            files.add(file);
        }

        /** The directories asked, in name order. */
        public List<Path> directories() {
            return directories.stream().sorted().toList();
        }

        /** The files read or written, in name order. */
        public List<Path> files() {
            return files.stream().sorted().toList();
        }
    }

    private static final class State {
        final List<Listener> listeners = new CopyOnWriteArrayList<>();
    }

    private VerdictUse() {
    }

    private static State state() {
        return RunWide.get(State.class, State::new);
    }

    public static void addListener(Listener listener) {
        state().listeners.add(listener);
    }

    public static void removeListener(Listener listener) {
        state().listeners.remove(listener);
    }

    static void askedIn(Path dir) {
        List<Listener> listeners = state().listeners;
        if (!listeners.isEmpty()) {
            Path absolute = dir.toAbsolutePath().normalize();
            listeners.forEach(l -> l.askedIn(absolute));
        }
    }

    static void used(Path file) {
        List<Listener> listeners = state().listeners;
        if (!listeners.isEmpty()) {
            Path absolute = file.toAbsolutePath().normalize();
            listeners.forEach(l -> l.used(absolute));
        }
    }
}
