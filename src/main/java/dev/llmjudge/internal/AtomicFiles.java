package dev.llmjudge.internal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** Writes files so that a reader (another thread or JVM, a later run after a crash) sees the old file or the whole new one. */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /**
     * Writes a hidden {@code .<name>.<random>.tmp} beside {@code file}, forces it to disk and renames it over {@code file}.
     * An interrupt of the writing thread does not stop it (a stream, unlike a {@code FileChannel}, is not closed by one): a
     * verdict whose reply came in is recorded even when closing the run interrupts the call that asked for it.
     */
    public static void write(Path file, byte[] bytes) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        boolean moved = false;
        try {
            Files.createFile(tmp);
            try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
                out.write(bytes);
                out.getFD().sync();
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: temporary files are never read, and the failure that brought us here is the one to report
                }
            }
        }
    }
}
