package dev.llmjudge.junit;

import dev.llmjudge.config.ConfigOverrides;
import dev.llmjudge.config.ConfigSources;
import dev.llmjudge.config.ConfigurationException;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * What the extension keeps per test class: the runtime its checks judge with, the rows of its checks for its gates, and where
 * the run's checks on threads that run no test stood when it began.
 */
final class ClassJudging {
    final Class<?> testClass;
    final LlmJudgeRuntime runtime;
    // Append-only queues: a copy-on-write list would copy every earlier check on each test, quadratic for large datasets.
    private final Queue<ReportRow> rows = new ConcurrentLinkedQueue<>();
    /** The checks of the class's own tests, not of its nested classes'. */
    private final Queue<ReportRow> ownRows = new ConcurrentLinkedQueue<>();
    private final Map<Method, Queue<ReportRow>> byMethod = new ConcurrentHashMap<>();
    /** The methods with a test that ran (was not aborted), checks or none. */
    private final Set<Method> ran = ConcurrentHashMap.newKeySet();
    /** How many checks of the run had been made on threads that run no test when the class began. */
    private final int unattachedAtStart;

    private ClassJudging(Class<?> testClass, LlmJudgeRuntime runtime, int unattachedAtStart) {
        this.testClass = testClass;
        this.runtime = runtime;
        this.unattachedAtStart = unattachedAtStart;
    }

    /** The class's judging, its runtime shared with the classes of the run with the same settings and attributes. */
    static ClassJudging of(ExtensionContext classContext, LlmJudgeExtension.Settings settings, RunState run) {
        Class<?> testClass = classContext.getRequiredTestClass();
        ConfigOverrides attributes = attributes(testClass);
        LlmJudgeRuntime runtime = run.runtime(List.of(settings, attributes), () -> {
            LlmJudgeConfig config;
            try {
                config = LlmJudgeConfig.resolve(ConfigSources.junit(classContext.getRoot()::getConfigurationParameter, settings.environment),
                        settings.overrides, attributes);
            } catch (ConfigurationException e) {
                throw new ExtensionConfigurationException(e.getMessage(), e);
            }
            // A null API key or judge leaves the runtime's default.
            return run.sharedLimits(LlmJudgeRuntime.builder().config(config), config).apiKey(settings.apiKey).judge(settings.judge).build();
        });
        return new ClassJudging(testClass, runtime, run.unattachedCount());
    }

