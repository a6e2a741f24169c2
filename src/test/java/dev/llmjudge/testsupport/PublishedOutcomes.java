package dev.llmjudge.testsupport;

import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The check outcomes published while each test runs, in the order published: a listener on
 * {@link CheckRecorder} from before the test to after it.
 *
 * <pre>{@code
 * @RegisterExtension
 * final PublishedOutcomes published = new PublishedOutcomes();
 * ...
 * assertThat(published.outcomes()).singleElement().isInstanceOf(CheckOutcome.Passed.class);
 * }</pre>
 */
public final class PublishedOutcomes implements BeforeEachCallback, AfterEachCallback {
    private final List<CheckOutcome> outcomes = new CopyOnWriteArrayList<>();
    private final Consumer<CheckOutcome> listener = outcomes::add;

    @Override
    public void beforeEach(ExtensionContext context) {
        outcomes.clear();
        CheckRecorder.addListener(listener);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        CheckRecorder.removeListener(listener);
    }

    /** The outcomes published so far in this test. */
    public List<CheckOutcome> outcomes() {
        return outcomes;
    }
}
