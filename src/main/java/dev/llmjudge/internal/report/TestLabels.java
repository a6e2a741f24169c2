package dev.llmjudge.internal.report;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test as a reader names it, from its JUnit unique id and display path: the class's simple
 * name (nested classes after a dot), the method with the simple names of its parameter types,
 * and the display name when it says more than the method, e.g. a {@code @DisplayName} or a
 * dataset row's invocation.
 *
 * <pre>{@code
 * TestLabels.of("[engine:junit-jupiter]/[class:com.example.SupportBotTest]/[test-template:answers(dev.llmjudge.junit.DatasetRow)]"
 *         + "/[test-template-invocation:#1]", "SupportBotTest > answers(DatasetRow) > [1] How long do I have?");
 * // Optional[Label[testClass=SupportBotTest, method=answers(DatasetRow), displayName=[1] How long do I have?]]
 * }</pre>
 */
public final class TestLabels {
    private static final Pattern SEGMENT = Pattern.compile("\\[([a-z-]+):(.*?)](?=/\\[|$)");
    private static final Pattern QUALIFIED = Pattern.compile("(?:[\\w$]+\\.)+([\\w$]+)");
    /** Between the levels of a display path, {@code SupportBotTest > answers(DatasetRow) > [1] How long do I have?}. */
    private static final Pattern PATH_SEPARATOR = Pattern.compile(" > ", Pattern.LITERAL);

    /** The parts of a test's name; {@code displayName} is {@code null} when it is the method's own. */
    public record Label(String testClass, String method, String displayName) {
    }

    private TestLabels() {
    }

    /** The label of a test; empty when its id names no test class (e.g. a check outside a test, or another engine's test). */
    public static Optional<Label> of(String testId, String testName) {
        if (testId == null) {
            return Optional.empty();
        }
        Optional<String> testClass = RunReports.testClassOf(testId);
        if (testClass.isEmpty()) {
            return Optional.empty();
        }
        String method = null;
        Matcher m = SEGMENT.matcher(testId);
        while (m.find()) {
            String type = m.group(1);
            if (method == null && (type.equals("method") || type.equals("test-template") || type.equals("test-factory"))) {
                method = simpleParameters(m.group(2));
            }
        }
        String simpleClass = simpleName(testClass.get());
        String display = lastPart(testName);
        if (display != null && (display.equals(method) || method == null && display.replace('$', '.').equals(simpleClass))) {
            display = null;
        }
        return Optional.of(new Label(simpleClass, method, display));
    }

    /** {@code com.example.SupportBotTest$Refunds} as {@code SupportBotTest.Refunds}. */
    static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1).replace('$', '.');
    }

    /** {@code answers(dev.llmjudge.junit.DatasetRow, int)} as {@code answers(DatasetRow, int)}. */
    static String simpleParameters(String method) {
        return QUALIFIED.matcher(method).replaceAll("$1");
    }

    private static String lastPart(String testName) {
        if (testName == null) {
            return null;
        }
        String[] parts = PATH_SEPARATOR.split(testName, -1);
        return parts[parts.length - 1];
    }
}
