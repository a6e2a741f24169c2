package dev.llmjudge.junit;

import dev.llmjudge.assertj.JudgedSoftAssertions;
import dev.llmjudge.config.CacheMode;
import dev.llmjudge.config.ConfigOverrides;
import dev.llmjudge.config.ConfigurationException;
import dev.llmjudge.config.Key;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.config.ScoreBy;
import dev.llmjudge.internal.Arguments;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

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
 * <p>It resolves the configuration (builder settings and {@link LlmJudgeTest} attributes over
 * JUnit configuration parameters, {@code LLMJUDGE_*} variables and defaults; a bad key or value
 * fails with an {@link ExtensionConfigurationException}), installs the runtime around every test
 * and lifecycle method, injects {@link LlmJudgeRuntime}, {@link Judge}, {@link LlmJudgeConfig},
 * {@link Judging} and {@link JudgedSoftAssertions} (asserted after the test), publishes every
 * check as a report entry of its test, fails a test that left a check without a threshold, and
 * checks the {@link QualityGate quality gates} and the baseline gate after each class.
 */
public final class LlmJudgeExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        InvocationInterceptor, ParameterResolver {
    static final Namespace NAMESPACE = Namespace.create(LlmJudgeExtension.class);
    private static final String OWNER = "owner";
    private static final String SOFT_ASSERTIONS = "softAssertions";
    private static final String INSTANCE_FIELD = "instanceField";

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
            classJudging(context);
        }
        CheckRecorder.resetOrdinals(context.getUniqueId());
    }

    private static boolean registeredProgrammatically(Class<?> testClass) {
        return !AnnotationSupport.findAnnotatedFields(testClass, RegisterExtension.class,
                f -> Modifier.isStatic(f.getModifiers()) && LlmJudgeExtension.class.isAssignableFrom(f.getType())).isEmpty();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (isOwner(context)) {
            CheckRecorder.resetOrdinals(context.getUniqueId());
            runState(context).open(context.getUniqueId());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (isOwner(context)) {
            finishTest(context, context.getExecutionException().isPresent());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (!isOwner(context)) {
            return;
        }
        ClassJudging judging = context.getStore(NAMESPACE).get(stateKey(context), ClassJudging.class);
        if (judging == null) {
            return; // the configuration failed: beforeAll reported it
        }
        List<ReportRow> classLevel = runState(context).close(context.getUniqueId());
        CheckRecorder.resetOrdinals(context.getUniqueId());
        publishEntries(context, classLevel);
        addToEnclosingClasses(context, null, classLevel, false);
        // The extension's gates are those of the class that registered it (a @Nested class may register its own).
        List<Gates.Gate> ownGates = registeredHere(context) ? settings.gates : List.of();
        List<GateResult> gates = judging.gateResults(ownGates, isOutermost(context), runState(context), context.getUniqueId());
        GateResults.publish(gates);
        List<String> failures = Gates.failures(gates);
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("\n", failures));
        }
    }

    @Override
    public <T> T interceptTestClassConstructor(Invocation<T> invocation, ReflectiveInvocationContext<Constructor<T>> ic,
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
        LlmJudgeRuntime runtime = classJudging(context).runtime;
        CheckRecorder.TestIdentity previous = CheckRecorder.currentTest();
        CheckRecorder.setCurrentTest(TestNames.identity(context));
        runState(context).open(context.getUniqueId());
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            return invocation.proceed();
        } finally {
            CheckRecorder.setCurrentTest(previous);
        }
    }

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
        LlmJudgeRuntime runtime = classJudging(context).runtime;
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

    private void finishTest(ExtensionContext context, boolean alreadyFailed) {
        String missingThresholds = TestChecks.publishMissingThresholds(TestNames.identity(context));
        List<ReportRow> rows = runState(context).close(context.getUniqueId());
        CheckRecorder.resetOrdinals(context.getUniqueId());
        publishEntries(context, rows);
        // A test that aborted (an assumption failed) did not run: a gate on its method is not evaluated without checks.
        boolean ran = context.getExecutionException().filter(TestAbortedException.class::isInstance).isEmpty();
        addToEnclosingClasses(context, testMethod(context), rows, ran);
        JudgedSoftAssertions softly = context.getStore(NAMESPACE).remove(SOFT_ASSERTIONS, JudgedSoftAssertions.class);
        // A test that already failed keeps its own failure: the missing thresholds are in the report.
        TestChecks.fail(alreadyFailed ? null : missingThresholds, softly);
        if (Boolean.TRUE.equals(context.getStore(NAMESPACE).get(INSTANCE_FIELD))) {
            refuseUncheckableGates(context, rows);
        }
    }

    /**
     * An extension on an instance field gets no callback after the class, where gates are checked: a gate that applies to
     * the test would pass unchecked, so the test fails naming the gates and how to register the extension instead.
     */
    private void refuseUncheckableGates(ExtensionContext context, List<ReportRow> rows) {
        List<String> gates = new ArrayList<>();
        if (!settings.gates.isEmpty()) {
            gates.add("the extension's qualityGate(...)");
        }
        Method method = testMethod(context);
        boolean annotated = method != null && !Gates.annotated(method).isEmpty();
        for (Class<?> c = context.getRequiredTestClass(); c != null && !annotated; c = c.getEnclosingClass()) {
            annotated = !Gates.annotated(c).isEmpty();
        }
        if (annotated) {
            gates.add("@QualityGate");
        }
        LlmJudgeConfig config = classJudging(context).runtime.config();
        config.gates().maxUnstable().ifPresent(limit -> gates.add(LlmJudgeConfig.GATE_MAX_UNSTABLE));
        if (config.report().baseline().isPresent() && config.gates().maxDrop().isPresent()) {
            gates.add(LlmJudgeConfig.GATE_MAX_DROP);
        }
        if (config.report().baseline().isPresent() && config.pairwiseGate().enabled()) {
            gates.add(LlmJudgeConfig.GATE_PAIRWISE_BASELINE);
        }
        Gates.configured(config, rows).stream().filter(g -> !g.metric().isEmpty())
                .forEach(g -> gates.add("llmjudge.gate." + g.metric() + ".*"));
        if (config.report().baseline().isPresent()) {
            rows.stream().map(ReportRow::metric).distinct().sorted().filter(m -> config.gates().forMetric(m).maxDrop().isPresent())
                    .forEach(m -> gates.add(LlmJudgeConfig.GATE_METRIC_MAX_DROP.replace(Key.METRIC, m)));
        }
        if (!gates.isEmpty()) {
            throw new ExtensionConfigurationException("LlmJudgeExtension is registered on an instance field of "
                    + context.getRequiredTestClass().getName() + ", so JUnit gives it no end of the class, where quality gates are"
                    + " checked, and these would pass unchecked: " + String.join(", ", gates) + ". Register it on a static field:"
                    + " @RegisterExtension static LlmJudgeExtension judge = LlmJudgeExtension.newInstance()...build();");
        }
    }

    /**
     * The method whose gates a test's checks count for: its own, or for a dynamic test (which has none) that of the
     * {@code @TestFactory} it came from.
     */
    private static Method testMethod(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestMethod().isPresent()) {
                return c.getTestMethod().get();
            }
        }
        return null;
    }

    private static void publishEntries(ExtensionContext context, List<ReportRow> rows) {
        for (ReportRow row : rows) {
            context.publishReportEntry(TestChecks.entry(row));
        }
    }

    /** Adds a test's checks to its class and every enclosing one; {@code ran}: the test ran (it was not aborted). */
    private void addToEnclosingClasses(ExtensionContext context, Method method, List<ReportRow> results, boolean ran) {
        if (results.isEmpty() && !ran) {
            return;
        }
        boolean own = true;
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            if (isClassContext(c.get())) {
                // Each class's judging is its own extension's: an enclosing class may have registered another one.
                Object owner = c.get().getStore(NAMESPACE).get(OWNER);
                ClassJudging judging = owner == null ? null : c.get().getStore(NAMESPACE).get(stateKey(c.get(), owner), ClassJudging.class);
                if (judging != null) {
                    judging.add(method, results, ran, own);
                }
                own = false;
            }
        }
    }

    /** The runtime checks in {@code context} judge with: the owning extension's, else {@link LlmJudgeRuntime#current()}. */
    static LlmJudgeRuntime runtimeFor(ExtensionContext context) {
        LlmJudgeExtension owner = context.getStore(NAMESPACE).get(OWNER, LlmJudgeExtension.class);
        return owner == null ? LlmJudgeRuntime.current() : owner.classJudging(context).runtime;
    }

    private boolean isOwner(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        Object owner = store.get(OWNER);
        if (owner == null) {
            // Registered on an instance field: no beforeAll came, so the instance claims its own test.
            store.put(OWNER, this);
            store.put(INSTANCE_FIELD, true);
            return true;
        }
        return owner == this;
    }

    private boolean isOutermost(ExtensionContext classContext) {
        return classContext.getParent().map(p -> p.getStore(NAMESPACE).get(OWNER) == null).orElse(true);
    }

    /** Whether this extension was registered on {@code classContext}'s class, not inherited from an enclosing class. */
    private boolean registeredHere(ExtensionContext classContext) {
        return classContext.getParent().map(p -> p.getStore(NAMESPACE).get(OWNER) != this).orElse(true);
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
        return stateKey(classContext, this);
    }

    /** Where a class's {@link ClassJudging} is kept for the extension {@code owner}. */
    private static String stateKey(ExtensionContext classContext, Object owner) {
        return "class:" + classContext.getUniqueId() + "@" + System.identityHashCode(owner);
    }

    private static RunState runState(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(RunState.class, k -> new RunState(), RunState.class);
    }

    private ClassJudging classJudging(ExtensionContext context) {
        ExtensionContext classContext = classContextOf(context);
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(stateKey(classContext),
                k -> ClassJudging.of(classContext, settings, runState(classContext)), ClassJudging.class);
    }

    /** Programmatic settings; {@code null} fields leave the configured value. Runtimes are shared by the same settings object. */
    static final class Settings {
        static final Settings NONE = new Settings(ConfigOverrides.none(), List.of(), null, null, System.getenv());

        final ConfigOverrides overrides;
        final List<Gates.Gate> gates;
        final String apiKey;
        final Judge judge;
        final Map<String, String> environment;

        Settings(ConfigOverrides overrides, List<Gates.Gate> gates, String apiKey, Judge judge, Map<String, String> environment) {
            this.overrides = overrides;
            this.gates = List.copyOf(gates);
            this.apiKey = apiKey;
            this.judge = judge;
            this.environment = Map.copyOf(environment);
        }
    }

    /** Builds a programmatic {@link LlmJudgeExtension}; what is not set comes from the configuration. */
    public static final class Builder {
        private final ConfigOverrides.Builder overrides = ConfigOverrides.builder();
        private final List<Gates.Gate> gates = new ArrayList<>();
        private String apiKey;
        private Judge judge;
        private Map<String, String> environment = System.getenv();

        private Builder() {
        }

        /** The judge model, e.g. {@code "gpt-4.1-mini"} ({@code llmjudge.judge.model}). */
        public Builder model(String model) {
            overrides.model(model);
            return this;
        }

        /** The judge endpoint, an http or https URL such as {@code "http://localhost:11434/v1"} ({@code llmjudge.judge.base-url}). */
        public Builder baseUrl(String baseUrl) {
            overrides.baseUrl(baseUrl);
            return this;
        }

        /**
         * An API key given in code instead of {@code OPENAI_API_KEY}; it is never written anywhere.
         *
         * @throws IllegalArgumentException for a null or blank key, saying what to pass
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = Arguments.requireText(apiKey, "apiKey", "key", "the API key to judge with, or leave apiKey(...) out to use the"
                    + " SDK's (OPENAI_API_KEY or -Dopenai.apiKey)");
            Secrets.register(apiKey);
            return this;
        }

        /** The directory of recorded verdicts ({@code llmjudge.cache.dir}). */
        public Builder cacheDirectory(Path directory) {
            overrides.cacheDirectory(directory);
            return this;
        }

        /** How the verdict cache is used ({@code llmjudge.cache.mode}); {@link CacheMode#DEFAULT} leaves the configured mode. */
        public Builder cacheMode(CacheMode mode) {
            overrides.cacheMode(mode);
            return this;
        }

        /**
         * What a check's score is ({@code llmjudge.judge.score-by}): the integer the judge wrote, or the mean of the levels weighted
         * by their probabilities at the score's token.
         */
        public Builder scoreBy(ScoreBy scoreBy) {
            overrides.scoreBy(scoreBy);
            return this;
        }

        /** The baseline report to compare scores with ({@code llmjudge.report.baseline}). */
        public Builder baseline(Path reportJson) {
            overrides.baseline(reportJson);
            return this;
        }

        /** Fails a class when one of its cases scores {@code points} or more below the baseline ({@code llmjudge.gate.max-drop}). */
        public Builder maxScoreDrop(int points) {
            overrides.maxScoreDrop(points);
            return this;
        }

        /** A quality gate for every class using this extension, as {@link QualityGate}; {@code Double.NaN} leaves a bound out. */
        public Builder qualityGate(String metric, double minMean, double minPassRate) {
            Gates.Gate gate = new Gates.Gate(Arguments.requireArgument(metric, "qualityGate(null, minMean, minPassRate)", "metric",
                    "the name of the metric to gate, e.g. \"answer_similarity\""), minMean, minPassRate, null,
                    "the extension's qualityGate(\"" + metric + "\", ...)");
            Gates.validate(gate, "qualityGate");
            gates.add(gate);
            return this;
        }

        /** Sets any key, e.g. {@code set("llmjudge.judge.timeout", "30s")}; throws {@link ConfigurationException} for a bad one. */
        public Builder set(String key, String value) {
            overrides.set(key, value);
            return this;
        }

        /** Judges with this judge instead of the OpenAI-compatible one (the verdict cache still sits in front). */
        public Builder judge(Judge judge) {
            this.judge = Arguments.requireArgument(judge, "judge(null)", "judge", "the Judge to judge with, or leave judge(...) out to"
                    + " judge with the OpenAI-compatible one");
            return this;
        }

        /** Reads {@code LLMJUDGE_*} variables from this map instead of the process environment; for tests of configuration. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Arguments.requireArgument(environment, "environment(null)", "environment", "the variables to read,"
                    + " e.g. Map.of(\"LLMJUDGE_CACHE_MODE\", \"replay\"), or leave environment(...) out to read the process environment");
            return this;
        }

        public LlmJudgeExtension build() {
            return new LlmJudgeExtension(new Settings(overrides.build(), gates, apiKey, judge, environment), true);
        }
    }
}
