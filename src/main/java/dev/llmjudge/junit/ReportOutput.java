package dev.llmjudge.junit;

import dev.llmjudge.internal.AtomicFiles;
import dev.llmjudge.internal.RunWide;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.report.Baseline;
import dev.llmjudge.internal.report.CalibrationEntry;
import dev.llmjudge.internal.report.HtmlReportWriter;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.MarkdownSummary;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RunHeader;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.internal.report.RunReports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * Writes the run's report files from the parts of every test JVM of the run: under a file lock
 * on {@code parts/.lock}, a JVM rewrites its part {@code parts/<run id>/<pid>-<n>.json}, deletes the
 * parts of other runs and writes the report of all its run's parts, so the last JVM writes it whole.
 */
final class ReportOutput {
    private static final System.Logger LOG = System.getLogger(LlmJudgeReportListener.class.getName());
    /** Taken by this JVM's threads before the file lock, which a JVM holds, not a thread. */
    private static final class Writing {
        final ReentrantLock lock = new ReentrantLock();
    }

    /** What was written: the merged report, the file the console line points to, the Markdown summary, and whether every file was. */
    record Written(RunReport report, Path pointTo, String summary, boolean complete) {
    }

    /**
     * Where and how to write; {@code header} is what report.json says about the run (its id names the parts);
     * {@code stepSummary} is {@code GITHUB_STEP_SUMMARY}, if set; {@code sutModel} is {@code llmjudge.sut.model}.
     */
    record Options(Path dir, RunHeader header, String part, Optional<Path> baseline, Optional<Path> stepSummary, Optional<String> sutModel) {
        String runId() {
            return header.runId();
        }
    }

    private ReportOutput() {
    }

    /** Writes this JVM's part and the merged report; problems are logged as warnings, never thrown. */
    static Optional<Written> write(List<ReportRow> rows, Options o) {
        return write(rows, List.of(), o);
    }

    /** Writes this JVM's part, with its calibrations, and the merged report; problems are logged as warnings, never thrown. */
    static Optional<Written> write(List<ReportRow> rows, List<CalibrationEntry> calibrations, Options o) {
        ReentrantLock jvmLock = RunWide.get(Writing.class, Writing::new).lock;
        jvmLock.lock();
        try {
            Path parts = o.dir().resolve("parts");
            Files.createDirectories(parts);
            try (FileChannel channel = FileChannel.open(parts.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                return Optional.of(writeLocked(rows, calibrations, o, parts));
            }
        } catch (IOException | UncheckedIOException | SecurityException e) {
            warn("the report could not be written to " + o.dir(), e);
            return Optional.empty();
        } finally {
            jvmLock.unlock();
        }
    }

    private static Written writeLocked(List<ReportRow> rows, List<CalibrationEntry> calibrations, Options o, Path parts) throws IOException {
        Path runParts = parts.resolve(o.runId());
        Files.createDirectories(runParts);
        JsonReport.write(RunReports.build(rows, calibrations, null, Instant.now()), o.header(), runParts.resolve(o.part() + ".json"));
        deleteOtherRuns(parts, o.runId());
        List<ReportRow> all = new ArrayList<>();
        List<CalibrationEntry> allCalibrations = new ArrayList<>();
        for (Path part : partsOf(runParts)) {
            try {
                RunReport read = JsonReport.read(part);
                all.addAll(read.rows());
                allCalibrations.addAll(read.calibrations());
            } catch (IOException e) {
                warn("a report part could not be read and is left out: " + part, e);
            }
        }
        RunReport.BaselineComparison comparison = null;
        if (o.baseline().isPresent()) {
            Path baseline = o.baseline().get();
            if (Files.exists(baseline)) {
                try {
                    comparison = Baseline.compare(all, JsonReport.read(baseline).rows(), baseline.toString());
                } catch (IOException e) {
                    warn("the baseline report could not be read; scores are not compared", e);
                }
            } else {
                LOG.log(System.Logger.Level.WARNING, "llm-judge: the baseline report " + baseline + " does not exist; scores are not compared");
            }
        }
        RunReport report = RunReports.build(all, allCalibrations, comparison, Instant.now(), o.sutModel());
        Written written = writeFiles(report, o.header(), o.dir(), "");
        o.stepSummary().ifPresent(file -> appendStepSummary(file, runParts, written.summary()));
        return written;
    }

    /**
     * Writes {@code report.json}, {@code summary.md} (the summary, then {@code summaryEnd}) and {@code report.html} into
     * {@code dir}; a file that cannot be written is a warning. The console line points to the page, else to the JSON.
     */
    static Written writeFiles(RunReport report, RunHeader header, Path dir, String summaryEnd) {
        Path json = dir.resolve("report.json");
        Path html = dir.resolve("report.html");
        String summary = MarkdownSummary.render(report, html) + summaryEnd;
        boolean data = attempt("report.json", () -> JsonReport.write(report, header, json));
        boolean markdown = attempt("summary.md", () -> AtomicFiles.write(dir.resolve("summary.md"), summary.getBytes(StandardCharsets.UTF_8)));
        boolean page = attempt("report.html", () -> HtmlReportWriter.write(report, html));
        return new Written(report, page ? html : json, summary, data && markdown && page);
    }

    /** A report file written, else a warning. */
    private interface FileWrite {
        void run() throws IOException;
    }

    private static boolean attempt(String file, FileWrite write) {
        try {
            write.run();
            return true;
        } catch (IOException | RuntimeException e) {
            warn(file + " could not be written", e);
            return false;
        }
    }

    private static List<Path> partsOf(Path runParts) throws IOException {
        try (Stream<Path> files = Files.list(runParts)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(Path::toString)).toList();
        }
    }

    private static void deleteOtherRuns(Path parts, String runId) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parts, Files::isDirectory)) {
            for (Path dir : dirs) {
                if (!dir.getFileName().toString().equals(runId)) {
                    deleteTree(dir);
                }
            }
        } catch (IOException e) {
            warn("stale report parts could not be removed from " + parts, e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Appends the summary to the CI job summary once per run: a later JVM of the run replaces what it appended, if still last. */
    private static void appendStepSummary(Path file, Path runParts, String summary) {
        Path state = runParts.resolve(".step-summary");
        try {
            long size = Files.exists(file) ? Files.size(file) : 0;
            long start = size;
            if (Files.exists(state)) {
                String[] saved = Files.readString(state, StandardCharsets.UTF_8).strip().split(" ");
                long savedStart = Long.parseLong(saved[0]);
                long savedEnd = Long.parseLong(saved[1]);
                if (savedEnd == size && savedStart <= size) {
                    start = savedStart;
                }
            }
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                out.truncate(start);
                out.position(start);
                byte[] bytes = ("\n" + summary).getBytes(StandardCharsets.UTF_8);
                out.write(ByteBuffer.wrap(bytes));
                Files.writeString(state, start + " " + (start + bytes.length), StandardCharsets.UTF_8);
            }
        } catch (IOException | RuntimeException e) {
            warn("the summary could not be appended to GITHUB_STEP_SUMMARY (" + file + ")", e);
        }
    }

    private static void warn(String what, Exception e) {
        LOG.log(System.Logger.Level.WARNING, "llm-judge: " + what + ": " + Secrets.redact(String.valueOf(e.getMessage())));
    }
}
