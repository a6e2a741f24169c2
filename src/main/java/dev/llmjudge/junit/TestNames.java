package dev.llmjudge.junit;

import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.check.CheckRecorder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
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
    /** Where one segment of a unique id ends and the next begins: {@code [class:A]/[method:b()]}. */
    private static final String SEGMENT_END = "]/[";

    private TestNames() {
    }

    /** One test or container from the outermost below the engine to the test: its unique id and display name. */
    record Level(String uniqueId, String displayName) {
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

    /** A test's identity; a known API key in a display name (a parameterized test's arguments, say) is masked in its name and case key. */
    private static CheckRecorder.TestIdentity identity(String uniqueId, Deque<Level> levels) {
        return new CheckRecorder.TestIdentity(uniqueId, Secrets.redact(String.join(SEPARATOR, levels.stream().map(Level::displayName).toList())),
                Secrets.redact(caseKey(levels)), dataset(levels));
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

    static String caseKey(Deque<Level> levels) {
        List<UniqueId.Segment> segments = lastSegments(levels);
        StringBuilder key = new StringBuilder();
        String parent = null;
        int i = 0;
        for (Level level : levels) {
            UniqueId.Segment segment = segments.get(i++);
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

    /**
     * The last segment of each level's unique id. Parsing an id is most of the work of naming a test, and a level's id is
     * the start of the innermost one, cut at a segment's end ({@code ]/[}): the innermost id, parsed once, holds them all.
     * A level whose id is not so is parsed on its own.
     */
    private static List<UniqueId.Segment> lastSegments(Deque<Level> levels) {
        if (levels.isEmpty()) {
            return List.of();
        }
        String innermost = levels.getLast().uniqueId();
        List<UniqueId.Segment> segments = UniqueId.parse(innermost).getSegments();
        return levels.stream().map(Level::uniqueId).map(id -> {
            int index = segmentsIn(id) - 1;
            boolean start = innermost.startsWith(id) && (id.length() == innermost.length() || innermost.startsWith(SEGMENT_END, id.length() - 1));
            return start && index < segments.size() ? segments.get(index) : UniqueId.parse(id).getLastSegment();
        }).toList();
    }

    /** How many segments the unique id {@code id} has: segment values are encoded, so {@code ]/[} only ever separates two. */
    private static int segmentsIn(String id) {
        int count = 1;
        for (int at = id.indexOf(SEGMENT_END); at >= 0; at = id.indexOf(SEGMENT_END, at + 1)) {
            count++;
        }
        return count;
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
