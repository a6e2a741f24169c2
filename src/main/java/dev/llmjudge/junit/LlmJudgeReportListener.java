package dev.llmjudge.junit;

import dev.llmjudge.internal.RunWide;
import dev.llmjudge.config.ConfigSources;
import dev.llmjudge.config.ConfigurationException;
import dev.llmjudge.config.JudgeConfig;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.check.CalibrationOutcome;
import dev.llmjudge.internal.check.CalibrationRecorder;
import dev.llmjudge.config.Shard;
import dev.llmjudge.internal.cache.CacheKeys;
import dev.llmjudge.internal.check.CallOutsideCheck;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.internal.cache.VerdictUse;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.report.CalibrationEntry;
import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RunHeader;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.internal.report.RunReports;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes the run's report ({@code report.html}, {@code report.json}, {@code summary.md} in
 * {@code llmjudge.report.dir}, merged across Surefire forks) and prints one closing line.
 * Registered through {@code META-INF/services}; silent in runs that judged nothing (but for a
 * shard, {@code llmjudge.shard}, which writes its report however little it judged), it attaches
 * each check to the test that made it, with or without {@link LlmJudgeTest}, records checks left
 * without a threshold as errors, and never fails a build: a report it cannot write is a warning.
 */
public class LlmJudgeReportListener implements TestExecutionListener {
    private static final System.Logger LOG = System.getLogger(LlmJudgeReportListener.class.getName());
    /** The host of the endpoint the SDK reaches without a base URL. */
    private static final String OPENAI_HOST = "api.openai.com";
    private static final String UNREADABLE_HOST = "(unreadable)";

    /** The launcher sessions of the run and the listeners waiting for them to end. */
    static final class Sessions {
        final AtomicInteger listeners = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();
        final Set<LlmJudgeReportListener> awaitingEnd = ConcurrentHashMap.newKeySet();
    }

    static Sessions sessions() {
        return RunWide.get(Sessions.class, Sessions::new);
    }

    private final Map<String, String> environment;
    private final PrintStream console;
    private final boolean deferToSessionEnd;
    private final String part = ProcessHandle.current().pid() + "-" + sessions().listeners.incrementAndGet();
    // Appended to by every check, read once at the end: a copy-on-write list would make a run quadratic in its checks.
    private final Queue<ReportRow> results = new ConcurrentLinkedQueue<>();
    private final Set<String> planIds = ConcurrentHashMap.newKeySet();
    private final Map<String, CheckRecorder.TestIdentity> previousIdentity = new ConcurrentHashMap<>();
    private final Consumer<CheckOutcome> collector = this::collect;
    private final Queue<CallOutsideCheck> callsOutsideChecks = new ConcurrentLinkedQueue<>();
    private final Consumer<CallOutsideCheck> callCollector = this::collectCall;
    /** The calibrations against human labels, by id, each as last published (once more after every bound), in the order they began. */
    private final Map<String, CalibrationEntry> calibrations = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Consumer<CalibrationOutcome> calibrationCollector = this::collectCalibration;
    private final Queue<GateResult> gates = new ConcurrentLinkedQueue<>();
    private final Consumer<GateResult> gateCollector = this::collectGate;
    private final VerdictUse.Collected verdictsUsed = new VerdictUse.Collected();
    /** The tests started here (dynamic ones left out) and those that did not pass, for deleting unused verdicts. */
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final Set<String> notPassed = ConcurrentHashMap.newKeySet();
    private final Supplier<Set<String>> wholeSuite;
    private volatile TestPlan plan;
    private volatile boolean executing;
    private volatile boolean unwritten;
    private volatile ReportOutput.Options options;
    /** Whether this listener wrote the report of its shard, judged or not. */
    private volatile boolean shardWritten;
    /** The run last written, with the commit looked up for it. */
    private volatile RunReport.RunInfo run;
    /** Whether the report's warm-up was started: once, on the first check. */
    private final AtomicBoolean reportWarmedUp = new AtomicBoolean();
    /** Where the report's warm-up runs: a daemon thread of its own. */
    private final Executor background;
    /** Whether the report's warnings were printed: once, however often the report is written again. */
    private volatile boolean warned;

    /** The instance {@code META-INF/services} creates. */
    public LlmJudgeReportListener() {
        this(System.getenv(), System.out, true);
    }

    /** For tests: the environment to read, where the closing line goes, and whether to wait for the launcher session to end. */
    LlmJudgeReportListener(Map<String, String> environment, PrintStream console, boolean deferToSessionEnd) {
        this(environment, console, deferToSessionEnd, WholeSuite::ofClassPath);
    }

    /** For tests: as above, with what the whole suite is when unused verdicts are to be deleted. */
    LlmJudgeReportListener(Map<String, String> environment, PrintStream console, boolean deferToSessionEnd, Supplier<Set<String>> wholeSuite) {
        this(environment, console, deferToSessionEnd, wholeSuite, LlmJudgeReportListener::daemon);
    }

