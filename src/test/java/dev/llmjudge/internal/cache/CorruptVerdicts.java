package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.llmjudge.metric.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Verdict files changed by hand, and the problem a read of one reports, for the tests of the verdict file format. */
final class CorruptVerdicts {
    private CorruptVerdicts() {
    }

    /** Writes {@code text}, with {@code from} (which it must hold) changed to {@code to}, as the verdict file of {@code key}. */
    static Path recorded(Path dir, Metric metric, String key, String text, String from, String to) throws IOException {
        Path file = new VerdictStore(dir).fileFor(metric, key);
        Files.createDirectories(file.getParent());
        assertThat(text).contains(from);
        return Files.writeString(file, text.replace(from, to));
    }

    /** The problem a read of {@code file}, the verdict file of {@code key}, reports, after checking the rest of the message. */
    static String problemOf(Path dir, Metric metric, String key, Path file) {
        Throwable thrown = catchThrowable(() -> new VerdictStore(dir).read(metric, key));
        assertThat(thrown).isInstanceOf(CorruptVerdictException.class);
        String prefix = "verdict file " + file + " is corrupt: ";
        String suffix = ". Delete it and run again with a judge configured, or restore it from version control.";
        assertThat(thrown.getMessage()).startsWith(prefix).endsWith(suffix).doesNotContain("[Source");
        return thrown.getMessage().substring(prefix.length(), thrown.getMessage().length() - suffix.length());
    }
}