    /** The attributes of the nearest {@code @LlmJudgeTest} around the class; their defaults leave the configured values. */
    private static ConfigOverrides attributes(Class<?> testClass) {
        ConfigOverrides.Builder attributes = ConfigOverrides.builder();
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            Optional<LlmJudgeTest> annotation = AnnotationSupport.findAnnotation(c, LlmJudgeTest.class);
            if (annotation.isPresent()) {
                LlmJudgeTest a = annotation.get();
                if (!a.model().isBlank()) {
                    attributes.model(a.model());
                }
                attributes.cacheMode(a.cacheMode());
                if (!a.cacheDir().isBlank()) {
                    attributes.cacheDirectory(Path.of(a.cacheDir()));
                }
                if (a.maxScoreDrop() < 0) {
                    throw new ExtensionConfigurationException("invalid value " + a.maxScoreDrop() + " for maxScoreDrop of @LlmJudgeTest on "
                            + c.getName() + ": expected a whole number of at least 1 (0 leaves llmjudge.gate.max-drop)");
                }
                if (a.maxScoreDrop() > 0) {
                    attributes.maxScoreDrop(a.maxScoreDrop());
                }
                if (a.samples() < 0 || a.samples() > JudgeRequest.MAX_SAMPLES) {
                    throw new ExtensionConfigurationException("invalid value " + a.samples() + " for samples of @LlmJudgeTest on "
                            + c.getName() + ": expected a whole number from 1 to " + JudgeRequest.MAX_SAMPLES + " (0 leaves llmjudge.judge.samples)");
                }
                attributes.samples(a.samples()).onUnstable(a.onUnstable());
                break;
            }
        }
        return attributes.build();
    }

    /**
     * Adds the checks of a test of {@code method} ({@code null}: the class's own); {@code ran}: the test ran, checks or none;
     * {@code own}: a test of this class, not of a nested one.
     */
    void add(Method method, List<ReportRow> checks, boolean ran, boolean own) {
        rows.addAll(checks);
        if (own) {
            ownRows.addAll(checks);
        }
        if (method != null) {
            byMethod.computeIfAbsent(method, m -> new ConcurrentLinkedQueue<>()).addAll(checks);
            if (ran) {
                this.ran.add(method);
            }
        }
    }

    /**
     * Every gate evaluated, passed or failed: the class's and its methods', those of the extension registered on it
     * ({@code settingsGates}), the run-wide ones (outermost class), and the drop gate and the pairwise baseline gate over
     * the checks of the class's own tests; {@code classId} is the class's unique id. A class with a gate fails too when, while
     * it ran, checks were made on threads that run no test: no gate counted them.
     */
    List<GateResult> gateResults(List<Gates.Gate> settingsGates, boolean outermost, RunState run, String classId) {
        List<ReportRow> all = List.copyOf(rows);
        String label = TestNames.classLabel(testClass);
        // A class gate is evaluated when the class made checks, or when every one of its tests ran and none made a check (a
        // run of some of its methods alone may leave its checks to the others); a method gate when the method ran, so that
        // one that forgot to check fails.
        boolean classChecked = !all.isEmpty() || ranWhole();
        List<GateResult> results = new ArrayList<>(Gates.evaluate(GateResult.CLASS, label, classId, Gates.annotated(testClass), all,
                classChecked));
        for (Method method : gatedMethods()) {
            List<Gates.Gate> gates = Gates.annotated(method);
            if (!gates.isEmpty()) {
                Queue<ReportRow> checks = byMethod.get(method);
                results.addAll(Gates.evaluate(GateResult.DATASET, label + "." + method.getName(), classId, gates,
                        checks == null ? List.of() : List.copyOf(checks), ran.contains(method)));
            }
        }
        // The extension's gates are the class's own, as @QualityGate: one on a metric never checked fails.
        results.addAll(Gates.evaluate(GateResult.CLASS, label, classId, settingsGates, all, classChecked));
        if (outermost) {
            // The configured ones apply to every class, each to the metrics it checked.
            results.addAll(Gates.evaluate(GateResult.RUN_WIDE, label, classId, Gates.configured(runtime.config(), all), all, false));
        }
        // The baseline gates of each class cover the checks of its own tests, with its own settings: a nested class's case is
        // compared with the baseline once, by its class.
        List<ReportRow> own = List.copyOf(ownRows);
        results.addAll(Gates.drop(label, classId, runtime.config(), own, run::baseline));
        PairwiseBaselineGate.evaluate(label, classId, runtime, own, run::baseline).ifPresent(results::add);
        // Such a check is attached to no test (its thread tells no test, and several may be running), so none of the gates
        // above saw it: they must not pass on the checks they saw alone.
        List<String> unattached = run.unattachedSince(unattachedAtStart);
        if (!results.isEmpty() && !unattached.isEmpty()) {
            results.add(Gates.unattached(label, classId, unattached));
        }
        return results;
    }

    /**
     * Whether every test method of the class and of its {@code @Nested} classes ran: none was filtered out, disabled or
     * aborted by an assumption.
     */
    private boolean ranWhole() {
        Set<Method> tests = testMethods(testClass);
        return !tests.isEmpty() && ran.containsAll(tests);
    }

    /** The test methods of {@code c} ({@code @Test}, {@code @ParameterizedTest}, {@code @TestFactory}, ...) and of its {@code @Nested} classes. */
    private static Set<Method> testMethods(Class<?> c) {
        Set<Method> methods = new LinkedHashSet<>(ReflectionSupport.findMethods(c, m -> AnnotationSupport.isAnnotated(m, Testable.class)
                && !Modifier.isStatic(m.getModifiers()) && !Modifier.isPrivate(m.getModifiers()) && !Modifier.isAbstract(m.getModifiers()),
                HierarchyTraversalMode.TOP_DOWN));
        for (Class<?> nested : ReflectionSupport.findNestedClasses(c, n -> AnnotationSupport.isAnnotated(n, Nested.class))) {
            methods.addAll(testMethods(nested));
        }
        return methods;
    }

    /** Every method that made checks, and every one with a gate. */
    private Set<Method> gatedMethods() {
        Set<Method> methods = new LinkedHashSet<>(byMethod.keySet());
        for (Method m : testClass.getDeclaredMethods()) {
            if (AnnotationSupport.isAnnotated(m, QualityGate.class) || AnnotationSupport.isAnnotated(m, QualityGates.class)) {
                methods.add(m);
            }
        }
        methods.removeIf(m -> !m.getDeclaringClass().isAssignableFrom(testClass));
        return methods;
    }
}
