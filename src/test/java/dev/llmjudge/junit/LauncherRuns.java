package dev.llmjudge.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.llmjudge.junit.fixtures.OnlyThroughEngineTestKit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs fixture classes through a Launcher with one report listener, as one test JVM of a build would. */
final class LauncherRuns {
    /** What a run printed and how its tests ended. */
    record Run(String console, TestExecutionSummary summary) {
    }

    private LauncherRuns() {
    }

    static Run run(Map<String, String> environment, Map<String, String> params, Class<?>... fixtures) {
        return run(environment, params, List.of(), fixtures);
    }

    /** A run that also tells {@code others} (e.g. a listener that keeps report entries) what happens. */
    static Run run(Map<String, String> environment, Map<String, String> params, List<TestExecutionListener> others, Class<?>... fixtures) {
        return run(environment, params, others, List.of(List.of(fixtures)), WholeSuite::ofClassPath);
    }

    /** A run whose report listener takes the suite's tests to be those of {@code suite}, e.g. before deleting unused verdicts. */
    static Run runOfSuite(Map<String, String> environment, Map<String, String> params, List<Class<?>> suite, Class<?>... fixtures) {
        return run(environment, params, List.of(), List.of(List.of(fixtures)),
                () -> WholeSuite.of(suite.stream().map(c -> selectClass(c)).toList()));
    }

    /** A run of one test plan per class through one report listener, as Surefire runs the classes of a fork. */
    static Run runClassByClass(Map<String, String> environment, Map<String, String> params, Class<?>... fixtures) {
        return run(environment, params, List.of(), Arrays.stream(fixtures).<List<Class<?>>>map(List::of).toList(), WholeSuite::ofClassPath);
    }

    /** A run whose report listener hands its report's warm-up to {@code background} instead of a thread of its own. */
    static Run runWarmingUpIn(Executor background, Map<String, String> params, Class<?>... fixtures) {
        return run(Map.of(), params, List.of(), List.of(List.of(fixtures)), WholeSuite::ofClassPath, background);
    }

    private static Run run(Map<String, String> environment, Map<String, String> params, List<TestExecutionListener> others,
            List<List<Class<?>>> plans, Supplier<Set<String>> wholeSuite) {
        return run(environment, params, others, plans, wholeSuite, LlmJudgeReportListener::daemon);
    }

    private static Run run(Map<String, String> environment, Map<String, String> params, List<TestExecutionListener> others,
            List<List<Class<?>>> plans, Supplier<Set<String>> wholeSuite, Executor background) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(out, true, StandardCharsets.UTF_8);
        LlmJudgeReportListener listener = new LlmJudgeReportListener(environment, console, false, wholeSuite, background);
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestEngineAutoRegistration(true)
                .enableTestExecutionListenerAutoRegistration(false)
                .enableLauncherSessionListenerAutoRegistration(false)
                .addTestExecutionListeners(listener, summary)
                .addTestExecutionListeners(others.toArray(TestExecutionListener[]::new))
                .build());
        Map<String, String> all = new HashMap<>(params);
        all.put(OnlyThroughEngineTestKit.KEY, "true");
        for (List<Class<?>> plan : plans) {
            LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request().configurationParameters(all);
            for (Class<?> fixture : plan) {
                request.selectors(selectClass(fixture));
            }
            launcher.execute(request.build());
        }
        return new Run(out.toString(StandardCharsets.UTF_8), summary.getSummary());
    }
}