    /** For tests: as above, with where the report's warm-up runs. */
    LlmJudgeReportListener(Map<String, String> environment, PrintStream console, boolean deferToSessionEnd, Supplier<Set<String>> wholeSuite,
            Executor background) {
        this.background = Objects.requireNonNull(background, "background");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.console = Objects.requireNonNull(console, "console");
        this.deferToSessionEnd = deferToSessionEnd;
        this.wholeSuite = Objects.requireNonNull(wholeSuite, "wholeSuite");
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        options = options(testPlan.getConfigurationParameters());
        executing = true;
        CheckRecorder.removeListener(collector);
        CheckRecorder.addListener(collector);
        CheckRecorder.removeCallListener(callCollector);
        CheckRecorder.addCallListener(callCollector);
        CalibrationRecorder.removeListener(calibrationCollector);
        CalibrationRecorder.addListener(calibrationCollector);
        GateResults.removeListener(gateCollector);
        GateResults.addListener(gateCollector);
        VerdictUse.removeListener(verdictsUsed);
        VerdictUse.addListener(verdictsUsed);
    }

    @Override
    public void executionStarted(TestIdentifier test) {
        planIds.add(test.getUniqueId());
        if (!TestsRun.isDynamic(test.getUniqueId())) {
            started.add(test.getUniqueId());
        }
        TestPlan p = plan;
        if (test.isTest() && p != null) {
            CheckRecorder.TestIdentity previous = CheckRecorder.currentTest();
            if (previous != null) {
                previousIdentity.put(test.getUniqueId(), previous);
            }
            // Jupiter calls listeners on the thread that runs the test.
            CheckRecorder.resetOrdinals(test.getUniqueId());
            CheckRecorder.setCurrentTest(TestNames.identity(p, test));
        }
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        notPassed.add(test.getUniqueId());
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            // A container too: a test factory or a dataset test that failed as a whole never started its tests, whose
            // verdicts must not look unused.
            notPassed.add(test.getUniqueId());
        }
        if (!test.isTest()) {
            return;
        }
        if (plan != null) {
            // Checks left without a threshold in a test the extension does not watch: listed in the report (never failing the run).
            TestChecks.publishMissingThresholds(TestNames.identity(plan, test));
        }
        CheckRecorder.resetOrdinals(test.getUniqueId());
        CheckRecorder.setCurrentTest(previousIdentity.remove(test.getUniqueId()));
    }

    /** Runs the report's warm-up on a daemon thread of its own. */
    static void daemon(Runnable work) {
        Thread thread = new Thread(work, "llm-judge-report-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        executing = false;
        if (deferToSessionEnd && sessions().open.get() > 0) {
            // Surefire runs one test plan per class in a fork: write once, when its session closes.
            sessions().awaitingEnd.add(this);
            return;
        }
        stopListening();
        writeReport();
    }

    private void stopListening() {
        CheckRecorder.removeListener(collector);
        CheckRecorder.removeCallListener(callCollector);
        CalibrationRecorder.removeListener(calibrationCollector);
        GateResults.removeListener(gateCollector);
        VerdictUse.removeListener(verdictsUsed);
    }

    private void collect(CheckOutcome outcome) {
        CheckRecorder.TestIdentity test = outcome.check().test();
        boolean mine = test == null ? executing : planIds.contains(test.id());
        if (mine) {
            ReportRow row = ReportRow.of(outcome);
            results.add(row);
            unwritten = true;
            if (reportWarmedUp.compareAndSet(false, true)) {
                warmUpReport(row);
            }
        }
    }

    /**
     * Once the first check is in, so that a report will be written at the end: looks up the run's commit and renders a report
     * of that check in every format, writing nothing, in the background while the tests go on (see
     * {@link ReportOutput#warmUp}). A failure here is left for the report itself to meet and report.
     */
    private void warmUpReport(ReportRow first) {
        ReportOutput.Options o = options;
        if (o == null) {
            return;
        }
        background.execute(() -> {
            try {
                runInfo(o.runId());
                ReportOutput.warmUp(first, o.header());
            } catch (IOException | RuntimeException | LinkageError e) {
                // Warming up only saves the report time; writing it says what is wrong.
            }
        });
    }

    /**
     * A billed call no check holds, made while the plan runs: the steps a check awaits, or what judging ahead left untaken,
     * told when the run's judge closes, after the last test.
     */
    private void collectCall(CallOutsideCheck call) {
        if (executing) {
            callsOutsideChecks.add(call);
            unwritten = true;
        }
    }

    private void collectCalibration(CalibrationOutcome outcome) {
        CheckRecorder.TestIdentity test = outcome.test();
        boolean mine = test == null ? executing : planIds.contains(test.id());
        if (mine) {
            calibrations.put(outcome.id(), CalibrationEntry.of(outcome));
            unwritten = true;
        }
    }

    private void collectGate(GateResult gate) {
        if (gate.testId() != null && planIds.contains(gate.testId())) {
            gates.add(gate);
            unwritten = true;
        }
    }

    /**
     * Writes the report if anything was judged since the last write, and prints the closing line. A shard writes its report
     * once even when it judged nothing, so that merging the shards can tell a shard that ran from one that is missing.
     */
    void writeReport() {
        ReportOutput.Options o = options;
        if (o == null || !unwritten && (o.header().shard() == null || shardWritten)) {
            return;
        }
        unwritten = false;
        shardWritten = true;
        List<ReportRow> rows = List.copyOf(results);
        List<CalibrationEntry> calibrated;
        synchronized (calibrations) {
            calibrated = List.copyOf(calibrations.values());
        }
        ReportOutput.Part part = new ReportOutput.Part(rows, calibrated, List.copyOf(gates), UnusedVerdictFiles.used(verdictsUsed),
                new TestsRun(started, notPassed), List.copyOf(callsOutsideChecks));
        Optional<ReportOutput.Written> written = ReportOutput.write(part, o.withRun(runInfo(o.runId())));
        if (written.isPresent()) {
            if (!warned) {
                written.get().report().warnings().forEach(w -> console.println("llm-judge: warning: " + Secrets.redact(w.message())));
                warned = !written.get().report().warnings().isEmpty();
            }
            console.println(RunReports.consoleLine(written.get().report(), written.get().pointTo()));
        } else {
            console.println("llm-judge: " + rows.size() + " checks, but the report could not be written to " + o.dir() + " (see the warning)");
        }
    }

    /** Called when a launcher session closes: writes the reports that waited for it. */
    static void sessionClosed() {
        if (sessions().open.decrementAndGet() > 0) {
            return;
        }
        for (LlmJudgeReportListener listener : List.copyOf(sessions().awaitingEnd)) {
            sessions().awaitingEnd.remove(listener);
            listener.stopListening();
            listener.writeReport();
        }
    }

    private ReportOutput.Options options(ConfigurationParameters parameters) {
        LlmJudgeConfig config;
        Map<String, String> metricGateKeys = LlmJudgeConfig.metricGateKeys(ConfigSources.junit(parameters::get, parameters.keySet(), environment));
        try {
            config = LlmJudgeConfig.resolve(new ConfigSources(parameters::get, Set.of(), environment));
        } catch (ConfigurationException e) {
            LOG.log(System.Logger.Level.WARNING, "llm-judge: the report uses default settings: " + Secrets.redact(e.getMessage()));
            config = LlmJudgeConfig.defaults();
        }
        String summary = environment.get("GITHUB_STEP_SUMMARY");
        RunHeader header = header(config, environment);
        String runId = header.runId();
        return new ReportOutput.Options(config.report().dir(), header, part, config.report().baseline(),
                summary == null || summary.isBlank() ? Optional.empty() : Optional.of(Path.of(summary)), config.sut().model(),
                config.report().history(), config.cache().unused(), new RunReport.RunInfo(runId, null, null), wholeSuite, metricGateKeys,
                config.report().baselineRequired() ? List.of() : Gates.baselineGateSettings(config, metricGateKeys.values()));
    }

    /** Which run this is: its id, the commit the build names (looked up once) and its CI run page. */
    private RunReport.RunInfo runInfo(String runId) {
        RunReport.RunInfo known = run;
        if (known == null || !Objects.equals(known.id(), runId)) {
            known = new RunReport.RunInfo(runId, BuildCommit.of(environment).orElse(null), BuildCommit.ciRunPage(environment).orElse(null));
            run = known;
        }
        return known;
    }

    /**
     * What report.json says about the run: its id (with the shard, {@code -shard-2-of-3}), the shard, the verdict cache's key
     * format and the configured judge settings, the endpoint by its host only ({@code llmjudge.judge.base-url}, else
     * {@code OPENAI_BASE_URL}, else OpenAI's).
     */
    static RunHeader header(LlmJudgeConfig config, Map<String, String> environment) {
        JudgeConfig judge = config.judge();
        String baseUrl = judge.baseUrl().orElseGet(() -> environment.getOrDefault("OPENAI_BASE_URL", "").strip());
        return new RunHeader(RunIds.current(config.report().runId(), config.shard()), config.shard().map(Shard::toString).orElse(null),
                CacheKeys.KEY_FORMAT, new RunHeader.JudgeSettings(judge.model(), baseUrl.isEmpty() ? OPENAI_HOST : hostOf(baseUrl),
                        judge.temperature(), judge.seed(), judge.maxTokens(), judge.samples(), judge.scoreBy().value(),
                        judge.onUnstable().name().toLowerCase(Locale.ROOT)), List.of());
    }

    /** The host of an endpoint, never its path, port or credentials; {@code (unreadable)} for text that is not a URL. */
    private static String hostOf(String url) {
        try {
            String host = new URI(url).getHost();
            return host == null ? UNREADABLE_HOST : host;
        } catch (URISyntaxException e) {
            return UNREADABLE_HOST;
        }
    }
}
