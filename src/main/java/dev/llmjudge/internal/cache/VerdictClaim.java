package dev.llmjudge.internal.cache;

import dev.llmjudge.internal.RunWide;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;

/**
 * An exclusive claim on one verdict file while its key is judged and recorded, across the
 * threads, runtimes and processes sharing the cache directory: an OS file lock on a hidden
 * {@code <metric>/.<key>.claim} beside it. Why it is safe:
 * <ul>
 *   <li><b>One holder.</b> The holder deletes the claim file before it releases the lock, so the
 *   next to lock it may hold a file without a name: a claimant holds the claim only if the path
 *   names the file it locked, with the same file key before opening, after opening and after
 *   locking (claim files are only created and deleted, never moved). Without file keys two
 *   claimants may pay twice; a verdict file, written atomically, is never harmed.</li>
 *   <li><b>A dead holder blocks no one.</b> The OS releases a dead process's locks, {@code kill -9}
 *   included; the next claimant takes the file over, or a sweep deletes it once old.</li>
 *   <li><b>One channel per claim file in a JVM.</b> Closing any channel on a file releases all the
 *   process's locks on it ({@link java.nio.channels.FileLock}), so claimants in one JVM take turns
 *   before opening it ({@link OpenHere}); a lock still held through another channel shows as
 *   {@link OverlappingFileLockException}, and the claimant waits with its channel open.</li>
 * </ul>
 * A claim that ends without a verdict deletes the empty cache directories it created.
 */
final class VerdictClaim implements AutoCloseable {
    /** How long to wait before trying again to lock a claim file that another process, or this JVM through another channel, holds. */
    private static final long RELOCK_PAUSE_MILLIS = 20;
    /** The claim files claimants of this JVM have open, by absolute path; the others wait for the latch. */
    private static final class OpenHere {
        final ConcurrentMap<Path, CountDownLatch> files = new ConcurrentHashMap<>();
    }

    private static ConcurrentMap<Path, CountDownLatch> openHere() {
        return RunWide.get(OpenHere.class, OpenHere::new).files;
    }

    /** The file key and modification time of a file: a verdict file written again has another. */
    private record Version(Object fileKey, FileTime modified) {
    }

    /** A claim file opened, with the file key its path had before and after the opening. */
    private record Opened(FileChannel channel, Object fileKey) {
    }

    /** Stands in for the file key on file systems that have none. */
    private static final Object NO_FILE_KEY = new Object();

    private final Path file;
    /** The outermost directory this claim created for its claim file, if any. */
    private final Path createdDir;
    private final Path name;
    private final CountDownLatch turn;
    private final FileChannel channel;
    private final boolean verdictWrittenWhileWaiting;

    private VerdictClaim(Path file, Path createdDir, Path name, CountDownLatch turn, FileChannel channel,
            boolean verdictWrittenWhileWaiting) {
        this.file = file;
        this.createdDir = createdDir;
        this.name = name;
        this.turn = turn;
        this.channel = channel;
        this.verdictWrittenWhileWaiting = verdictWrittenWhileWaiting;
    }

    /** The claim file of a verdict file: {@code .<key>.claim} beside {@code <key>.json}. */
    static Path claimFileOf(Path verdictFile) {
        String verdictName = verdictFile.getFileName().toString();
        return verdictFile.resolveSibling("." + verdictName.substring(0, verdictName.length() - ".json".length()) + ".claim");
    }

    /** Takes the claim on {@code verdictFile}, waiting while another holds it. */
    static VerdictClaim take(Path verdictFile) throws IOException, InterruptedException {
        Version before = version(verdictFile);
        Path file = claimFileOf(verdictFile);
        Path createdDir = null;
        for (Path dir = file.getParent(); dir != null && Files.notExists(dir); dir = dir.getParent()) {
            createdDir = dir;
        }
        Path name = file.toAbsolutePath().normalize();
        CountDownLatch turn = new CountDownLatch(1);
        for (CountDownLatch other = openHere().putIfAbsent(name, turn); other != null; other = openHere().putIfAbsent(name, turn)) {
            other.await();
        }
        VerdictClaim claim = null;
        try {
            while (claim == null) {
                Opened opened = open(file, true);
                if (opened == null) {
                    continue;
                }
                try {
                    lock(opened.channel());
                    if (opened.fileKey().equals(fileKey(file))) {
                        Version after = version(verdictFile);
                        claim = new VerdictClaim(file, createdDir, name, turn, opened.channel(), after != null && !after.equals(before));
                    }
                } finally {
                    if (claim == null) {
                        opened.channel().close();
                    }
                }
            }
            return claim;
        } finally {
            if (claim == null) {
                endTurn(name, turn);
            }
        }
    }

