package dev.llmjudge.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Every test the suite holds, as a launcher discovers it from the directories of the test class
 * path with no filter at all (Surefire's test class path, else {@code java.class.path}): the
 * unique ids of the discovered plan's leaves (tests, and test templates and factories, whose
 * invocations only appear while they run). Asked only before unused verdicts are deleted.
 */
final class WholeSuite {
    private WholeSuite() {
    }

    /** The leaves of the suite on the class path's directories. */
    static Set<String> ofClassPath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path", ""));
        Set<Path> roots = Arrays.stream(classPath.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of)
                .filter(Files::isDirectory).collect(Collectors.toSet());
        return roots.isEmpty() ? Set.of() : of(selectClasspathRoots(roots));
    }

    /** The leaves a launcher discovers from {@code selectors}, with no listener, filter or session of the run involved. */
    static Set<String> of(List<? extends DiscoverySelector> selectors) {
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestEngineAutoRegistration(true)
                .enableTestExecutionListenerAutoRegistration(false)
                .enableLauncherSessionListenerAutoRegistration(false)
                .enableLauncherDiscoveryListenerAutoRegistration(false)
                .enablePostDiscoveryFilterAutoRegistration(false)
                .build());
        TestPlan plan = launcher.discover(LauncherDiscoveryRequestBuilder.request().selectors(selectors).build());
        Set<String> leaves = new TreeSet<>();
        for (TestIdentifier root : plan.getRoots()) {
            collectLeaves(plan, root, leaves);
        }
        return leaves;
    }

    private static void collectLeaves(TestPlan plan, TestIdentifier node, Set<String> leaves) {
        Set<TestIdentifier> children = plan.getChildren(node);
        if (children.isEmpty()) {
            if (node.getParentIdObject().isPresent()) {
                leaves.add(node.getUniqueId());
            }
            return;
        }
        for (TestIdentifier child : children) {
            collectLeaves(plan, child, leaves);
        }
    }
}
