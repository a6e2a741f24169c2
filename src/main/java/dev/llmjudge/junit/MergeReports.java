package dev.llmjudge.junit;

import dev.llmjudge.config.ConfigSources;
import dev.llmjudge.config.ConfigurationException;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.report.Baseline;
import dev.llmjudge.internal.report.CalibrationEntry;
import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.ReportMerge;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RunHeader;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.internal.report.RunReports;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.JUnitException;
import org.junit.platform.engine.UniqueId;

/**
 * Merges the {@code report.json} of every shard of a run ({@code llmjudge.shard=K/N}) into one
 * report ({@code report.html}, {@code report.json}, {@code summary.md}), computes every aggregate
 * again from the merged rows, and checks the run's configured gates on them: the
 * {@code llmjudge.gate.<metric>.min-mean} and {@code min-pass-rate} of each top-level test class,
 * and {@code llmjudge.gate.max-drop} and {@code llmjudge.gate.<metric>.max-drop} against {@code llmjudge.report.baseline}
 * (refusing a drop bound that a case of its metrics cannot reach, as a run does). It takes the keys as
 * a run does ({@code -D} system properties, {@code junit-platform.properties}, {@code LLMJUDGE_*}
 * variables), and as {@code -D<key>=<value>} arguments, which win.
 *
 * <pre>
 * java -cp "$(cat classpath.txt)" dev.llmjudge.junit.MergeReports --shards 3 --out target/llm-judge-merged \
 *     shard-1/report.json shard-2/report.json shard-3/report.json
 * </pre>
 *
 * <p>It refuses, writing nothing and naming the problem and its files: a file it cannot read or
 * that is not a report, reports that differ in the verdict cache's key format, in the judge
 * settings they record or in the commit they tested, a case in more than one report, and a shard missing or given twice. It
 * exits with {@value #MERGED} when the report is written and every gate is met, {@value #GATE_FAILED}
 * when a gate failed (the report is written, each failure printed), and {@value #REFUSED} when it
 * refused or could not write the report.
 */
public final class MergeReports {
    /** The exit status of a merge that wrote the report and met every gate: {@value}. */
    public static final int MERGED = 0;
    /** The exit status of a merge that wrote the report but found a gate failed: {@value}. */
    public static final int GATE_FAILED = 1;
    /** The exit status of a merge refused, or whose report could not be written: {@value}. */
    public static final int REFUSED = 2;

    private static final String USAGE = String.join("\n",
            "usage: MergeReports [--shards N] [--out DIR] [-Dllmjudge.<key>=<value>...] REPORT.json...",
            "  merges the report.json of every shard of a run into one report, and checks the run's gates on it",
            "  --shards N   the number of shards the run was split into: each of 1/N to N/N must be given once",
            "  --out DIR    where report.html, report.json and summary.md go (default: llmjudge.report.dir, target/llm-judge)",
            "  -Dkey=value  a configuration key, e.g. -Dllmjudge.gate.answer_similarity.min-mean=3.5 (also read from -D system",
            "               properties and LLMJUDGE_* variables)",
            "  exit status: 0 merged, 1 a quality gate failed, 2 refused (what is wrong is printed)");

    private MergeReports() {
    }

    /** What the command line asks for. */
    private record Arguments(OptionalInt shards, Optional<Path> out, Map<String, String> settings, List<Path> reports, boolean help) {
    }

    /** Runs the merge with the command line {@code args}; exits with its status when it is not {@value #MERGED}. */
    public static void main(String[] args) {
        int status = run(List.of(args), System.getenv(), System.out, System.err);
        if (status != MERGED) {
            System.exit(status);
        }
    }

