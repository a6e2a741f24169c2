package dev.llmjudge.judge;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where judged checks are announced, run-wide, so that the report and the JUnit integration
 * can collect them without the assertions knowing about either.
 *
 * <p>The JUnit listener sets the current test on the thread that runs it, so each check is
 * attached to the test that made it.
 *
 * <pre>{@code
 * List<CheckResult> seen = new CopyOnWriteArrayList<>();
 * CheckRecorder.addListener(seen::add);
 * }</pre>
 */
public final class CheckRecorder {
    /** The test a thread is running: its JUnit unique id and display path. */
    public record TestIdentity(String id, String name) {
    }

    private static final List<Consumer<CheckResult>> LISTENERS = new CopyOnWriteArrayList<>();
    private static final ThreadLocal<TestIdentity> CURRENT_TEST = new ThreadLocal<>();

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
}
