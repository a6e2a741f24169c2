package dev.llmjudge.junit;

import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.runtime.RunBudget;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.runtime.Throttle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * What the extension keeps for a whole run, in the root store: the runtimes (closed at the end
 * of the run), the checks made by each running test, and the baseline reports read so far.
 * Closed by JUnit 5 as a {@code CloseableResource} and by JUnit 6 as an {@code AutoCloseable}.
 */
@SuppressWarnings("deprecation") // CloseableResource is deprecated on JUnit 6, which closes AutoCloseable values itself.
final class RunState implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    private static final System.Logger LOG = System.getLogger(LlmJudgeExtension.class.getName());

    private final ConcurrentMap<Object, LlmJudgeRuntime> runtimes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, List<ReportRow>> checksByTest = new ConcurrentHashMap<>();
    private final ConcurrentMap<Path, Optional<List<ReportRow>>> baselines = new ConcurrentHashMap<>();
    private final Consumer<CheckOutcome> router = this::route;
    /** Where the line about a limited budget goes when the run ends: standard output, like the report's closing line. */
    private final Consumer<String> console;
    private volatile boolean closed;
    private Throttle throttle;
    private RunBudget budget;

    RunState() {
        this(System.out::println);
    }

    RunState(Consumer<String> console) {
        this.console = console;
        CheckRecorder.addListener(router);
    }

    private void route(CheckOutcome outcome) {
        CheckRecorder.TestIdentity test = outcome.check().test();
        if (test != null) {
            List<ReportRow> checks = checksByTest.get(test.id());
            if (checks != null) {
                checks.add(ReportRow.of(outcome));
            }
        }
    }

    /** Starts collecting the checks attributed to a test (or class) id; idempotent. */
    void open(String id) {
        checksByTest.putIfAbsent(id, new CopyOnWriteArrayList<>());
    }

    /** Stops collecting for an id and returns what it collected. */
    List<ReportRow> close(String id) {
        List<ReportRow> checks = checksByTest.remove(id);
        return checks == null ? List.of() : List.copyOf(checks);
    }

    LlmJudgeRuntime runtime(Object key, Supplier<LlmJudgeRuntime> create) {
        return runtimes.computeIfAbsent(key, k -> create.get());
    }

    /**
     * The run's one throttle: every runtime of the run shares it, so the cap on concurrent requests and the
     * request rate hold across test classes with different settings. Made from the first configuration asked.
     */
    synchronized Throttle throttle(LlmJudgeConfig config) {
        if (throttle == null) {
            throttle = LlmJudgeRuntime.throttleFrom(config);
        }
        return throttle;
    }

    /** The run's one budget, shared by every runtime of the run like {@link #throttle}. */
    synchronized RunBudget budget(LlmJudgeConfig config) {
        if (budget == null) {
            budget = LlmJudgeRuntime.budgetFrom(config);
        }
        return budget;
    }

    /** The rows of a baseline report; empty when the file does not exist (a warning is logged once). */
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

    /**
     * What the run spent of a limited budget, e.g. {@code llm-judge: budget: 62 of 100 judge calls
     * (2 failed), 45,000 of 100,000 tokens; 3 checks refused}; empty when no limit is set.
     */
    static Optional<String> budgetLine(RunBudget.Spent s) {
        if (s.maxCalls() == null && s.maxTokens() == null) {
            return Optional.empty();
        }
        StringBuilder line = new StringBuilder("llm-judge: budget: ");
        line.append(String.format(Locale.ROOT, "%,d", s.calls()));
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
