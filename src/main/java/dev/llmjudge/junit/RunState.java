package dev.llmjudge.junit;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.cache.RefreshedFiles;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.runtime.RunBudget;
import dev.llmjudge.runtime.Throttle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What the extension keeps for a whole run in the root store: the runtimes and the throttle and
 * budget they share, the checks made by each running test, the checks made on threads that run no
 * test, and the baseline reports read so far.
 */
@SuppressWarnings("deprecation") // CloseableResource is deprecated on JUnit 6, which closes AutoCloseable values itself.
final class RunState implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    private static final System.Logger LOG = System.getLogger(LlmJudgeExtension.class.getName());
    /** Under the report directory: per build ({@link RunIds#refreshRun}), what {@code refresh} mode judged again in its JVMs. */
    static final String REFRESHED_DIRECTORY = "refreshed";

    private final ConcurrentMap<Object, LlmJudgeRuntime> runtimes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, List<ReportRow>> checksByTest = new ConcurrentHashMap<>();
    private final ConcurrentMap<Path, Optional<List<ReportRow>>> baselines = new ConcurrentHashMap<>();
    /** The checks made on a thread that runs no test (e.g. one a test started), each described, in the order they were made. */
    private final List<String> unattached = new ArrayList<>();
    private final Consumer<CheckOutcome> router = this::route;
    /** Where the line about a limited budget goes when the run ends. */
    private final Consumer<String> console;
    private volatile boolean closed;
    private Throttle throttle;
    private RunBudget budget;
    /** What {@code refresh} mode has judged again in the run, in any of its runtimes and JVMs: each case is paid for once. */
    private RefreshedFiles refreshed;

    RunState() {
        this(System.out::println);
    }

    RunState(Consumer<String> console) {
        this.console = console;
        CheckRecorder.addListener(router);
    }

    private void route(CheckOutcome outcome) {
        CheckRecorder.TestIdentity test = outcome.check().test();
        if (test == null) {
            synchronized (unattached) {
                unattached.add(outcome.check().describe());
            }
        } else {
            List<ReportRow> checks = checksByTest.get(test.id());
            if (checks != null) {
                checks.add(ReportRow.of(outcome));
            }
        }
    }

    /** Starts collecting the checks of a test (or class) id; idempotent. */
    void open(String id) {
        checksByTest.putIfAbsent(id, new CopyOnWriteArrayList<>());
    }

    /** Stops collecting for an id and returns what it collected. */
    List<ReportRow> close(String id) {
        List<ReportRow> checks = checksByTest.remove(id);
        return checks == null ? List.of() : List.copyOf(checks);
    }

    /** How many checks were made so far on threads that run no test; see {@link #unattachedSince}. */
    int unattachedCount() {
        synchronized (unattached) {
            return unattached.size();
        }
    }

    /** The checks made on threads that run no test since {@link #unattachedCount()} was {@code count}, each described. */
    List<String> unattachedSince(int count) {
        synchronized (unattached) {
            return List.copyOf(unattached.subList(Math.min(count, unattached.size()), unattached.size()));
        }
    }

    LlmJudgeRuntime runtime(Object key, Supplier<LlmJudgeRuntime> create) {
        return runtimes.computeIfAbsent(key, k -> create.get());
    }

    /**
     * {@code builder} with the run's one throttle and budget, made from the first configuration, and its one record of what
     * {@code refresh} mode judged again: the caps, the budget and "once per run" hold across test classes with different settings;
     * the record, kept under the report directory by run id, also across the JVMs of the run (Surefire's forks).
     */
    synchronized LlmJudgeRuntime.Builder sharedLimits(LlmJudgeRuntime.Builder builder, LlmJudgeConfig config) {
        if (throttle == null) {
            throttle = LlmJudgeRuntime.throttleFrom(config);
            budget = LlmJudgeRuntime.budgetFrom(config);
            refreshed = RefreshedFiles.ofRun(config.report().dir().resolve(REFRESHED_DIRECTORY),
                    RunIds.refreshRun(config.report().runId()));
        }
        return builder.throttle(throttle).budget(budget).refreshed(refreshed);
    }

    /** The rows of a baseline report; empty, with a warning once, when the file does not exist. */
    Optional<List<ReportRow>> baseline(Path file) {
        return baselines.computeIfAbsent(file.toAbsolutePath().normalize(), f -> {
            if (!Files.exists(f)) {
                LOG.log(System.Logger.Level.WARNING, "llm-judge: the baseline report " + file + " does not exist; scores are not compared"
                        + " (set llmjudge.report.baseline to a report.json of an earlier run)");
                return Optional.empty();
            }
            try {
                return Optional.of(JsonReport.read(f).rows());
            } catch (IOException | RuntimeException e) {
                throw new ExtensionConfigurationException("cannot read the baseline report " + file + " (llmjudge.report.baseline): "
                        + Secrets.redact(e.getMessage()), e);
            }
        });
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CheckRecorder.removeListener(router);
        for (LlmJudgeRuntime runtime : runtimes.values()) {
            try {
                runtime.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "llm-judge: closing a judge failed: " + Secrets.redact(String.valueOf(e)));
            }
        }
        runtimes.clear();
        RunBudget spentBudget;
        synchronized (this) {
            spentBudget = budget;
        }
        if (spentBudget != null) {
            budgetLine(spentBudget.spent()).ifPresent(console);
        }
    }

    /** E.g. {@code llm-judge: budget: 62 of 100 judge calls (2 failed), 45,000 of 100,000 tokens}; empty without a limit. */
    static Optional<String> budgetLine(RunBudget.Spent s) {
        if (s.maxCalls() == null && s.maxTokens() == null) {
            return Optional.empty();
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "llm-judge: budget: %,d", s.calls()));
        if (s.maxCalls() != null) {
            line.append(String.format(Locale.ROOT, " of %,d", s.maxCalls()));
        }
        line.append(s.calls() == 1 && s.maxCalls() == null ? " judge call" : " judge calls");
        if (s.failedCalls() > 0) {
            line.append(String.format(Locale.ROOT, " (%,d failed)", s.failedCalls()));
        }
        line.append(String.format(Locale.ROOT, ", %,d", s.totalTokens()));
        if (s.maxTokens() != null) {
            line.append(String.format(Locale.ROOT, " of %,d", s.maxTokens()));
        }
        line.append(" tokens");
        if (s.refusedCalls() > 0) {
            line.append(String.format(Locale.ROOT, "; %,d %s refused: the budget was spent", s.refusedCalls(),
                    s.refusedCalls() == 1 ? "check" : "checks"));
        }
        return Optional.of(line.toString());
    }
}
