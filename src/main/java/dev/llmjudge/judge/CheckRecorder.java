package dev.llmjudge.judge;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Where judged checks are announced, run-wide, so that the report and the JUnit integration
 * can collect them without the assertions knowing about either.
 *
 * <p>The JUnit listener sets the current test on the thread that runs it, so each check is
 * attached to the test that made it. The recorder also numbers each test's checks of each
 * metric (the first {@code answer_similarity} check of a test is 1, the next 2), which with the
 * test's {@linkplain TestIdentity#caseKey() case key} identifies a case across runs.
 *
 * <pre>{@code
 * List<CheckResult> seen = new CopyOnWriteArrayList<>();
 * CheckRecorder.addListener(seen::add);
 * }</pre>
 */
public final class CheckRecorder {
    /**
     * The test a thread is running.
     *
     * @param id the JUnit unique id
     * @param name the display path, e.g. {@code SupportBotTest > refund policy}
     * @param caseKey where the test comes from, stable across runs: its class, method and invocation
     *     (for a dataset row, the row's id), e.g. {@code class:com.example.SupportBotTest/method:refund()}
     */
    public record TestIdentity(String id, String name, String caseKey) {
    }

    private static final List<Consumer<CheckResult>> LISTENERS = new CopyOnWriteArrayList<>();
    private static final ThreadLocal<TestIdentity> CURRENT_TEST = new ThreadLocal<>();
    /** Per running test (unique id), per metric, the checks numbered so far. */
    private static final Map<String, Map<String, AtomicInteger>> ORDINALS = new ConcurrentHashMap<>();
    /** Per test template (unique id), the key of each invocation's dataset row, in invocation order. */
    private static final Map<String, List<String>> DATASET_ROWS = new ConcurrentHashMap<>();

    private CheckRecorder() {
    }

    public static void addListener(Consumer<CheckResult> listener) {
        LISTENERS.add(listener);
    }

    public static void removeListener(Consumer<CheckResult> listener) {
        LISTENERS.remove(listener);
    }

    /** Announces a check to every listener; a failing listener never fails the test. */
    public static void publish(CheckResult result) {
        for (Consumer<CheckResult> listener : LISTENERS) {
            try {
                listener.accept(result);
            } catch (RuntimeException e) {
                System.getLogger(CheckRecorder.class.getName()).log(System.Logger.Level.WARNING,
                        "a check listener failed: " + Secrets.redact(String.valueOf(e)));
            }
        }
    }

    /** Sets (or, with {@code null}, clears) the test the current thread is running. */
    public static void setCurrentTest(TestIdentity test) {
        if (test == null) {
            CURRENT_TEST.remove();
        } else {
            CURRENT_TEST.set(test);
        }
    }

    /** The test the current thread is running, or {@code null}. */
    public static TestIdentity currentTest() {
        return CURRENT_TEST.get();
    }

    /** A test (or class) starts: its checks are numbered from 1 again. */
    public static void testStarted(String testId) {
        ORDINALS.remove(testId);
    }

    /** A test (or class) is done: its numbering is forgotten. */
    public static void testFinished(String testId) {
        ORDINALS.remove(testId);
    }

    /**
     * The number of the next check of {@code metric} in {@code test}: 1 for its first check of that
     * metric, 2 for the next; always 1 outside a test.
     */
    public static int nextOrdinal(TestIdentity test, String metric) {
        if (test == null) {
            return 1;
        }
        return ORDINALS.computeIfAbsent(test.id(), id -> new ConcurrentHashMap<>())
                .computeIfAbsent(metric, m -> new AtomicInteger())
                .incrementAndGet();
    }

    /**
     * Records the keys of the dataset rows a test template's invocations receive, in invocation
     * order, so that each invocation is identified by its row rather than its position.
     */
    public static void datasetRows(String templateId, List<String> rowKeys) {
        DATASET_ROWS.put(templateId, List.copyOf(rowKeys));
    }

    /** The key of the dataset row given to invocation {@code index} (1-based) of a test template, if one was recorded. */
    public static Optional<String> datasetRow(String templateId, int index) {
        List<String> rows = DATASET_ROWS.get(templateId);
        return rows == null || index < 1 || index > rows.size() ? Optional.empty() : Optional.of(rows.get(index - 1));
    }
}
