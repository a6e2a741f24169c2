package dev.llmjudge.junit;

import dev.llmjudge.assertj.JudgedSoftAssertions;
import dev.llmjudge.config.CacheMode;
import dev.llmjudge.config.ConfigurationException;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.judge.CheckRecorder;
import dev.llmjudge.judge.CheckResult;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.Secrets;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.report.Baseline;
import dev.llmjudge.report.ReportRow;
import dev.llmjudge.report.RunReport;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit Jupiter extension behind {@link LlmJudgeTest}, and its programmatic form:
 *
 * <pre>{@code
 * class SupportBotTest {
 *     @RegisterExtension
 *     static LlmJudgeExtension judge = LlmJudgeExtension.newInstance()
 *         .model("gpt-4.1-mini")
 *         .cacheMode(CacheMode.REPLAY)
 *         .qualityGate("answer_similarity", 3.5, 0.9)
 *         .build();
 *
 *     @Test
 *     void answersRefundQuestions(JudgedSoftAssertions softly) {
 *         softly.assertThatAnswer(bot.ask("Can I get a refund?")).isSimilarTo(REFUND_POLICY).withScoreAtLeast(4);
 *     }
 * }
 * }</pre>
 *
 * <p>What it does:
 * <ul>
 *   <li>Resolves the configuration once per run: JUnit configuration parameters ({@code -D},
 *       {@code junit-platform.properties}), then {@code LLMJUDGE_*} environment variables, then
 *       defaults; annotation attributes and builder settings win over all three. An unknown key
 *       or malformed value fails with an {@link ExtensionConfigurationException} naming both.</li>
 *   <li>Installs the runtime around every test, lifecycle method and dynamic test, so the static
 *       {@code assertThatAnswer(...)} judges with it.</li>
 *   <li>Injects {@link LlmJudgeRuntime}, {@link Judge}, {@link LlmJudgeConfig}, {@link Judging}
 *       and {@link JudgedSoftAssertions} (asserted after the test) as parameters.</li>
 *   <li>Publishes every check as a report entry of its test (metric, outcome, score, threshold,
 *       model, cached, justification), fails a test that left a check without a threshold, and
 *       checks the {@link QualityGate quality gates} and the baseline gate after each class.</li>
 * </ul>
 */
public final class LlmJudgeExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        InvocationInterceptor, ParameterResolver {
    static final Namespace NAMESPACE = Namespace.create(LlmJudgeExtension.class);
    private static final String OWNER = "owner";
    private static final String SOFT_ASSERTIONS = "softAssertions";
    /** Justifications in report entries are shortened to this many characters. */
    static final int ENTRY_TEXT_LIMIT = 200;

    private final Settings settings;
    private final boolean programmatic;

    /** The declarative form, instantiated by {@link LlmJudgeTest}. */
    LlmJudgeExtension() {
        this(Settings.NONE, false);
    }

    private LlmJudgeExtension(Settings settings, boolean programmatic) {
        this.settings = settings;
        this.programmatic = programmatic;
    }

    /** Starts a programmatic extension for {@code @RegisterExtension}. */
    public static Builder newInstance() {
        return new Builder();
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        LlmJudgeExtension current = store.get(OWNER, LlmJudgeExtension.class);
        // With both @LlmJudgeTest and a registered instance, the registered one (and its settings) wins.
        if (current == null || programmatic) {
            store.put(OWNER, this);
        }
        if (programmatic || !registeredProgrammatically(context.getRequiredTestClass())) {
            // Resolve now, so that a configuration error fails the class before any of its tests runs.
            classState(context);
        }
        CheckRecorder.testStarted(context.getUniqueId());
    }