    /** Whether another holder wrote the verdict file while this claimant waited. */
    boolean verdictWrittenWhileWaiting() {
        return verdictWrittenWhileWaiting;
    }

    /** Deletes the claim file (and the empty directories this claim created), then releases the lock. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
            for (Path dir = file.getParent(); createdDir != null && dir != null; dir = dir.getParent()) {
                if (!deleteIfEmpty(dir) || dir.equals(createdDir)) {
                    break;
                }
            }
        } catch (IOException e) {
            // The next claimant of this key takes over a claim file that no one holds; the sweep deletes it once it is old.
        } finally {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing releases the lock, and the OS releases it anyway when the process ends.
            }
            endTurn(name, turn);
        }
    }

    /** Deletes {@code claimFile} if no one holds it, as a holder does: under the lock, without waiting for it. */
    static void deleteIfUnclaimed(Path claimFile) throws IOException {
        Path name = claimFile.toAbsolutePath().normalize();
        CountDownLatch turn = new CountDownLatch(1);
        if (openHere().putIfAbsent(name, turn) != null) {
            return;
        }
        try {
            Opened opened = open(claimFile, false);
            if (opened != null) {
                try (FileChannel channel = opened.channel()) {
                    if (tryLock(channel) && opened.fileKey().equals(fileKey(claimFile))) {
                        Files.deleteIfExists(claimFile);
                    }
                }
            }
        } finally {
            endTurn(name, turn);
        }
    }

    /** Deletes a directory unless it holds something (a verdict, another claim). */
    private static boolean deleteIfEmpty(Path dir) {
        try {
            Files.delete(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Opens {@code file} (creating it if asked) with its path's file key before and after; {@code null}: try again, or nothing. */
    private static Opened open(Path file, boolean create) throws IOException {
        Object before = fileKey(file);
        if (before == null) {
            if (!create) {
                return null;
            }
            try {
                Files.createFile(file);
            } catch (FileAlreadyExistsException e) {
                // Another claimant created it: it is locked like any other.
            } catch (NoSuchFileException e) {
                // No directory yet, or a failed claim elsewhere has just deleted the one it created.
                Files.createDirectories(file.getParent());
            }
            return null;
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!before.equals(fileKey(file))) {
            channel.close();
            return null;
        }
        return new Opened(channel, before);
    }

    /**
     * Locks the whole file, waiting while another process holds it. It asks without blocking and
     * pauses between attempts: a blocking lock lets the OS look for deadlocks, and as locks belong
     * to processes, not threads, a JVM whose other thread holds another claim that a second JVM
     * waits for is refused ("Resource deadlock avoided") although no one waits for ever.
     */
    private static void lock(FileChannel channel) throws IOException, InterruptedException {
        while (!tryLock(channel)) {
            // Held by another process, or by this JVM through another channel: closing this one would release that lock, so keep it open.
            Thread.sleep(RELOCK_PAUSE_MILLIS);
        }
    }

    /** Locks the whole file if no one holds it. */
    private static boolean tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock() != null;
        } catch (OverlappingFileLockException e) {
            return false;
        }
    }

    /** The file key of what {@code file} names, {@link #NO_FILE_KEY} on a file system without them, {@code null} if nothing. */
    private static Object fileKey(Path file) throws IOException {
        try {
            return Objects.requireNonNullElse(Files.readAttributes(file, BasicFileAttributes.class).fileKey(), NO_FILE_KEY);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Version version(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Version(attributes.fileKey(), attributes.lastModifiedTime());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void endTurn(Path name, CountDownLatch turn) {
        openHere().remove(name, turn);
        turn.countDown();
    }
}
