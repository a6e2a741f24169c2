package dev.llmjudge.junit;

import dev.llmjudge.internal.RunWide;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.report.GateResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Where the extension announces the gates it evaluated after a class, so that the run's report lists them (passed or failed). */
final class GateResults {
    private static final class State {
        final List<Consumer<GateResult>> listeners = new CopyOnWriteArrayList<>();
    }

    private GateResults() {
    }

    private static State state() {
        return RunWide.get(State.class, State::new);
    }

    static void addListener(Consumer<GateResult> listener) {
        state().listeners.add(listener);
    }

    static void removeListener(Consumer<GateResult> listener) {
        state().listeners.remove(listener);
    }

    /** Tells every listener of each result, in order; a failing listener never fails the class. */
    static void publish(List<GateResult> results) {
        for (GateResult result : results) {
            for (Consumer<GateResult> listener : state().listeners) {
                try {
                    listener.accept(result);
                } catch (RuntimeException e) {
                    System.getLogger(GateResults.class.getName()).log(System.Logger.Level.WARNING,
                            "llm-judge: a gate listener failed: " + Secrets.redact(String.valueOf(e)));
                }
            }
        }
    }
}
