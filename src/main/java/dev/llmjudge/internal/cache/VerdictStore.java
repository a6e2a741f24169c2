package dev.llmjudge.internal.cache;

import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.internal.AtomicFiles;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileLockInterruptionException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Recorded verdicts on disk, one pretty-printed JSON file each at {@code <dir>/<metric>/<key>.json}
 * ({@link VerdictFile}), written atomically and redacted. The hidden files beside them (a
 * killed writer's temporary files, claim files) are never read as verdicts, and stale ones are
 * swept by a later write.
 */
public final class VerdictStore {
    /** The format tag written into every verdict file. */
    public static final String SCHEMA = "llm-judge-verdict/1";

    /** Age after which a leftover temporary or claim file is taken to be a dead writer's. */
    static final Duration STALE_TEMPORARY_FILE = Duration.ofMinutes(10);

    private final Path dir;
    /** Per metric directory: the keys listed on first use, plus those this store wrote since. */
    private final ConcurrentMap<String, Set<String>> recordedKeys = new ConcurrentHashMap<>();
    private final Set<Path> swept = ConcurrentHashMap.newKeySet();

    public VerdictStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Where the verdict for {@code key} of {@code metric} is (or would be) stored. */
    public Path fileFor(Metric metric, String key) {
        return dir.resolve(metric.name()).resolve(key + ".json");
    }

    /** The recorded verdict, marked as cached; throws {@link CorruptVerdictException} for a file that holds none. */
    public Optional<Verdict> read(Metric metric, String key) {
        Path file = fileFor(metric, key);
        VerdictUse.askedIn(dir);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new JudgeException(Reason.CACHE_IO, "cannot read verdict file " + file + " (" + e + "): " + notADirectory(file)
                    .map(f -> f + " is a file, not a directory: point llmjudge.cache.dir at a directory")
                    .orElse("check the permissions of " + dir.toAbsolutePath() + " (llmjudge.cache.dir)"), e);
        }
        Verdict verdict = VerdictFileReader.read(bytes, file, metric, key);
        VerdictUse.used(file);
        return Optional.of(verdict);
    }

    /**
     * Whether a verdict file for {@code key} exists, from one listing of the metric's directory kept
     * up to date with this store's writes: a hint for judging ahead; {@link #read} is the authority.
     */
    public boolean isRecorded(Metric metric, String key) {
        return recordedKeys.computeIfAbsent(metric.name(), this::listKeys).contains(key);
    }

    /**
     * Whether the file for {@code key} holds a verdict now, read from disk rather than taken from the listing {@link #isRecorded}
     * keeps: what a verdict judged elsewhere (in a provider's batch) is checked against, as a live run may have recorded one
     * since the request was collected. A file that holds no verdict is none, as for a live run, which judges it again and
     * replaces it; a file that cannot be read at all is left alone and counts as one.
     */
    public boolean holdsVerdict(Metric metric, String key) {
        Path file = fileFor(metric, key);
        try {
            VerdictFileReader.read(Files.readAllBytes(file), file, metric, key);
            return true;
        } catch (NoSuchFileException | CorruptVerdictException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Records a verdict judged elsewhere (in a provider's batch) unless a verdict for {@code key} is recorded already
     * ({@link #holdsVerdict}), under the key's claim, so that a live run recording it at the same moment is not overwritten
     * either; returns whether it was written.
     */
    public boolean writeUnlessRecorded(Verdict verdict, JudgeRequest request, String key) {
        try (VerdictClaim claim = claim(request.metric(), key)) {
            if (holdsVerdict(request.metric(), key)) {
                rewritten(request.metric(), key);
                return false;
            }
            write(verdict, request, key);
            return true;
        }
    }

    private Set<String> listKeys(String metricName) {
        Set<String> keys = ConcurrentHashMap.newKeySet();
        Path metricDir = dir.resolve(metricName);
        if (!Files.isDirectory(metricDir)) {
            return keys;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(metricDir, "[!.]*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                keys.add(name.substring(0, name.length() - ".json".length()));
            }
        } catch (IOException e) {
            // An unreadable directory holds nothing we can use; read() reports the problem when a check needs a verdict.
            keys.clear();
        }
        return keys;
    }

    /** Records a verdict atomically, replacing any earlier one; returns it marked with its key and file. */
    public Verdict write(Verdict verdict, JudgeRequest request, String key) {
        Path file = fileFor(request.metric(), key);
        byte[] bytes = VerdictFile.encode(verdict, request, key);
        Path parent = file.getParent();
        try {
            Files.createDirectories(parent);
            removeStaleLeftovers(parent);
            AtomicFiles.write(file, bytes);
            VerdictUse.askedIn(dir);
            VerdictUse.used(file);
            rewritten(request.metric(), key);
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
        return verdict.withCacheEntry(key, file.toString(), false);
    }

    /** Claims {@code key} for judging and recording it, waiting while another holds it ({@link VerdictClaim}). */
    VerdictClaim claim(Metric metric, String key) {
        Path file = fileFor(metric, key);
        try {
            VerdictClaim claim = VerdictClaim.take(file);
            if (claim.verdictWrittenWhileWaiting()) {
                rewritten(metric, key);
            }
            return claim;
        } catch (InterruptedException | ClosedByInterruptException | FileLockInterruptionException e) {
            Thread.currentThread().interrupt();
            throw new JudgeException(Reason.NETWORK, "interrupted while waiting for another thread or process to record " + file, e);
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    /** Keeps the listing of {@link #isRecorded} up to date. */
    private void rewritten(Metric metric, String key) {
        Set<String> known = recordedKeys.get(metric.name());
        if (known != null) {
            known.add(key);
        }
    }

    private JudgeException cannotWrite(Path file, IOException e) {
        Optional<Path> blocker = notADirectory(file);
        if (blocker.isPresent()) {
            return new JudgeException(Reason.CACHE_IO, "cannot write verdict file " + file + ": the cache directory "
                    + dir.toAbsolutePath() + " (llmjudge.cache.dir) cannot be created because " + blocker.get()
                    + " is a file, not a directory. Point llmjudge.cache.dir at a directory, or move that file away.", e);
        }
        return new JudgeException(Reason.CACHE_IO, "cannot write verdict file " + file + " (" + e.getClass().getSimpleName() + ": "
                + e.getMessage() + "): make " + dir.toAbsolutePath() + " writable, point llmjudge.cache.dir at a writable directory,"
                + " or use llmjudge.cache.mode=replay to read a committed cache without writing", e);
    }

    /** Deletes, once per directory, stale temporary files and claim files no one holds: a write in progress elsewhere is younger. */
    private void removeStaleLeftovers(Path metricDir) {
        if (!swept.add(metricDir)) {
            return;
        }
        Instant cutoff = Instant.now().minus(STALE_TEMPORARY_FILE);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(metricDir, ".*.{tmp,claim}")) {
            for (Path leftover : leftovers) {
                try {
                    if (Files.getLastModifiedTime(leftover).toInstant().isBefore(cutoff)) {
                        if (leftover.getFileName().toString().endsWith(".claim")) {
                            VerdictClaim.deleteIfUnclaimed(leftover);
                        } else {
                            Files.deleteIfExists(leftover);
                        }
                    }
                } catch (IOException ignored) {
                    // best effort: another writer may be removing it
                }
            }
        } catch (IOException ignored) {
            // best effort: leftovers are never read as verdicts
        }
    }

    /** The first part of the path to {@code file} that exists but is not a directory, if any. */
    private static Optional<Path> notADirectory(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path current = absolute.getRoot();
        Path parent = absolute.getParent();
        for (Path name : parent == null ? absolute : parent) {
            current = current == null ? name : current.resolve(name);
            if (!Files.exists(current)) {
                return Optional.empty();
            }
            if (!Files.isDirectory(current)) {
                return Optional.of(current);
            }
        }
        return Optional.empty();
    }
}
