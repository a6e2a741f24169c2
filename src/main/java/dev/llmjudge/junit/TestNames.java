package dev.llmjudge.junit;

import dev.llmjudge.judge.CheckRecorder;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/** How a test is named in reports: its display names from the class down, e.g. {@code SupportBotTest > refund policy}. */
final class TestNames {
    static final String SEPARATOR = " > ";

    private TestNames() {
    }

    static CheckRecorder.TestIdentity identity(ExtensionContext context) {
        Deque<String> names = new ArrayDeque<>();
        for (ExtensionContext c = context; c.getParent().isPresent(); c = c.getParent().get()) {
            names.addFirst(c.getDisplayName());
        }
        return new CheckRecorder.TestIdentity(context.getUniqueId(), String.join(SEPARATOR, names));
    }

    static CheckRecorder.TestIdentity identity(TestPlan plan, TestIdentifier test) {
        Deque<String> names = new ArrayDeque<>();
        for (Optional<TestIdentifier> c = Optional.of(test); c.isPresent() && c.get().getParentIdObject().isPresent();
                c = plan.getParent(c.get())) {
            names.addFirst(c.get().getDisplayName());
        }
        return new CheckRecorder.TestIdentity(test.getUniqueId(), String.join(SEPARATOR, names));
    }

    /** The class label gates use in messages: the simple name, with enclosing classes for nested ones. */
    static String classLabel(Class<?> testClass) {
        String name = testClass.getName();
        int dot = name.lastIndexOf('.');
        return (dot < 0 ? name : name.substring(dot + 1)).replace('$', '.');
    }

    static String shorten(String text, int limit) {
        if (text == null) {
            return null;
        }
        String t = text.strip().replaceAll("\\s+", " ");
        return t.length() <= limit ? t : t.substring(0, limit - 1) + "…";
    }
}
