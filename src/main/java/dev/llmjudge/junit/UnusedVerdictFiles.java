package dev.llmjudge.junit;

import dev.llmjudge.config.UnusedVerdicts;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.cache.StepsFiles;
import dev.llmjudge.internal.cache.VerdictUse;
import dev.llmjudge.internal.report.VerdictFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The verdict files under the run's cache directories ({@code <dir>/<metric>/<key>.json}) that no
 * check of the run read or wrote, listed, and with {@code llmjudge.cache.unused=delete} deleted
 * when the run ran every test and saw each pass. Paths are written relative to the working
 * directory when they are under it, so that the parts of several machines name the same file alike.
 */
final class UnusedVerdictFiles {
    private static final System.Logger LOG = System.getLogger(LlmJudgeReportListener.class.getName());

    private UnusedVerdictFiles() {
    }

    /** What the checks a listener heard of used, as a report part carries it. */
    static VerdictFiles used(VerdictUse.Collected used) {
        return VerdictFiles.read(used.directories().stream().map(UnusedVerdictFiles::display).toList(),
                used.files().stream().map(UnusedVerdictFiles::display).toList());
    }

    /** The merge of the parts' files, with those no check read listed (and, if allowed, deleted); {@code whyNotAll} is asked before deleting. */
    static VerdictFiles resolve(Collection<VerdictFiles> parts, UnusedVerdicts policy, Supplier<Optional<String>> whyNotAll) {
        Set<String> directories = new TreeSet<>();
        Set<String> read = new TreeSet<>();
        for (VerdictFiles part : parts) {
            directories.addAll(part.directories());
            read.addAll(part.read());
        }
        String name = policy.name().toLowerCase(Locale.ROOT);
        List<String> unused = unused(directories, read);
        if (unused.isEmpty() || policy == UnusedVerdicts.REPORT) {
            return new VerdictFiles(List.copyOf(directories), List.copyOf(read), unused, name, false, null);
        }
        Optional<String> whyNot = whyNotAll.get();
        if (whyNot.isPresent()) {
            String note = "not deleted (llmjudge.cache.unused=delete): " + whyNot.get() + ". Only a run of the whole suite in which every"
                    + " test passes deletes unused verdicts; until then they are listed here.";
            LOG.log(System.Logger.Level.WARNING, "llm-judge: " + unused.size() + " unused verdict files " + note);
            return new VerdictFiles(List.copyOf(directories), List.copyOf(read), unused, name, false, note);
        }
        List<String> kept = new ArrayList<>();
        for (String file : unused) {
            try {
                Files.deleteIfExists(Path.of(file));
            } catch (IOException | SecurityException e) {
                kept.add(file + " (" + Secrets.redact(String.valueOf(e.getMessage())) + ")");
            }
        }
        String note = kept.isEmpty() ? null : "could not delete " + String.join(", ", kept);
        return new VerdictFiles(List.copyOf(directories), List.copyOf(read), unused, name, kept.isEmpty(), note);
    }

    /** The visible {@code <metric>/<key>.json} files under the directories that are not in {@code read}, in name order. */
    private static List<String> unused(Collection<String> directories, Set<String> read) {
        Set<String> unused = new TreeSet<>();
        for (String dir : directories) {
            Path root = Path.of(dir);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (DirectoryStream<Path> metrics = Files.newDirectoryStream(root, p -> Files.isDirectory(p) && !p.getFileName().toString().startsWith(".")
                    && !p.getFileName().toString().equals(StepsFiles.DIRECTORY))) {
                for (Path metric : metrics) {
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(metric, "[!.]*.json")) {
                        for (Path file : files) {
                            String shown = display(file);
                            if (!read.contains(shown)) {
                                unused.add(shown);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "llm-judge: the verdict files under " + dir + " could not be listed: " + e.getMessage());
            }
        }
        return List.copyOf(unused);
    }

    /** A path as the report names it: relative to the working directory when under it, else absolute. */
    static String display(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath().normalize();
        return absolute.startsWith(here) && !absolute.equals(here) ? here.relativize(absolute).toString() : absolute.toString();
    }
}
