package dev.llmjudge.junit;

import dev.llmjudge.internal.AtomicFiles;
import dev.llmjudge.internal.check.CallOutsideCheck;
import dev.llmjudge.internal.RunWide;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.config.UnusedVerdicts;
import dev.llmjudge.internal.report.Baseline;
import dev.llmjudge.internal.report.CalibrationEntry;
import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.HtmlReportWriter;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.MarkdownSummary;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RunHeader;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.internal.report.RunHistory;
import dev.llmjudge.internal.report.RunReports;
import dev.llmjudge.internal.report.VerdictFiles;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the run's report files from the parts of every test JVM of the run: under a file lock
 * on {@code parts/.lock}, a JVM rewrites its part {@code parts/<run id>/<pid>-<n>.json}, deletes the
 * parts of other runs and writes the report of all its run's parts, so the last JVM writes it whole:
 * rows, gates, the verdict files used and the calls outside checks, merged; the baseline comparison, the unused verdicts and
 * the run history, from the merge.
 */
final class ReportOutput {
    private static final System.Logger LOG = System.getLogger(LlmJudgeReportListener.class.getName());
    /** The kind of the report's warning about a baseline that does not exist or cannot be read. */
    static final String BASELINE_WARNING = "BASELINE";
    /** The kind of the report's warning about a configured gate on a metric that no check of the run is of. */
    static final String GATE_OF_NO_CHECK_WARNING = "GATE_NOT_EVALUATED";
    /** Taken by this JVM's threads before the file lock, which a JVM holds, not a thread. */
    private static final class Writing {
        final ReentrantLock lock = new ReentrantLock();
    }

    /** What was written: the merged report, the file the console line points to, the Markdown summary, and whether every file was. */
    record Written(RunReport report, Path pointTo, String summary, boolean complete) {
    }

    /**
     * Where and how to write; {@code header} is what report.json says about the run (its id names the parts);
     * {@code stepSummary} is {@code GITHUB_STEP_SUMMARY}, if set; {@code sutModel} is {@code llmjudge.sut.model};
     * {@code history} is {@code llmjudge.report.history}; {@code unused} is {@code llmjudge.cache.unused};
     * {@code run} says which run this is; {@code wholeSuite} discovers every test of the suite, asked only
     * before deleting unused verdicts; {@code baselineGates} are the settings of the baseline gates that a baseline which does
     * not exist leaves not evaluated (none when {@code llmjudge.report.baseline-required} fails them instead).
     */
    record Options(Path dir, RunHeader header, String part, Optional<Path> baseline, Optional<Path> stepSummary, Optional<String> sutModel,
            Optional<Path> history, UnusedVerdicts unused, RunReport.RunInfo run, Supplier<Set<String>> wholeSuite,
            Map<String, String> metricGateKeys, List<String> baselineGates) {
        String runId() {
            return header.runId();
        }

        /** These options for the run {@code info}. */
        Options withRun(RunReport.RunInfo info) {
            return new Options(dir, header, part, baseline, stepSummary, sutModel, history, unused, info, wholeSuite, metricGateKeys,
                    baselineGates);
        }

        /** Options without a history or gate keys, listing unused verdicts, of a run known only by its header. */
        Options(Path dir, RunHeader header, String part, Optional<Path> baseline, Optional<Path> stepSummary, Optional<String> sutModel) {
            this(dir, header, part, baseline, stepSummary, sutModel, Optional.empty(), UnusedVerdicts.REPORT,
                    new RunReport.RunInfo(header.runId(), null, null), WholeSuite::ofClassPath, Map.of(), List.of());
        }
    }

    /**
     * What this JVM adds to the run's report: its rows, its calibrations, the gates its classes
     * evaluated, the verdict files it used, its tests and its billed judge calls outside checks.
     */
    record Part(List<ReportRow> rows, List<CalibrationEntry> calibrations, List<GateResult> gates, VerdictFiles verdictFiles, TestsRun tests,
            List<CallOutsideCheck> callsOutsideChecks) {
        /** A part of rows alone. */
        static Part of(List<ReportRow> rows) {
            return new Part(rows, List.of(), List.of(), VerdictFiles.NONE, TestsRun.NONE, List.of());
        }
    }

    private ReportOutput() {
    }

