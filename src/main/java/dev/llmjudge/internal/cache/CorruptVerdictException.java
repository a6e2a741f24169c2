package dev.llmjudge.internal.cache;

import dev.llmjudge.judge.JudgeException;
import java.nio.file.Path;

/** A verdict file exists but is not a valid verdict. The message names the file. */
public final class CorruptVerdictException extends JudgeException {
    private static final long serialVersionUID = 1L;

    public CorruptVerdictException(Path file, String problem) {
        super(Reason.CORRUPT_CACHE, "verdict file " + file + " is corrupt: " + problem
                + ". Delete it and run again with a judge configured, or restore it from version control.");
    }
}