    private static boolean registeredProgrammatically(Class<?> testClass) {
        return !AnnotationSupport.findAnnotatedFields(testClass, org.junit.jupiter.api.extension.RegisterExtension.class,
                f -> java.lang.reflect.Modifier.isStatic(f.getModifiers()) && LlmJudgeExtension.class.isAssignableFrom(f.getType())).isEmpty();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (isOwner(context)) {
            CheckRecorder.testStarted(context.getUniqueId());
            runState(context).open(context.getUniqueId());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (isOwner(context)) {
            finishTest(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!isOwner(context)) {
            return;
        }
        ClassState state = context.getStore(NAMESPACE).get(stateKey(context), ClassState.class);
        if (state == null) {
            return; // the configuration failed: beforeAll reported it
        }
        List<CheckResult> classLevel = runState(context).close(context.getUniqueId());
        CheckRecorder.testFinished(context.getUniqueId());
        publishEntries(context, classLevel);
        addToEnclosingClasses(context, null, classLevel);
        List<String> failures = new ArrayList<>();
        String label = TestNames.classLabel(state.testClass);
        List<CheckResult> results = state.results();
        failures.addAll(Gates.failures(label, annotatedGates(state.testClass), results, true));
        for (Method method : state.methods()) {
            List<Gates.Gate> methodGates = annotatedGates(method);
            if (!methodGates.isEmpty()) {
                failures.addAll(Gates.failures(label + "." + method.getName(), methodGates, state.results(method), true));
            }
        }
        if (isOutermost(context)) {
            failures.addAll(Gates.failures(label, runWideGates(context, state, results), results, false));
        }
        String drop = dropFailure(context, state, label, results);
        if (drop != null) {
            failures.add(drop);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n", failures));
        }
    }

    // ---------------------------------------------------------------- interception

    @Override
    public <T> T interceptTestClassConstructor(Invocation<T> invocation, ReflectiveInvocationContext<java.lang.reflect.Constructor<T>> ic,
            ExtensionContext context) throws Throwable {
        return around(invocation, context);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic, ExtensionContext context)
            throws Throwable {
        around(invocation, context);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic, ExtensionContext context)
            throws Throwable {
        around(invocation, context);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic, ExtensionContext context)
            throws Throwable {
        around(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic, ExtensionContext context)
            throws Throwable {
        around(invocation, context);
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> ic, ExtensionContext context)
            throws Throwable {
        return around(invocation, context);
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext ic, ExtensionContext context) throws Throwable {
        if (!isOwner(context)) {
            invocation.proceed();
            return;
        }
        Throwable failure = null;
        try {
            around(invocation, context);
        } catch (Throwable t) {
            failure = t;
        }
        // Dynamic tests get no AfterEachCallback: finish them here.
        try {
            finishTest(context, failure != null);
        } catch (AssertionError e) {
            if (failure == null) {
                throw e;
            }
            failure.addSuppressed(e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic, ExtensionContext context)
            throws Throwable {
        around(invocation, context);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> ic, ExtensionContext context)
            throws Throwable {
        around(invocation, context);
    }

    private <T> T around(Invocation<T> invocation, ExtensionContext context) throws Throwable {
        if (!isOwner(context)) {
            return invocation.proceed();
        }
        LlmJudgeRuntime runtime = classState(context).runtime;
        CheckRecorder.TestIdentity previous = CheckRecorder.currentTest();
        CheckRecorder.setCurrentTest(TestNames.identity(context));
        runState(context).open(context.getUniqueId());
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            return invocation.proceed();
        } finally {
            CheckRecorder.setCurrentTest(previous);
        }
    }

    // ---------------------------------------------------------------- parameters

    private static final Set<Class<?>> INJECTABLE = Set.of(LlmJudgeRuntime.class, Judge.class, LlmJudgeConfig.class, Judging.class,
            JudgedSoftAssertions.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext context) {
        Class<?> type = parameterContext.getParameter().getType();
        if (!INJECTABLE.contains(type) || !isOwner(context)) {
            return false;
        }
        return type != JudgedSoftAssertions.class || context.getTestMethod().isPresent();
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext context) {
        Class<?> type = parameterContext.getParameter().getType();
        LlmJudgeRuntime runtime = classState(context).runtime;
        if (type == LlmJudgeRuntime.class) {
            return runtime;
        }
        if (type == Judge.class) {
            return runtime.judge();
        }
        if (type == LlmJudgeConfig.class) {
            return runtime.config();
        }
        if (type == Judging.class) {
            return new Judging(runtime);
        }
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(SOFT_ASSERTIONS, k -> new JudgedSoftAssertions(), JudgedSoftAssertions.class);
    }

    // ---------------------------------------------------------------- per test

    private void finishTest(ExtensionContext context) {
        finishTest(context, context.getExecutionException().isPresent());
    }

    private void finishTest(ExtensionContext context, boolean alreadyFailed) {
        List<String> pending = PendingCheckResults.drain();
        if (!alreadyFailed) {
            // Published so that the report listener records them too.
            PendingCheckResults.asResults(pending, TestNames.identity(context)).forEach(CheckRecorder::publish);
        }
        List<CheckResult> results = runState(context).close(context.getUniqueId());
        CheckRecorder.testFinished(context.getUniqueId());
        publishEntries(context, results);
        addToEnclosingClasses(context, context.getTestMethod().orElse(null), results);
        AssertionError softFailure = null;
        JudgedSoftAssertions softly = context.getStore(NAMESPACE).remove(SOFT_ASSERTIONS, JudgedSoftAssertions.class);
        if (softly != null) {
            try {
                softly.assertAll();
            } catch (AssertionError e) {
                softFailure = e;
            }
        }
        if (!alreadyFailed && !pending.isEmpty()) {
            AssertionError error = new AssertionError(dev.llmjudge.assertj.PendingChecks.message(pending));
            if (softFailure != null) {
                error.addSuppressed(softFailure);
            }
            throw error;
        }
        if (softFailure != null) {
            throw softFailure;
        }
    }

    private static void publishEntries(ExtensionContext context, List<CheckResult> results) {
        for (CheckResult r : results) {
            context.publishReportEntry(entry(r));
        }
    }

    /** The report entry of one check. */
    static Map<String, String> entry(CheckResult r) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("metric", r.metric());
        entry.put("outcome", r.outcome().name());
        Verdict v = r.verdict();
        if (v != null) {
            entry.put("score", String.valueOf(v.score()));
        }
        if (r.threshold() != null) {
            entry.put("threshold", String.valueOf(r.threshold()));
        }
        if (v != null) {
            entry.put("model", v.judgeModel());
            entry.put("cached", String.valueOf(v.cached()));
            entry.put("justification", TestNames.shorten(v.justification(), ENTRY_TEXT_LIMIT));
        } else if (r.errorMessage() != null) {
            entry.put("error", TestNames.shorten(Secrets.redact(r.errorMessage()), ENTRY_TEXT_LIMIT));
        }
        if (r.description() != null) {
            entry.put("description", TestNames.shorten(r.description(), ENTRY_TEXT_LIMIT));
        }
        return entry;
    }

    private void addToEnclosingClasses(ExtensionContext context, Method method, List<CheckResult> results) {
        if (results.isEmpty()) {
            return;
        }
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            if (isClassContext(c.get())) {
                ClassState state = c.get().getStore(NAMESPACE).get(stateKey(c.get()), ClassState.class);
                if (state != null) {
                    state.add(method, results);
                }
            }
        }
    }

    // ---------------------------------------------------------------- gates

    private static List<Gates.Gate> annotatedGates(AnnotatedElement element) {
        List<Gates.Gate> gates = new ArrayList<>();
        for (QualityGate g : AnnotationSupport.findRepeatableAnnotations(element, QualityGate.class)) {
            Gates.Gate gate = new Gates.Gate(g.metric(), g.minMean(), g.minPassRate());
            try {
                Gates.validate(gate, "@QualityGate on " + element);
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException(e.getMessage());
            }
            gates.add(gate);
        }
        return gates;
    }

    /** Gates from the builder and from configuration, for the metrics the class checked. */
    private List<Gates.Gate> runWideGates(ExtensionContext context, ClassState state, List<CheckResult> results) {
        List<Gates.Gate> gates = new ArrayList<>(settings.gates);
        Set<String> metrics = new TreeSet<>();
        results.forEach(r -> metrics.add(r.metric()));
        for (String metric : metrics) {
            double minMean = configuredGate(context, state, metric, "min-mean");
            double minPassRate = configuredGate(context, state, metric, "min-pass-rate");
            if (!Double.isNaN(minMean) || !Double.isNaN(minPassRate)) {
                gates.add(new Gates.Gate(metric, minMean, minPassRate));
            }
        }
        return gates;
    }

    private double configuredGate(ExtensionContext context, ClassState state, String metric, String setting) {
        String key = LlmJudgeConfig.metricGateKey(metric, setting);
        String raw = state.overrides.get(key);
        if (raw == null) {
            raw = context.getConfigurationParameter(key).orElse(null);
        }
        if (raw == null) {
            raw = settings.environment().get(LlmJudgeConfig.environmentVariableOf(key));
        }
        if (raw == null || raw.isBlank()) {
            return Double.NaN;
        }
        try {
            return LlmJudgeConfig.parseMetricGate(key, raw);
        } catch (ConfigurationException e) {
            throw new ExtensionConfigurationException(e.getMessage(), e);
        }
    }

    private String dropFailure(ExtensionContext context, ClassState state, String label, List<CheckResult> results) {
        LlmJudgeConfig config = state.runtime.config();
        if (config.gateMaxDrop().isEmpty() || results.isEmpty()) {
            return null;
        }
        Optional<Path> baselineFile = config.reportBaseline();
        if (baselineFile.isEmpty()) {
            return null;
        }
        Optional<List<ReportRow>> baseline = runState(context).baseline(baselineFile.get());
        if (baseline.isEmpty()) {
            return null;
        }
        int maxDrop = config.gateMaxDrop().getAsInt();
        List<ReportRow> rows = results.stream().map(ReportRow::of).toList();
        List<RunReport.ScoreChange> drops = Baseline.dropsOfAtLeast(Baseline.compare(rows, baseline.get(), baselineFile.get().toString())
                .changes(), maxDrop);
        return Gates.dropFailure(label, drops, maxDrop, baselineFile.get());
    }

    // ---------------------------------------------------------------- state

    /**
     * The runtime checks in {@code context} judge with: the owning extension's, else the
     * run-wide {@link LlmJudgeRuntime#current()}.
     */
    static LlmJudgeRuntime runtimeFor(ExtensionContext context) {
        LlmJudgeExtension owner = context.getStore(NAMESPACE).get(OWNER, LlmJudgeExtension.class);
        return owner == null ? LlmJudgeRuntime.current() : owner.classState(context).runtime;
    }

    private boolean isOwner(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Object owner = store.get(OWNER);
        if (owner == null) {
            // Registered on an instance field: no beforeAll came, so the instance claims its own test.
            store.put(OWNER, this);
            return true;
        }
        return owner == this;
    }

    private boolean isOutermost(ExtensionContext classContext) {
        return classContext.getParent().map(p -> p.getStore(NAMESPACE).get(OWNER) == null).orElse(true);
    }

    private static boolean isClassContext(ExtensionContext c) {
        return c.getElement().filter(e -> e instanceof Class).isPresent();
    }

    private static ExtensionContext classContextOf(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            if (isClassContext(c.get())) {
                return c.get();
            }
        }
        throw new IllegalStateException("no test class around " + context.getUniqueId());
    }

    private String stateKey(ExtensionContext classContext) {
        return "class:" + classContext.getUniqueId() + "@" + System.identityHashCode(this);
    }

    private static RunState runState(ExtensionContext context) {
        ExtensionContext.Store root = context.getRoot().getStore(NAMESPACE);
        RunState state = root.getOrComputeIfAbsent(RunState.class, k -> new RunState(), RunState.class);
        return state;
    }

    private ClassState classState(ExtensionContext context) {
        ExtensionContext classContext = classContextOf(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(stateKey(classContext), k -> createClassState(classContext),
                ClassState.class);
    }

    private ClassState createClassState(ExtensionContext classContext) {
        Class<?> testClass = classContext.getRequiredTestClass();
        Map<String, String> overrides = overrides(testClass);
        RunState state = runState(classContext);
        LlmJudgeRuntime runtime = state.runtime(List.of(settings, overrides), () -> {
            LlmJudgeConfig config;
            try {
                config = LlmJudgeConfig.resolve(parameterNames(), classContext::getConfigurationParameter, settings.environment(), overrides);
            } catch (ConfigurationException e) {
                throw new ExtensionConfigurationException(e.getMessage(), e);
            }
            LlmJudgeRuntime.Builder builder = LlmJudgeRuntime.builder().config(config)
                    .throttle(state.throttle(config))
                    .budget(state.budget(config));
            if (settings.apiKey != null) {
                builder.apiKey(settings.apiKey);
            }
            if (settings.judge != null) {
                builder.judge(settings.judge);
            }
            return builder.build();
        });
        return new ClassState(testClass, runtime, overrides);
    }

    /** Annotation attributes, then builder settings (which win). */
    private Map<String, String> overrides(Class<?> testClass) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            Optional<LlmJudgeTest> annotation = AnnotationSupport.findAnnotation(c, LlmJudgeTest.class);
            if (annotation.isPresent()) {
                LlmJudgeTest a = annotation.get();
                String where = "@LlmJudgeTest on " + c.getName();
                if (!a.model().isBlank()) {
                    overrides.put(LlmJudgeConfig.JUDGE_MODEL, a.model());
                }
                if (!a.cacheMode().isBlank()) {
                    try {
                        overrides.put(LlmJudgeConfig.CACHE_MODE, CacheMode.parse(a.cacheMode()).value());
                    } catch (IllegalArgumentException e) {
                        throw new ExtensionConfigurationException("invalid value '" + a.cacheMode() + "' for cacheMode of " + where
                                + ": expected " + e.getMessage());
                    }
                }
                if (!a.cacheDir().isBlank()) {
                    overrides.put(LlmJudgeConfig.CACHE_DIR, a.cacheDir());
                }
                if (a.maxScoreDrop() < 0) {
                    throw new ExtensionConfigurationException("invalid value " + a.maxScoreDrop() + " for maxScoreDrop of " + where
                            + ": expected a whole number of at least 1 (0 leaves llmjudge.gate.max-drop)");
                }
                if (a.maxScoreDrop() > 0) {
                    overrides.put(LlmJudgeConfig.GATE_MAX_DROP, String.valueOf(a.maxScoreDrop()));
                }
                break;
            }
        }
        overrides.putAll(settings.overrides);
        return Collections.unmodifiableMap(overrides);
    }

