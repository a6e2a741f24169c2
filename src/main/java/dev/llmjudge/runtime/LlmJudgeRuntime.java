package dev.llmjudge.runtime;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.config.ScoreBy;
import dev.llmjudge.internal.Arguments;
import dev.llmjudge.internal.Closing;
import dev.llmjudge.internal.RunWide;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.config.CacheMode;
import dev.llmjudge.embedding.EmbeddingMetrics;
import dev.llmjudge.internal.cache.BatchCollector;
import dev.llmjudge.internal.cache.CachingJudge;
import dev.llmjudge.internal.cache.RefreshedFiles;
import dev.llmjudge.internal.cache.VerdictStore;
import dev.llmjudge.internal.check.CallOutsideCheck;
import dev.llmjudge.internal.embedding.EmbeddingJudge;
import dev.llmjudge.internal.embedding.RoutingJudge;
import dev.llmjudge.internal.openai.OpenAiJudge;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the assertions judge with: the configuration, and the judge built from it (judging
 * ahead, then the verdict cache, the drawing of samples, the scoring by probabilities when
 * configured, the budget and the throttle in front of the OpenAI-compatible judge, with embedding
 * metrics routed to the offline embedding judge).
 *
 * <p>Without any set-up, {@link #current()} is one run-wide runtime resolved from system
 * properties, {@code junit-platform.properties} and the environment. The JUnit extension, or
 * a test, can install another for the current thread with {@link #use(LlmJudgeRuntime)}.
 *
 * <pre>{@code
 * LlmJudgeRuntime runtime = LlmJudgeRuntime.builder()
 *     .config(LlmJudgeConfig.fromEnvironment().with(ConfigOverrides.builder().cacheMode(CacheMode.REPLAY).build()))
 *     .build();
 * try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
 *     assertThatAnswer(answer).isSimilarTo(truth).withScoreAtLeast(4);
 * }
 * }</pre>
 */
public final class LlmJudgeRuntime implements AutoCloseable {
    /** The runtimes checks judge with, shared by the run ({@link RunWide}): installed per thread, and the run's default. */
    private static final class Current {
        final InheritableThreadLocal<LlmJudgeRuntime> scoped = new InheritableThreadLocal<>();
        private LlmJudgeRuntime byDefault;

        synchronized LlmJudgeRuntime byDefault() {
            if (byDefault == null) {
                byDefault = builder().config(LlmJudgeConfig.fromEnvironment()).build();
            }
            return byDefault;
        }
    }

    /** How many verdicts are judged ahead at once when no cap ({@code llmjudge.judge.max-concurrency}) is configured. */
    public static final int DEFAULT_PREFETCH_PARALLELISM = 4;
    /** Threads judging ahead beyond the cap, waiting for a slot while others record their verdicts. */
    private static final int PREFETCH_SPARE_THREADS = 2;

    private final LlmJudgeConfig config;
    private final OpenAiJudge llmJudge;
    private final Prefetch judge;
    private final EvaluationStepsJudge withSteps;
    private final RunBudget budget;
    private final int prefetchParallelism;
    /** Begun first when the runtime closes: from then on no judge call sends a new attempt. */
    private final Closing closing;

    private LlmJudgeRuntime(LlmJudgeConfig config, OpenAiJudge llmJudge, Prefetch judge, EvaluationStepsJudge withSteps, RunBudget budget,
            int prefetchParallelism, Closing closing) {
        this.config = config;
        this.closing = closing;
        this.llmJudge = llmJudge;
        this.judge = judge;
        this.withSteps = withSteps;
        this.budget = budget;
        this.prefetchParallelism = prefetchParallelism;
    }

    /** The runtime of the current thread: the one installed by {@link #use}, else the run-wide one. */
    public static LlmJudgeRuntime current() {
        Current current = runtimes();
        LlmJudgeRuntime scoped = current.scoped.get();
        return scoped != null ? scoped : current.byDefault();
    }

    private static Current runtimes() {
        return RunWide.get(Current.class, Current::new);
    }

    /** Installs {@code runtime} for the current thread (and threads it starts) until the scope is closed. */
    public static Scope use(LlmJudgeRuntime runtime) {
        Arguments.requireArgument(runtime, "LlmJudgeRuntime.use(null)", "runtime", "the runtime to install, e.g. one built with"
                + " LlmJudgeRuntime.builder().config(LlmJudgeConfig.fromEnvironment()).build()");
        InheritableThreadLocal<LlmJudgeRuntime> scoped = runtimes().scoped;
        LlmJudgeRuntime previous = scoped.get();
        scoped.set(runtime);
        return () -> {
            if (previous == null) {
                scoped.remove();
            } else {
                scoped.set(previous);
            }
        };
    }

    /** Restores the previous runtime when closed. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public LlmJudgeConfig config() {
        return config;
    }

    /**
     * The judge assertions use: the evaluation steps of {@code Metrics.withSteps} metrics, judging ahead and the verdict
     * cache in front of the configured and the embedding judge. Its calls are kept to the run's budget and counted in
     * {@link #spent()}, but the report counts only what checks publish: a request judged here for no check is in no row,
     * and its tokens and cost are not in the report's totals; judge it with {@link #judgeOutsideChecks} for that.
     */
    public Judge judge() {
        return withSteps;
    }

    /**
     * Judges a request that no check reports on, as {@link #judge()} does, and has the report count what its call was billed:
     * among the calls outside any check, as {@code what} (e.g. {@code "bias probe"}), or as {@code what + ", failed"} when it
     * failed after its replies were billed (two invalid replies, say). A verdict read from the cache counts nothing. The bias
     * probes, the calibrations against human labels and {@code Judging.grade} judge this way.
     *
     * @throws JudgeException when the judge gives no verdict
     */
    public Verdict judgeOutsideChecks(JudgeRequest request, String what) {
        Objects.requireNonNull(what, "what");
        try {
            Verdict verdict = withSteps.judge(request);
            CallOutsideCheck.publishIfBilled(what, request.metric().name(), verdict);
            return verdict;
        } catch (JudgeException e) {
            CallOutsideCheck.publishIfBilled(what + ", failed", request.metric().name(), e, config.judge().model());
            throw e;
        }
    }

    /**
     * What the judge spent so far (verdicts read from the cache are free), with the budget.
     *
     * <pre>{@code
     * RunBudget.Spent spent = LlmJudgeRuntime.current().spent();
     * System.out.println(spent.calls() + " judge calls, " + spent.totalTokens() + " tokens");
     * }</pre>
     */
    public RunBudget.Spent spent() {
        return budget.spent();
    }

    /** Whether an API client was created (only when a verdict had to be judged). */
    public boolean clientCreated() {
        return llmJudge != null && llmJudge.clientCreated();
    }

    /**
     * Whether the judge client started loading ahead of the first call: as soon as a verdict is known to need judging
     * (e.g. by {@link #prefetch}), never in a run that replays every verdict.
     */
    public boolean judgeWarmUpStarted() {
        return llmJudge != null && llmJudge.warmUpStarted();
    }

    /**
     * Starts judging the requests ahead of the checks that will make them, at most
     * {@link #prefetchParallelism()} at a time, in order; recorded verdicts and replay mode start
     * nothing. A check whose request sends what such a request sends (the same metric and messages, so also one without
     * a dataset row's question when its metric does not read it) takes its outcome (verdict or error), once.
     *
     * <pre>{@code
     * List<JudgeRequest> ahead = rows.stream()
     *     .map(row -> new JudgeRequest(Metrics.answerSimilarity(),
     *         EvaluationCase.ofAnswer(row.answer()).withGroundTruth(row.groundTruth())))
     *     .toList();
     * LlmJudgeRuntime.current().prefetch(ahead);
     * }</pre>
     *
     * @return how many judgements were started
     */
    public int prefetch(Collection<JudgeRequest> requests) {
        return judge.start(requests.stream().map(withSteps::withSteps).toList());
    }

    /** How many verdicts {@link #prefetch} judges at a time: {@code llmjudge.judge.max-concurrency}, else {@value #DEFAULT_PREFETCH_PARALLELISM}. */
    public int prefetchParallelism() {
        return prefetchParallelism;
    }

    /**
     * Closes the judge, in this order. First no call sends a new attempt, since the wait below ends in an interrupt that
     * would lose the reply it is billed for: a call waiting to retry (its backoff ends), to ask again after an invalid reply
     * or to draw its next sample ends at once with an error saying the run's judge was closed before that attempt was sent
     * (not billed), keeping what its earlier replies were billed; a judge given in code is asked for no further sample. A
     * call waiting for the throttle (its turn under {@code llmjudge.judge.requests-per-minute}, or a free slot) ends too,
     * saying it was not sent; a call of another runtime sharing the throttle waits on.
     * Then judging ahead drops the requests not started and lets the attempts already sent finish for up to
     * {@code llmjudge.judge.timeout}, so that what they are billed for is recorded. Last the OpenAI-compatible judge's client
     * is closed, once no call needs it. After closing, that judge sends nothing: a call errors the same way.
     */
    @Override
    public void close() {
        closing.begin();
        judge.close();
        if (llmJudge != null) {
            llmJudge.close();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a runtime; only {@link #config} is required. */
    public static final class Builder {
        private LlmJudgeConfig config;
        private String apiKey;
        private Judge judge;
        private Consumer<String> progressOut = line -> System.err.println(line);
        private RunBudget budget;
        private Throttle throttle;
        private RefreshedFiles refreshed;

        private Builder() {
        }

        /** Shares a budget with other runtimes, e.g. those of one test run; by default its own ({@link #budgetFrom}). */
        public Builder budget(RunBudget budget) {
            this.budget = budget;
            return this;
        }

        /** Shares a throttle with other runtimes, e.g. those of one test run; by default its own ({@link #throttleFrom}). */
        public Builder throttle(Throttle throttle) {
            this.throttle = throttle;
            return this;
        }

        /**
         * Shares with other runtimes, e.g. those of one test run, the files {@code refresh} mode has judged again, so that a
         * case two runtimes check is paid for once; by default its own.
         */
        public Builder refreshed(RefreshedFiles refreshed) {
            this.refreshed = refreshed;
            return this;
        }

        public Builder config(LlmJudgeConfig config) {
            this.config = config;
            return this;
        }

        /**
         * An API key given in code (it is never written anywhere); {@code null}, as by default, for the SDK's, which it reads from
         * {@code OPENAI_API_KEY} or {@code -Dopenai.apiKey}.
         *
         * @throws IllegalArgumentException for a blank key, saying what to pass
         */
        public Builder apiKey(String apiKey) {
            if (apiKey != null) {
                Arguments.requireText(apiKey, "apiKey", "key", "the API key to judge with, or null (or leave apiKey(...) out) to use the"
                        + " SDK's (OPENAI_API_KEY or -Dopenai.apiKey)");
            }
            this.apiKey = apiKey;
            Secrets.register(apiKey);
            return this;
        }

        /** Replaces the OpenAI-compatible judge (the cache still sits in front of it; embedding metrics still go to the embedding judge). */
        public Builder judge(Judge judge) {
            this.judge = judge;
            return this;
        }

        /** Where progress lines go while judging (see {@code llmjudge.progress.interval}); standard error by default. */
        public Builder progressTo(Consumer<String> out) {
            this.progressOut = Objects.requireNonNull(out, "out");
            return this;
        }

        /** The runtime; throws {@link IllegalArgumentException} when no configuration was given. */
        public LlmJudgeRuntime build() {
            if (config == null) {
                throw new IllegalArgumentException("LlmJudgeRuntime.builder().build(): the configuration is missing: give it with config(...),"
                        + " e.g. LlmJudgeRuntime.builder().config(LlmJudgeConfig.fromEnvironment()).build()");
            }
            Closing closing = new Closing();
            OpenAiJudge openAi = judge == null ? new OpenAiJudge(config.judge(), apiKey, closing) : null;
            Judge inner = judge == null ? openAi : judge;
            RunBudget runBudget = budget != null ? budget : budgetFrom(config);
            Throttle runThrottle = throttle != null ? throttle : throttleFrom(config);
            RefreshedFiles runRefreshed = refreshed != null ? refreshed : new RefreshedFiles();
            // The local embedding judge calls no endpoint and always gives the same score: only the LLM judge is sampled,
            // throttled and budgeted, each sample's request on its own.
            Judge guarded = new GuardedJudge(inner, runBudget, runThrottle, closing);
            Judge scored = config.judge().scoreBy() == ScoreBy.PROBABILITIES ? new ProbabilityScoringJudge(guarded) : guarded;
            Judge routed = new RoutingJudge(new SamplingJudge(scored, config.judge().samples(), closing), EmbeddingJudge.allMiniLmL6V2Q());
            Duration interval = config.progressInterval();
            JudgingProgress progress = interval.isZero() ? null : new JudgingProgress(interval, progressOut, System::nanoTime);
            BatchCollector collector = config.cache().mode() == CacheMode.COLLECT ? new BatchCollector(config.batch().dir(),
                    (request, fingerprint) -> batchEntry(openAi, request, fingerprint)) : null;
            CachingJudge cached = new CachingJudge(routed, new VerdictStore(config.cache().dir()), config.cache().mode(), progress, collector,
                    runRefreshed);
            int parallelism = config.judge().maxConcurrency().orElse(DEFAULT_PREFETCH_PARALLELISM);
            // Under a cap, the throttle keeps calls in flight to it, so a spare thread can wait for a slot while another
            // records its verdict; without one, the pool itself is the bound.
            int threads = config.judge().maxConcurrency().isPresent() && !runThrottle.isUnlimited() ? parallelism + PREFETCH_SPARE_THREADS : parallelism;
            Consumer<JudgeRequest> warmUp = openAi == null ? request -> { } : request -> {
                if (!EmbeddingMetrics.isEmbeddingMetric(request.metric())) {
                    openAi.warmUp(request);
                }
            };
            Prefetch ahead = new Prefetch(cached, threads, progress, warmUp, config.judge().timeout(),
                    config.judge().model());
            EvaluationStepsJudge steps = new EvaluationStepsJudge(ahead, routed, config.cache().dir(), config.cache().mode(), runRefreshed);
            return new LlmJudgeRuntime(config, openAi, ahead, steps, runBudget, parallelism, closing);
        }
    }

    /**
     * The batch request of a check collected for batch judging: none for an embedding metric (judged where it is); for a
     * judge given in code instead of the OpenAI-compatible one, an error, as only that judge's requests can be sent in a batch.
     */
    private static Optional<BatchCollector.Entry> batchEntry(OpenAiJudge openAi, JudgeRequest request, JudgeFingerprint fingerprint) {
        if (EmbeddingMetrics.isEmbeddingMetric(request.metric())) {
            return Optional.empty();
        }
        if (openAi == null) {
            throw new JudgeException(JudgeException.Reason.NOT_CONFIGURED, "llmjudge.cache.mode=collect writes the requests of the"
                    + " OpenAI-compatible judge, but this runtime judges with a judge given in code: use another cache mode");
        }
        return Optional.of(openAi.batchEntry(request, fingerprint));
    }

    /** The throttle a configuration stands for (one that caps nothing when no cap is set). */
    public static Throttle throttleFrom(LlmJudgeConfig config) {
        return new Throttle(config.judge().maxConcurrency().orElse(0), config.judge().requestsPerMinute().orElse(0), Duration.ofMinutes(1));
    }

    /** The run budget a configuration stands for. */
    public static RunBudget budgetFrom(LlmJudgeConfig config) {
        RunBudget.Builder budget = RunBudget.builder().maxInputTokens(config.judge().maxInputTokens());
        config.budget().maxCalls().ifPresent(budget::maxCalls);
        config.budget().maxTokens().ifPresent(budget::maxTokens);
        return budget.build();
    }
}