    /** Runs the merge, reading {@code LLMJUDGE_*} and {@code GITHUB_STEP_SUMMARY} from {@code environment}; returns the exit status. */
    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("llm-judge: " + e.getMessage() + "\n" + USAGE);
            return REFUSED;
        }
        if (arguments.help()) {
            out.println(USAGE);
            return MERGED;
        }
        LlmJudgeConfig config;
        try {
            config = configuration(arguments.settings(), environment);
        } catch (ConfigurationException e) {
            return refused(err, List.of(e.getMessage()));
        }
        List<String> unreadable = new ArrayList<>();
        List<JsonReport.ReportFile> reports = new ArrayList<>();
        for (Path file : arguments.reports()) {
            try {
                reports.add(JsonReport.readFile(file));
            } catch (IOException | RuntimeException e) {
                unreadable.add(unreadable(file, e));
            }
        }
        if (!unreadable.isEmpty()) {
            return refused(err, unreadable);
        }
        ReportMerge.Merged merged;
        try {
            merged = ReportMerge.merge(reports, arguments.shards(), runId(config, reports), RunIds::configuredRun);
        } catch (ReportMerge.Refused e) {
            return refused(err, e.problems());
        }
        Optional<List<ReportRow>> baseline;
        List<RunReport.Warning> warnings = new ArrayList<>();
        try {
            baseline = baseline(config, merged.rows(), warnings);
        } catch (IOException e) {
            return refused(err, List.of("cannot read the baseline report (llmjudge.report.baseline): " + e.getMessage()));
        }
        RunReport.BaselineComparison comparison = baseline.map(rows -> Baseline.compare(merged.rows(), rows,
                config.report().baseline().orElseThrow().toString())).orElse(null);
        List<CalibrationEntry> calibrations = reports.stream().flatMap(r -> r.report().calibrations().stream()).toList();
        List<GateResult> gates;
        try {
            gates = withShardGates(gates(merged.rows(), config, baseline), reports);
        } catch (ExtensionConfigurationException e) {
            return refused(err, List.of(e.getMessage()));
        }
        List<String> failures = Gates.failures(gates);
        RunReport report = RunReports.builder(merged.rows()).calibrations(calibrations).baseline(comparison).generatedAt(Instant.now())
                .sutModel(config.sut().model()).gates(gates).warnings(warnings).callsOutsideChecks(merged.callsOutsideChecks())
                .run(new RunReport.RunInfo(merged.header().runId(), merged.commit(), null)).build();
        Path dir = arguments.out().orElse(config.report().dir());
        Optional<ReportOutput.Written> written = write(report, merged.header(), dir, failures, err);
        if (written.isEmpty()) {
            return REFUSED;
        }
        Optional.ofNullable(environment.get("GITHUB_STEP_SUMMARY")).filter(s -> !s.isBlank())
                .ifPresent(file -> appendStepSummary(Path.of(file), written.get().summary(), err));
        report.warnings().forEach(w -> out.println("llm-judge: warning: " + Secrets.redact(w.message())));
        out.println("llm-judge: merged " + reports.size() + (reports.size() == 1 ? " report" : " reports") + shardsOf(merged.header()) + " into " + dir);
        out.println(RunReports.consoleLine(report, written.get().pointTo()));
        if (failures.isEmpty()) {
            return MERGED;
        }
        failures.forEach(f -> err.println(Secrets.redact(f)));
        err.println("llm-judge: " + (failures.size() == 1 ? "1 quality gate failed" : failures.size() + " quality gates failed")
                + " on the merged report");
        return GATE_FAILED;
    }

    private static Arguments parse(List<String> args) {
        OptionalInt shards = OptionalInt.empty();
        Optional<Path> out = Optional.empty();
        Map<String, String> settings = new LinkedHashMap<>();
        List<Path> reports = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                return new Arguments(shards, out, settings, reports, true);
            } else if (arg.equals("--shards") || arg.startsWith("--shards=")) {
                String value = arg.equals("--shards") ? valueAfter(args, i++, arg) : arg.substring("--shards=".length());
                shards = OptionalInt.of(shardCount(value));
            } else if (arg.equals("--out") || arg.startsWith("--out=")) {
                String value = arg.equals("--out") ? valueAfter(args, i++, arg) : arg.substring("--out=".length());
                if (value.isBlank()) {
                    throw new IllegalArgumentException("--out needs a directory");
                }
                out = Optional.of(Path.of(value));
            } else if (arg.startsWith("-D")) {
                int equals = arg.indexOf('=');
                String key = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
                if (!key.startsWith(LlmJudgeConfig.PREFIX) || equals < 0) {
                    throw new IllegalArgumentException("'" + arg + "' is not a setting: write -Dllmjudge.<key>=<value>, e.g."
                            + " -Dllmjudge.gate.answer_similarity.min-mean=3.5");
                }
                settings.put(key, arg.substring(equals + 1));
            } else if (arg.startsWith("-")) {
                throw new IllegalArgumentException("unknown option '" + arg + "'");
            } else {
                reports.add(Path.of(arg));
            }
        }
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("no report to merge: give the report.json of every shard");
        }
        return new Arguments(shards, out, settings, reports, false);
    }

    private static String valueAfter(List<String> args, int i, String option) {
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i + 1);
    }

    private static int shardCount(String value) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // worded below
        }
        throw new IllegalArgumentException("invalid value '" + value + "' for --shards: expected the number of shards, a whole number of at"
                + " least 1");
    }

    /** The keys given as arguments, over the system properties and {@code junit-platform.properties}, then the environment. */
    private static LlmJudgeConfig configuration(Map<String, String> given, Map<String, String> environment) {
        return LlmJudgeConfig.resolve(ConfigSources.commandLine(given, environment));
    }

    /** The configured run id, else the one the shards share (their run id without the shard), else {@code merged}. */
    private static String runId(LlmJudgeConfig config, List<JsonReport.ReportFile> reports) {
        if (config.report().runId().isPresent()) {
            return RunIds.current(config.report().runId());
        }
        List<String> runs = reports.stream().map(r -> r.header().runId() == null ? null : RunIds.withoutShard(r.header().runId()))
                .distinct().toList();
        return runs.size() == 1 && runs.get(0) != null ? runs.get(0) : "merged";
    }

    private static String unreadable(Path file, Exception e) {
        if (e instanceof NoSuchFileException) {
            return file + " does not exist: give the report.json each shard wrote (llmjudge.report.dir, target/llm-judge by default)";
        }
        String message = Secrets.redact(String.valueOf(e.getMessage()));
        return message.startsWith(file.toString()) ? message : "cannot read " + file + ": " + message;
    }

    /** The baseline's rows; empty when none is configured, and also when the file does not exist, with a warning for the report. */
    private static Optional<List<ReportRow>> baseline(LlmJudgeConfig config, List<ReportRow> rows, List<RunReport.Warning> warnings)
            throws IOException {
        Optional<Path> file = config.report().baseline();
        if (file.isEmpty()) {
            return Optional.empty();
        }
        if (!Files.exists(file.get())) {
            warnings.add(ReportOutput.missingBaseline(file.get(), config.report().baselineRequired() ? List.of()
                    : Gates.baselineGateSettings(config, rows.stream().map(ReportRow::metric).toList())));
            return Optional.empty();
        }
        return Optional.of(JsonReport.read(file.get()).rows());
    }

    /** Every gate the configuration sets, evaluated on the merged rows of each test class, as the report shows them. */
    private static List<GateResult> gates(List<ReportRow> rows, LlmJudgeConfig config, Optional<List<ReportRow>> baseline) {
        Map<String, List<ReportRow>> byClass = new TreeMap<>();
        for (ReportRow row : rows) {
            topLevelClass(row.testId()).ifPresent(c -> byClass.computeIfAbsent(c, k -> new ArrayList<>()).add(row));
        }
        List<GateResult> gates = new ArrayList<>();
        byClass.forEach((testClass, checks) -> {
            String label = TestNames.classLabel(testClass);
            String classId = "[class:" + testClass + "]";
            gates.addAll(Gates.evaluate(GateResult.RUN_WIDE, label, classId, Gates.configured(config, checks), checks, false));
            gates.addAll(Gates.drop(label, classId, config, checks, file -> baseline));
            PairwiseBaselineGate.merged(label, classId, config, checks, file -> baseline).ifPresent(gates::add);
        });
        return gates;
    }

    /**
     * The merge's own gates and each gate a shard checked that the merge does not check again, as the shard's report holds
     * it: a class's {@code @QualityGate}s and its extension's gates (a class is whole in its shard, and its annotations are
     * not in the report), or a baseline gate the shard had a baseline for. A shard's failed gate is never lost.
     */
    private static List<GateResult> withShardGates(List<GateResult> own, List<JsonReport.ReportFile> reports) {
        Set<Bounded> checked = own.stream().map(Bounded::of).collect(Collectors.toSet());
        List<GateResult> gates = new ArrayList<>(own);
        reports.stream().flatMap(r -> r.report().gates().stream()).filter(g -> checked.add(Bounded.of(g))).forEach(gates::add);
        return gates;
    }

    /**
     * What a gate bounds: its kind, scope (a class, nested class or method), metric, figure and bound; the same gate of a
     * shard and of the merge match. Two gates of one scope with different bounds (a method's and another method's, a class's
     * own drop bound and the configured one) are two gates.
     */
    private record Bounded(String kind, String scope, String metric, String figure, double bound) {
        static Bounded of(GateResult gate) {
            return new Bounded(gate.kind(), gate.scope(), gate.metric(), gate.figure(), gate.bound());
        }
    }

    /** The top-level test class of a JUnit Jupiter unique id: its first {@code [class:...]} segment. */
    private static Optional<String> topLevelClass(String testId) {
        if (testId == null) {
            return Optional.empty();
        }
        try {
            return UniqueId.parse(testId).getSegments().stream().filter(s -> s.getType().equals("class")).map(UniqueId.Segment::getValue)
                    .findFirst();
        } catch (JUnitException e) {
            return Optional.empty();
        }
    }

    private static Optional<ReportOutput.Written> write(RunReport report, RunHeader header, Path dir, List<String> failures, PrintStream err) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            err.println("llm-judge: cannot create " + dir + " for the merged report: " + e);
            return Optional.empty();
        }
        ReportOutput.Written written = ReportOutput.writeFiles(report, header, dir, ReportMerge.summaryEnd(header, failures));
        if (!written.complete()) {
            err.println("llm-judge: the merged report could not be written whole to " + dir + " (see the warnings)");
            return Optional.empty();
        }
        return Optional.of(written);
    }

    private static void appendStepSummary(Path file, String summary, PrintStream err) {
        try {
            Files.writeString(file, "\n" + summary, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            err.println("llm-judge: warning: the summary could not be appended to GITHUB_STEP_SUMMARY (" + file + "): " + e.getMessage());
        }
    }

    private static String shardsOf(RunHeader header) {
        List<String> shards = header.mergedFrom().stream().map(RunHeader.MergedReport::shard).filter(s -> s != null).toList();
        return shards.isEmpty() ? "" : " (shards " + String.join(", ", shards) + ")";
    }

    private static int refused(PrintStream err, List<String> problems) {
        err.println("llm-judge: cannot merge the reports:");
        problems.forEach(p -> err.println("  - " + Secrets.redact(p).replace("\n", "\n    ")));
        return REFUSED;
    }
}
