package dev.llmjudge.junit;

import dev.llmjudge.internal.check.CheckRecorder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * How a test is named in reports ({@code SupportBotTest > refund policy}) and identified across
 * runs by its case key: the segments of its unique id, with an invocation named by its dataset
 * row (else its display name without JUnit's {@code [N]}) and a dynamic test by its display name,
 * so that inserting a row does not shift the others.
 */
final class TestNames {
    static final String SEPARATOR = " > ";
    private static final Pattern POSITION = Pattern.compile("^\\[\\d+]\\s*");

    private TestNames() {
    }

    private record Level(String uniqueId, String displayName) {
    }

    static CheckRecorder.TestIdentity identity(ExtensionContext context) {
        Deque<Level> levels = new ArrayDeque<>();
        for (ExtensionContext c = context; c.getParent().isPresent(); c = c.getParent().get()) {
            levels.addFirst(new Level(c.getUniqueId(), c.getDisplayName()));
        }
        return identity(context.getUniqueId(), levels);
    }

    static CheckRecorder.TestIdentity identity(TestPlan plan, TestIdentifier test) {
        Deque<Level> levels = new ArrayDeque<>();
        for (Optional<TestIdentifier> c = Optional.of(test); c.isPresent() && c.get().getParentIdObject().isPresent();
                c = plan.getParent(c.get())) {
            levels.addFirst(new Level(c.get().getUniqueId(), c.get().getDisplayName()));
        }
        return identity(test.getUniqueId(), levels);
    }

    private static CheckRecorder.TestIdentity identity(String uniqueId, Deque<Level> levels) {
        return new CheckRecorder.TestIdentity(uniqueId, String.join(SEPARATOR, levels.stream().map(Level::displayName).toList()),
                caseKey(levels), dataset(levels));
    }

    /** The dataset file of the innermost test template around the test whose rows are recorded, if any. */
    private static String dataset(Deque<Level> levels) {
        String dataset = null;
        for (Level level : levels) {
            String found = CheckRecorder.datasetFile(level.uniqueId()).orElse(null);
            dataset = found == null ? dataset : found;
        }
        return dataset;
    }

    private static String caseKey(Deque<Level> levels) {
        StringBuilder key = new StringBuilder();
        String parent = null;
        for (Level level : levels) {
            UniqueId.Segment segment = UniqueId.parse(level.uniqueId()).getLastSegment();
            String part = switch (segment.getType()) {
                case "test-template-invocation" -> CheckRecorder.datasetRow(String.valueOf(parent), invocationIndex(segment.getValue()))
                        .orElseGet(() -> POSITION.matcher(level.displayName()).replaceFirst(""));
                case "dynamic-test", "dynamic-container" -> level.displayName();
                default -> segment.getValue();
            };
            key.append(key.length() == 0 ? "" : "/").append(segment.getType()).append(':').append(part);
            parent = level.uniqueId();
        }
        return key.toString();
    }

    private static int invocationIndex(String value) {
        try {
            return Integer.parseInt(value.startsWith("#") ? value.substring(1) : value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The class label gates use in messages: the simple name, with enclosing classes for nested ones. */
    static String classLabel(Class<?> testClass) {
        return classLabel(testClass.getName());
    }

    /** The class label of a class known by its binary name, e.g. {@code SupportBotTest.Refunds} for {@code com.example.SupportBotTest$Refunds}. */
    static String classLabel(String name) {
        int dot = name.lastIndexOf('.');
        return (dot < 0 ? name : name.substring(dot + 1)).replace('$', '.');
    }
}