    /** The {@code llmjudge.*} names that can be enumerated: system properties and {@code junit-platform.properties}. */
    private static Set<String> parameterNames() {
        Set<String> names = new LinkedHashSet<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(LlmJudgeConfig.PREFIX)) {
                names.add(name);
            }
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader != null) {
            try (InputStream in = loader.getResourceAsStream("junit-platform.properties")) {
                if (in != null) {
                    Properties file = new Properties();
                    file.load(in);
                    file.stringPropertyNames().stream().filter(n -> n.startsWith(LlmJudgeConfig.PREFIX)).forEach(names::add);
                }
            } catch (IOException e) {
                throw new ExtensionConfigurationException("cannot read junit-platform.properties: " + e.getMessage(), e);
            }
        }
        return names;
    }

    /** What the extension keeps per test class: its runtime and the checks of its tests (and of nested classes). */
    static final class ClassState {
        final Class<?> testClass;
        final LlmJudgeRuntime runtime;
        final Map<String, String> overrides;
        // Append-only queues: a copy-on-write list would copy every earlier check on each test, quadratic for large datasets.
        private final Queue<CheckResult> results = new ConcurrentLinkedQueue<>();
        private final Map<Method, Queue<CheckResult>> byMethod = new ConcurrentHashMap<>();

        ClassState(Class<?> testClass, LlmJudgeRuntime runtime, Map<String, String> overrides) {
            this.testClass = testClass;
            this.runtime = runtime;
            this.overrides = overrides;
        }

        void add(Method method, List<CheckResult> checks) {
            results.addAll(checks);
            if (method != null) {
                byMethod.computeIfAbsent(method, m -> new ConcurrentLinkedQueue<>()).addAll(checks);
            }
        }

        List<CheckResult> results() {
            return List.copyOf(results);
        }

        List<CheckResult> results(Method method) {
            Queue<CheckResult> checks = byMethod.get(method);
            return checks == null ? List.of() : List.copyOf(checks);
        }

        /** The methods of the class that may carry gates: every method that made checks, and every annotated one. */
        Set<Method> methods() {
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

    /** Programmatic settings; {@code null} fields leave the configured value. */
    static final class Settings {
        static final Settings NONE = new Settings(Map.of(), List.of(), null, null, null);

        final Map<String, String> overrides;
        final List<Gates.Gate> gates;
        final String apiKey;
        final Judge judge;
        private final Map<String, String> environment;

        Settings(Map<String, String> overrides, List<Gates.Gate> gates, String apiKey, Judge judge, Map<String, String> environment) {
            this.overrides = Map.copyOf(overrides);
            this.gates = List.copyOf(gates);
            this.apiKey = apiKey;
            this.judge = judge;
            this.environment = environment == null ? null : Map.copyOf(environment);
        }

        Map<String, String> environment() {
            return environment == null ? System.getenv() : environment;
        }

        @Override
        public String toString() {
            return "Settings" + overrides + (apiKey == null ? "" : " [api key set]");
        }
    }

    /**
     * Builds a programmatic {@link LlmJudgeExtension}. Every setting is optional; what is not set
     * comes from the configuration (parameters, environment, defaults).
     */
    public static final class Builder {
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final List<Gates.Gate> gates = new ArrayList<>();
        private String apiKey;
        private Judge judge;
        private Map<String, String> environment;

        private Builder() {
        }

        /** The judge model, e.g. {@code "gpt-4.1-mini"} ({@code llmjudge.judge.model}). */
        public Builder model(String model) {
            return set(LlmJudgeConfig.JUDGE_MODEL, requireText(model, "model"));
        }

        /** The judge endpoint, e.g. {@code "http://localhost:11434/v1"} ({@code llmjudge.judge.base-url}). */
        public Builder baseUrl(String baseUrl) {
            return set(LlmJudgeConfig.JUDGE_BASE_URL, requireText(baseUrl, "baseUrl"));
        }

        /** An API key given in code instead of {@code OPENAI_API_KEY}; it is never written anywhere. */
        public Builder apiKey(String apiKey) {
            this.apiKey = requireText(apiKey, "apiKey");
            Secrets.register(apiKey);
            return this;
        }

        /** The directory of recorded verdicts ({@code llmjudge.cache.dir}). */
        public Builder cacheDirectory(Path directory) {
            return set(LlmJudgeConfig.CACHE_DIR, Objects.requireNonNull(directory, "directory").toString());
        }

        /** How the verdict cache is used ({@code llmjudge.cache.mode}). */
        public Builder cacheMode(CacheMode mode) {
            return set(LlmJudgeConfig.CACHE_MODE, Objects.requireNonNull(mode, "mode").value());
        }

        /** The baseline report to compare scores with ({@code llmjudge.report.baseline}). */
        public Builder baseline(Path reportJson) {
            return set(LlmJudgeConfig.REPORT_BASELINE, Objects.requireNonNull(reportJson, "reportJson").toString());
        }

        /** Fails a class when one of its cases scores {@code points} or more below the baseline ({@code llmjudge.gate.max-drop}). */
        public Builder maxScoreDrop(int points) {
            if (points < 1) {
                throw new IllegalArgumentException("maxScoreDrop must be at least 1, got " + points);
            }
            return set(LlmJudgeConfig.GATE_MAX_DROP, String.valueOf(points));
        }

        /**
         * A quality gate for every class using this extension: the metric's mean score must be at
         * least {@code minMean} and its pass rate at least {@code minPassRate} (a fraction; pass
         * {@code Double.NaN} to leave either unbounded).
         */
        public Builder qualityGate(String metric, double minMean, double minPassRate) {
            Gates.Gate gate = new Gates.Gate(Objects.requireNonNull(metric, "metric"), minMean, minPassRate);
            Gates.validate(gate, "qualityGate");
            gates.add(gate);
            return this;
        }

        /** Sets any configuration key, e.g. {@code set("llmjudge.judge.timeout", "30s")}; checked when the run starts. */
        public Builder set(String key, String value) {
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Judges with this judge instead of the OpenAI-compatible one (the verdict cache still sits in front). */
        public Builder judge(Judge judge) {
            this.judge = Objects.requireNonNull(judge, "judge");
            return this;
        }

        /**
         * Reads {@code LLMJUDGE_*} variables from this map instead of the process environment; for
         * tests of configuration.
         */
        public Builder environment(Map<String, String> environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        public LlmJudgeExtension build() {
            return new LlmJudgeExtension(new Settings(overrides, gates, apiKey, judge, environment), true);
        }

        private static String requireText(String value, String what) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return value;
        }
    }
}
