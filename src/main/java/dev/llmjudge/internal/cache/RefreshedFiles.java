package dev.llmjudge.internal.cache;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files {@code refresh} mode has had judged again and recorded in one run (verdicts, evaluation steps): a later check of
 * one, in any runtime that shares this set, takes what was recorded instead of paying for it again. The test run's
 * extension shares one set between the runtimes of its classes, as it does the throttle and the budget.
 */
public final class RefreshedFiles {
    private final Set<Path> files = ConcurrentHashMap.newKeySet();

    /** Whether {@code file} was judged again and recorded in this run. */
    public boolean contains(Path file) {
        return files.contains(normal(file));
    }

    /** Counts {@code file} as judged again and recorded in this run. */
    public void add(Path file) {
        files.add(normal(file));
    }

    private static Path normal(Path file) {
        return file.toAbsolutePath().normalize();
    }
}