    /**
     * Renders a report of {@code row} in every format and reads its JSON back, writing nothing. Run on a daemon thread while
     * the tests go on (see {@link LlmJudgeReportListener}), it loads and links what writing the report at the end needs, data
     * binding of the report's records and the HTML encoder above all, while the tests go on instead of after them. In a JVM
     * of a few quick checks it shares the cores with them, so their last test ends later and the report sooner (PERFORMANCE.md).
     */
    static void warmUp(ReportRow row, RunHeader header) throws IOException {
        RunReport report = RunReports.builder(List.of(row)).build();
        JsonReport.parse(Path.of("report.json"), JsonReport.toJson(report, header).getBytes(StandardCharsets.UTF_8));
        MarkdownSummary.render(report, Path.of("report.html"));
        HtmlReportWriter.render(report);
    }

    /** Writes this JVM's rows and the merged report; problems are logged as warnings, never thrown. */
    static Optional<Written> write(List<ReportRow> rows, Options o) {
        return write(Part.of(rows), o);
    }

    /** Writes this JVM's part and the merged report; problems are logged as warnings, never thrown. */
    static Optional<Written> write(Part mine, Options o) {
        ReentrantLock jvmLock = RunWide.get(Writing.class, Writing::new).lock;
        jvmLock.lock();
        try {
            Path parts = o.dir().resolve("parts");
            Files.createDirectories(parts);
            try (FileChannel channel = FileChannel.open(parts.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                return Optional.of(writeLocked(mine, o, parts));
            }
        } catch (IOException | UncheckedIOException | SecurityException e) {
            warn("the report could not be written to " + o.dir(), e);
            return Optional.empty();
        } finally {
            jvmLock.unlock();
        }
    }

    private static Written writeLocked(Part mine, Options o, Path parts) throws IOException {
        Path runParts = parts.resolve(o.runId());
        Files.createDirectories(runParts);
        JsonReport.write(RunReports.builder(mine.rows()).calibrations(mine.calibrations()).gates(mine.gates()).verdictFiles(mine.verdictFiles())
                .callsOutsideChecks(mine.callsOutsideChecks()).build(), o.header(), runParts.resolve(o.part() + ".json"));
        if (o.unused() == UnusedVerdicts.DELETE) {
            TestsRun.write(mine.tests(), runParts.resolve(TestsRun.DIRECTORY).resolve(o.part() + ".json"));
        }
        deleteOtherRuns(parts, o.runId());
        List<ReportRow> all = new ArrayList<>();
        List<CalibrationEntry> allCalibrations = new ArrayList<>();
        List<GateResult> gates = new ArrayList<>();
        List<VerdictFiles> used = new ArrayList<>();
        List<CallOutsideCheck> calls = new ArrayList<>();
        List<Path> unreadable = new ArrayList<>();
        for (Path part : partsOf(runParts)) {
            try {
                RunReport read = JsonReport.read(part);
                all.addAll(read.rows());
                calls.addAll(read.callsOutsideChecks());
                allCalibrations.addAll(read.calibrations());
                gates.addAll(read.gates());
                used.add(read.verdictFiles());
            } catch (IOException e) {
                warn("a report part could not be read and is left out: " + part, e);
                unreadable.add(part);
            }
        }
        List<RunReport.Warning> warnings = new ArrayList<>();
        RunReport.BaselineComparison comparison = compareWithBaseline(all, o.baseline(), o.baselineGates(), warnings);
        warnings.addAll(gatesOfNoCheck(o.metricGateKeys(), all));
        // A part left out holds verdicts its tests read, which would look unused: nothing is deleted then.
        VerdictFiles verdictFiles = UnusedVerdictFiles.resolve(used, o.unused(), () -> unreadable.isEmpty()
                ? TestsRun.whatDidNotRun(runParts, o.wholeSuite())
                : Optional.of("the report part " + unreadable.get(0) + (unreadable.size() > 1 ? " and " + (unreadable.size() - 1) + " more"
                        : "") + " could not be read, so the verdicts its tests read are not known"));
        RunReport report = RunReports.builder(all).calibrations(allCalibrations).baseline(comparison).sutModel(o.sutModel()).warnings(warnings).run(o.run()).gates(gates)
                .verdictFiles(verdictFiles).callsOutsideChecks(calls).build();
        if (o.history().isPresent()) {
            report = report.with(report.gates(), report.verdictFiles(), history(o.history().get(), report, o));
        }
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

    /**
     * A warning for each configured per-metric gate key ({@code metricGateKeys}, with the metric of each) whose metric no check of
     * {@code rows} is of: that gate was evaluated nowhere, silently, were it not for this; a metric's name near one that was checked
     * is taken for a misspelling of it ({@code did you mean ...?}). Not a failure: a run of some classes alone, or one shard, may
     * leave a gated metric to the others.
     */
    static List<RunReport.Warning> gatesOfNoCheck(Map<String, String> metricGateKeys, List<ReportRow> rows) {
        Set<String> checked = rows.stream().map(ReportRow::metric).collect(Collectors.toCollection(TreeSet::new));
        List<RunReport.Warning> warnings = new ArrayList<>();
        metricGateKeys.forEach((key, metric) -> {
            if (!checked.contains(metric)) {
                String nearest = LlmJudgeConfig.nearest(metric, checked).map(m -> "; did you mean " + key.replace("." + metric + ".", "." + m + ".")
                        + "?").orElse("");
                warnings.add(new RunReport.Warning(GATE_OF_NO_CHECK_WARNING, key + " is set, but no check of " + metric + " was made in this"
                        + " run, so that gate was not evaluated" + nearest));
            }
        });
        return warnings;
    }

    /**
     * The warning of a report whose configured baseline does not exist, in the report, the page and the log, naming the baseline
     * gates it left not evaluated ({@code notEvaluated}, their settings) and how to fail them instead.
     */
    static RunReport.Warning missingBaseline(Path baseline, List<String> notEvaluated) {
        String missing = "the baseline report " + baseline + " (" + LlmJudgeConfig.REPORT_BASELINE + ") does not exist; scores are not compared";
        String fetch = "Point it at a report.json of an earlier run, e.g. the main branch's";
        if (notEvaluated.isEmpty()) {
            return new RunReport.Warning(BASELINE_WARNING, missing + ". " + fetch + ".");
        }
        boolean one = notEvaluated.size() == 1;
        String gates = notEvaluated.size() == 1 ? notEvaluated.get(0) : String.join(", ", notEvaluated.subList(0, notEvaluated.size() - 1))
                + " and " + notEvaluated.get(notEvaluated.size() - 1);
        return new RunReport.Warning(BASELINE_WARNING, missing + ", so " + (one ? "this baseline gate was" : "these baseline gates were")
                + " not evaluated: " + gates + ". " + fetch + ", or set " + LlmJudgeConfig.REPORT_BASELINE_REQUIRED + "=true to fail "
                + (one ? "that gate" : "those gates") + " while it does not exist.");
    }

    /** The comparison with the baseline; without one that can be read, {@code null} and a warning in the report and the log. */
    private static RunReport.BaselineComparison compareWithBaseline(List<ReportRow> rows, Optional<Path> file, List<String> baselineGates,
            List<RunReport.Warning> warnings) {
        if (file.isEmpty()) {
            return null;
        }
        Path baseline = file.get();
        if (!Files.exists(baseline)) {
            RunReport.Warning missing = missingBaseline(baseline, baselineGates);
            LOG.log(System.Logger.Level.WARNING, "llm-judge: " + missing.message());
            warnings.add(missing);
            return null;
        }
        try {
            return Baseline.compare(rows, JsonReport.read(baseline).rows(), baseline.toString());
        } catch (IOException e) {
            warn("the baseline report could not be read; scores are not compared", e);
            warnings.add(new RunReport.Warning(BASELINE_WARNING, "the baseline report could not be read; scores are not compared: "
                    + Secrets.redact(String.valueOf(e.getMessage()))));
            return null;
        }
    }

    /** Records this run in the history directory and returns its last runs, this one included; a problem is a warning. */
    private static List<RunHistory.RunSummary> history(Path dir, RunReport report, Options o) {
        try {
            RunHistory.append(dir, RunHistory.summary(report, o.runId(), o.run().commit()));
            return RunHistory.lastRuns(dir, RunHistory.RUNS_SHOWN, problem -> LOG.log(System.Logger.Level.WARNING, "llm-judge: " + problem));
        } catch (IOException | UncheckedIOException e) {
            warn("the run history in " + dir + " (llmjudge.report.history) could not be written or read", e);
            return List.of();
        }
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
