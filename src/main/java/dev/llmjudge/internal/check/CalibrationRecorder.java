package dev.llmjudge.internal.check;

import dev.llmjudge.internal.RunWide;
import dev.llmjudge.internal.Secrets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where calibrations against human labels are announced, so that the report collects them without
 * the assertions knowing it; the counterpart of {@link CheckRecorder} for checks.
 */
public final class CalibrationRecorder {
    private static final class Listeners extends CopyOnWriteArrayList<Consumer<CalibrationOutcome>> {
        private static final long serialVersionUID = 1L;
    }

    private CalibrationRecorder() {
    }

    private static Listeners listeners() {
        return RunWide.get(Listeners.class, Listeners::new);
    }

    public static void addListener(Consumer<CalibrationOutcome> listener) {
        listeners().add(listener);
    }

    public static void removeListener(Consumer<CalibrationOutcome> listener) {
        listeners().remove(listener);
    }

    /** Announces a calibration (again, under its id, after each bound); a failing listener never fails the test. */
    public static void publish(CalibrationOutcome outcome) {
        for (Consumer<CalibrationOutcome> listener : listeners()) {
            try {
                listener.accept(outcome);
            } catch (RuntimeException e) {
                System.getLogger(CalibrationRecorder.class.getName()).log(System.Logger.Level.WARNING,
                        "a calibration listener failed: " + Secrets.redact(String.valueOf(e)));
            }
        }
    }
}
