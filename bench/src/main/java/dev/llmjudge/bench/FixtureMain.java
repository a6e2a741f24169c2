package dev.llmjudge.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The child JVM's main: runs fixture classes through the JUnit Platform launcher, as a build
 * tool would (listeners registered through {@code META-INF/services} included), one launcher
 * execution per class in the order given, and prints {@code FIGURE} lines.
 */
public final class FixtureMain {
    private FixtureMain() {
    }

    /** CPU time of the whole JVM (every thread, the JIT and the collector included): less disturbed than wall time by other processes. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static void main(String[] args) throws ClassNotFoundException {
        Launcher launcher = LauncherFactory.create();
        boolean failed = false;
        for (String className : args) {
            Class<?> fixture = Class.forName(className);
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build();
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            long cpuStart = processCpuNanos();
            long start = System.nanoTime();
            launcher.execute(request, summary);
            long elapsed = System.nanoTime() - start;
            long cpu = processCpuNanos() - cpuStart;
            TestExecutionSummary s = summary.getSummary();
            String name = fixture.getSimpleName();
            System.out.println("FIGURE " + name + ".millis=" + elapsed / 1_000_000.0);
            System.out.println("FIGURE " + name + ".cpu.millis=" + cpu / 1_000_000.0);
            System.out.println("FIGURE " + name + ".succeeded=" + s.getTestsSucceededCount());
            System.out.println("FIGURE " + name + ".failed=" + (s.getTotalFailureCount()));
            if (s.getTotalFailureCount() > 0) {
                failed = true;
                s.getFailures().stream().limit(5).forEach(f -> System.err.println(f.getTestIdentifier().getDisplayName() + ": " + f.getException()));
            }
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("FIGURE peak.heap.bytes=" + peak);
        System.out.flush();
        System.exit(failed ? 1 : 0);
    }
}
