package dev.llmjudge.internal.check;

import dev.llmjudge.internal.RunWide;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.Texts;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.metric.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Where every check's outcome is announced, so that the report and the JUnit integration collect
 * them without the assertions knowing either, and every billed judge call that no check holds
 * ({@link CallOutsideCheck}); and what a check needs to know of the run: the
 * test each thread runs, the ordinal of each check among its test's checks of a metric (which
 * with the test's case key identifies a case across runs), the dataset rows of each test
 * template, and the checks begun on each thread and still waiting for their threshold.
 */
public final class CheckRecorder {
    /**
     * A test: its JUnit unique id, its display path, where it comes from, stable across runs (see
     * {@code TestNames}), and the dataset file its row came from ({@code null} for a test not fed by one).
     */
    public record TestIdentity(String id, String name, String caseKey, String dataset) {
        /** A test not fed by a dataset. */
        public TestIdentity(String id, String name, String caseKey) {
            this(id, name, caseKey, null);
        }
    }

    private static final class State {
        final List<Consumer<CheckOutcome>> listeners = new CopyOnWriteArrayList<>();
        final List<Consumer<CallOutsideCheck>> callListeners = new CopyOnWriteArrayList<>();
        final ThreadLocal<TestIdentity> currentTest = new ThreadLocal<>();
        /** Per running test (unique id), per metric, the checks numbered so far. */
        final Map<String, Map<String, AtomicInteger>> ordinals = new ConcurrentHashMap<>();
        /** Per test template (unique id), the key of each invocation's dataset row. */
        final Map<String, List<String>> datasetRows = new ConcurrentHashMap<>();
        /** Per test template (unique id), the dataset file its invocations' rows come from. */
        final Map<String, String> datasetFiles = new ConcurrentHashMap<>();
        final ThreadLocal<List<PendingCheck>> pending = ThreadLocal.withInitial(ArrayList::new);
    }

    private CheckRecorder() {
    }

    private static State state() {
        return RunWide.get(State.class, State::new);
    }

    public static void addListener(Consumer<CheckOutcome> listener) {
        state().listeners.add(listener);
    }

    public static void removeListener(Consumer<CheckOutcome> listener) {
        state().listeners.remove(listener);
    }

    /** Announces a check's outcome to every listener, once; a failing listener never fails the test. */
    public static void publish(CheckOutcome outcome) {
        for (Consumer<CheckOutcome> listener : state().listeners) {
            try {
                listener.accept(outcome);
            } catch (RuntimeException e) {
                System.getLogger(CheckRecorder.class.getName()).log(System.Logger.Level.WARNING,
                        "a check listener failed: " + Secrets.redact(String.valueOf(e)));
            }
        }
    }

    public static void addCallListener(Consumer<CallOutsideCheck> listener) {
        state().callListeners.add(listener);
    }

    public static void removeCallListener(Consumer<CallOutsideCheck> listener) {
        state().callListeners.remove(listener);
    }

    /** Announces a billed judge call that no check's outcome holds, once; a failing listener never fails the run. */
    public static void publishCall(CallOutsideCheck call) {
        for (Consumer<CallOutsideCheck> listener : state().callListeners) {
            try {
                listener.accept(call);
            } catch (RuntimeException e) {
                System.getLogger(CheckRecorder.class.getName()).log(System.Logger.Level.WARNING,
                        "a judge call listener failed: " + Secrets.redact(String.valueOf(e)));
            }
        }
    }

    /** Sets (or, with {@code null}, clears) the test the current thread is running. */
    public static void setCurrentTest(TestIdentity test) {
        if (test == null) {
            state().currentTest.remove();
        } else {
            state().currentTest.set(test);
        }
    }

    public static TestIdentity currentTest() {
        return state().currentTest.get();
    }

    /** A test (or class) starts or ends: its checks are numbered from 1 again. */
    public static void resetOrdinals(String testId) {
        state().ordinals.remove(testId);
    }

    /** The number of the next check of {@code metric} in {@code test}, from 1; always 1 outside a test. */
    public static int nextOrdinal(TestIdentity test, String metric) {
        if (test == null) {
            return 1;
        }
        return state().ordinals.computeIfAbsent(test.id(), id -> new ConcurrentHashMap<>())
                .computeIfAbsent(metric, m -> new AtomicInteger())
                .incrementAndGet();
    }

    /** Records the keys of the dataset rows a test template's invocations receive, so that each is identified by its row. */
    public static void datasetRows(String templateId, List<String> rowKeys) {
        state().datasetRows.put(templateId, List.copyOf(rowKeys));
    }

    /** Records the dataset file whose rows a test template's invocations receive, e.g. {@code datasets/support.jsonl}. */
    public static void datasetFile(String templateId, String dataset) {
        state().datasetFiles.put(templateId, dataset);
    }

    /** The dataset file whose rows a test template's invocations receive, if recorded. */
    public static Optional<String> datasetFile(String templateId) {
        return Optional.ofNullable(state().datasetFiles.get(templateId));
    }

    /** The key of the dataset row given to invocation {@code index} (from 1) of a test template, if recorded. */
    public static Optional<String> datasetRow(String templateId, int index) {
        List<String> rows = state().datasetRows.get(templateId);
        return rows == null || index < 1 || index > rows.size() ? Optional.empty() : Optional.of(rows.get(index - 1));
    }

    /** A check begun on this thread that has not stated its threshold yet; {@link #drainPending()} collects those that never do. */
    public record PendingCheck(String description, Metric metric, EvaluationCase evaluationCase) {
        /** The check stated its threshold (or was dropped): it no longer waits. */
        public void settled() {
            state().pending.get().removeIf(check -> check == this);
        }

        /** E.g. {@code answer_similarity on answer "Paris..."}. */
        public String describe() {
            return metric.name() + " on answer " + Texts.quoted(Secrets.redact(String.valueOf(evaluationCase.answer())), 40);
        }
    }

    /** Records a check begun on this thread; it waits until {@link PendingCheck#settled()}. */
    public static PendingCheck begin(String description, Metric metric, EvaluationCase evaluationCase) {
        PendingCheck pending = new PendingCheck(description, metric, evaluationCase);
        state().pending.get().add(pending);
        return pending;
    }

    /** Removes and returns the checks begun on this thread that never stated their threshold. */
    public static List<PendingCheck> drainPending() {
        List<PendingCheck> pending = state().pending.get();
        List<PendingCheck> drained = List.copyOf(pending);
        pending.clear();
        return drained;
    }

    /** The message for checks left without a threshold. */
    public static String missingThreshold(List<PendingCheck> pending) {
        return "a judged check never stated its threshold, so it checked nothing: "
                + String.join("; ", pending.stream().map(PendingCheck::describe).toList())
                + ". End the chain with withScoreAtLeast(n), or passes() for a pass/fail metric.";
    }
}
