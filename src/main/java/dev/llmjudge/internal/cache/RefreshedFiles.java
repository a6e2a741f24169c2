package dev.llmjudge.internal.cache;

import dev.llmjudge.internal.Sha256;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The files {@code refresh} mode has had judged again and recorded in one run (verdicts, evaluation steps): a later check of
 * one, in any runtime that shares this set, takes what was recorded instead of paying for it again. The test run's
 * extension shares one set between the runtimes of its classes, as it does the throttle and the budget; made with
 * {@link #ofRun}, the set is also shared by the other JVMs of the run (Surefire's forks), through an empty marker file per
 * refreshed file in a directory of the run's own. Without that, a fork would judge again a case another fork of the run had
 * refreshed, and write evaluation steps again after the other fork's verdicts were keyed by the steps it wrote before.
 */
public final class RefreshedFiles {
    private static final System.Logger LOG = System.getLogger(RefreshedFiles.class.getName());

    private final Set<Path> files = ConcurrentHashMap.newKeySet();
    /** The run's directory of marker files, or {@code null}: this set is the JVM's alone. */
    private final Path markers;
    /** Whether the directories of other runs were removed, and the warning of a marker that could not be written given. */
    private final AtomicBoolean swept = new AtomicBoolean();
    private final AtomicBoolean warned = new AtomicBoolean();

    /** A set of this JVM alone. */
    public RefreshedFiles() {
        this(null);
    }

    private RefreshedFiles(Path markers) {
        this.markers = markers;
    }

    /**
     * A set shared by the JVMs of the run {@code runId}, kept in {@code <runs>/<runId>}; the directories of other runs under
     * {@code runs} (earlier builds) are removed when this run first refreshes a file.
     */
    public static RefreshedFiles ofRun(Path runs, String runId) {
        return new RefreshedFiles(runs.resolve(runId));
    }

    /** Whether {@code file} was judged again and recorded in this run, by this JVM or, for a set of the run, another of its JVMs. */
    public boolean contains(Path file) {
        Path normal = normal(file);
        if (files.contains(normal)) {
            return true;
        }
        if (markers != null && Files.exists(markerOf(normal))) {
            files.add(normal);
            return true;
        }
        return false;
    }

    /** Counts {@code file} as judged again and recorded in this run; call it once the file is written. */
    public void add(Path file) {
        Path normal = normal(file);
        files.add(normal);
        if (markers == null) {
            return;
        }
        try {
            if (swept.compareAndSet(false, true)) {
                deleteOtherRuns();
            }
            Files.createDirectories(markers);
            Files.createFile(markerOf(normal));
        } catch (FileAlreadyExistsException e) {
            // Noted by another JVM of the run, which recorded it too.
        } catch (IOException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "llm-judge: refresh mode cannot note in " + markers + " what this JVM judged"
                        + " again (" + e + "), so another JVM of the run (a Surefire fork) may judge it again");
            }
        }
    }

    private Path markerOf(Path normal) {
        return markers.resolve(Sha256.hex(normal.toString()));
    }

    private void deleteOtherRuns() {
        Path runs = markers.getParent();
        if (!Files.isDirectory(runs)) {
            return;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runs, Files::isDirectory)) {
            for (Path dir : dirs) {
                if (!dir.getFileName().equals(markers.getFileName())) {
                    deleteRun(dir);
                }
            }
        } catch (IOException e) {
            // Best effort: the markers of another run are never read by this one.
        }
    }

    private static void deleteRun(Path dir) {
        try (Stream<Path> noted = Files.list(dir)) {
            for (Path marker : noted.toList()) {
                Files.deleteIfExists(marker);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // Best effort, as above.
        }
    }

    private static Path normal(Path file) {
        return file.toAbsolutePath().normalize();
    }
}
