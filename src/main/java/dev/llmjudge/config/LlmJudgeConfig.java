package dev.llmjudge.config;

import dev.llmjudge.config.GateConfig.MetricGate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The run's configuration: one immutable value, every key parsed once, when it is resolved. Each
 * key is taken, first match wins, from the {@link ConfigOverrides settings in code} in the order
 * given, the {@link ConfigSources#parameters() parameters} (JUnit configuration parameters, or
 * system properties and {@code junit-platform.properties}), the environment variable derived from
 * the key ({@code llmjudge.cache.dir} &rarr; {@code LLMJUDGE_CACHE_DIR}), else its default. An
 * unknown {@code llmjudge.*} key or a malformed value fails fast with a
 * {@link ConfigurationException} naming both. The API key is never one of ours: it comes the
 * openai-java way ({@code OPENAI_API_KEY}).
 *
 * <pre>{@code
 * LlmJudgeConfig config = LlmJudgeConfig.fromEnvironment();
 * config.judge().model();   // "gpt-4.1" unless configured
 * config.cache().mode();    // CacheMode.AUTO unless configured
 * LlmJudgeConfig replay = config.with(ConfigOverrides.builder().cacheMode(CacheMode.REPLAY).build());
 * }</pre>
 */
public final class LlmJudgeConfig {
    /** Prefix shared by every key: {@value}. */
    public static final String PREFIX = "llmjudge.";

    /** {@value}: the judge model (or Azure deployment) name. */
    public static final String JUDGE_MODEL = "llmjudge.judge.model";
    /** {@value}: the judge endpoint, overriding {@code OPENAI_BASE_URL}. */
    public static final String JUDGE_BASE_URL = "llmjudge.judge.base-url";
    /** {@value}: the sampling temperature. */
    public static final String JUDGE_TEMPERATURE = "llmjudge.judge.temperature";
    /** {@value}: the sampling seed. */
    public static final String JUDGE_SEED = "llmjudge.judge.seed";
    /** {@value}: the bound on the judge reply's tokens. */
    public static final String JUDGE_MAX_TOKENS = "llmjudge.judge.max-tokens";
    /** {@value}: the per-request timeout, e.g. {@code 30s}. */
    public static final String JUDGE_TIMEOUT = "llmjudge.judge.timeout";
    /** {@value}: attempts per verdict for transient failures (429, 5xx, network). */
    public static final String JUDGE_MAX_ATTEMPTS = "llmjudge.judge.max-attempts";
    /** {@value}: the total time one verdict may spend retrying, e.g. {@code 120s}. */
    public static final String JUDGE_RETRY_BUDGET = "llmjudge.judge.retry-budget";
    /** {@value}: the first retry delay, doubled per attempt with jitter, e.g. {@code 1s}. */
    public static final String JUDGE_INITIAL_BACKOFF = "llmjudge.judge.initial-backoff";
    /** {@value}: the cap of one retry delay, including a server's {@code Retry-After}. */
    public static final String JUDGE_MAX_BACKOFF = "llmjudge.judge.max-backoff";
    /** {@value}: the most judge calls in progress at once, across every test of the run (per JVM). */
    public static final String JUDGE_MAX_CONCURRENCY = "llmjudge.judge.max-concurrency";
    /** {@value}: the most judge calls started in any 60 seconds, across every test of the run (per JVM). */
    public static final String JUDGE_REQUESTS_PER_MINUTE = "llmjudge.judge.requests-per-minute";
    /** {@value}: the largest prompt, in tokens, sent to the judge; a larger one errors before any request. */
    public static final String JUDGE_MAX_INPUT_TOKENS = "llmjudge.judge.max-input-tokens";
    /** {@value}: {@code error} (the default) or {@code skip}, what a check that must be judged does without an API key. */
    public static final String JUDGE_MISSING_KEY = "llmjudge.judge.missing-key";
    /** {@value}: how many samples a verdict takes; its score is their median. */
    public static final String JUDGE_SAMPLES = "llmjudge.judge.samples";
    /** {@value}: {@code decide} (the default), {@code fail} or {@code abort}, what a check whose samples straddle its threshold does. */
    public static final String JUDGE_ON_UNSTABLE = "llmjudge.judge.on-unstable";
    /**
     * {@value}: {@code reply} (the default: the integer the judge wrote) or {@code probabilities} (the probability-weighted mean
     * of the rubric's levels at the score's token).
     */
    public static final String JUDGE_SCORE_BY = "llmjudge.judge.score-by";
    /** {@value}: the most judge calls in one run (cached verdicts are free); further checks error. */
    public static final String BUDGET_MAX_CALLS = "llmjudge.budget.max-calls";
    /** {@value}: the most tokens (prompt and reply) the judge may use in one run; further checks error. */
    public static final String BUDGET_MAX_TOKENS = "llmjudge.budget.max-tokens";
    /** {@value}: the directory of recorded verdicts (commit it). */
    public static final String CACHE_DIR = "llmjudge.cache.dir";
    /** {@value}: {@code auto}, {@code replay}, {@code refresh} or {@code off} ({@link CacheMode}). */
    public static final String CACHE_MODE = "llmjudge.cache.mode";
    /** {@value}: where {@code llmjudge.cache.mode=collect} writes batch requests and the batch command keeps its state. */
    public static final String BATCH_DIR = "llmjudge.batch.dir";
    /** {@value}: the time between two status requests of the batch command, e.g. {@code 30s}. */
    public static final String BATCH_POLL_INTERVAL = "llmjudge.batch.poll-interval";
    /** {@value}: the most requests in one batch (the provider's limit, 50,000); more are split into several batches. */
    public static final String BATCH_MAX_REQUESTS = "llmjudge.batch.max-requests";
    /** {@value}: the largest batch input file in bytes (the provider's limit, 200 MB); larger ones are split. */
    public static final String BATCH_MAX_BYTES = "llmjudge.batch.max-bytes";
    /**
     * {@value}: {@code report} (the default) lists the recorded verdicts no check of the run read;
     * {@code delete} deletes them, in a run that ran every test and saw each pass ({@link UnusedVerdicts}).
     */
    public static final String CACHE_UNUSED = "llmjudge.cache.unused";
    /** {@value}: the directory the report is written to. */
    public static final String REPORT_DIR = "llmjudge.report.dir";
    /** {@value}: a previous run's {@code report.json} to compare scores with. */
    public static final String REPORT_BASELINE = "llmjudge.report.baseline";
    /**
     * {@value}: {@code true} fails the baseline gates ({@value #GATE_MAX_DROP}, {@value #GATE_PAIRWISE_BASELINE}) of each class
     * when the baseline report does not exist, where by default that is a warning (first runs have none).
     */
    public static final String REPORT_BASELINE_REQUIRED = "llmjudge.report.baseline-required";
    /** {@value}: identifies one run across test JVMs (Surefire forks) so that their verdicts end in one report. */
    public static final String REPORT_RUN_ID = "llmjudge.report.run-id";
    /** {@value}: a directory that keeps one small summary per run, for the report's trend of each metric over the last runs. */
    public static final String REPORT_HISTORY = "llmjudge.report.history";
    /** {@value}: fails a test class when one of its cases scores this much or more below the baseline. */
    public static final String GATE_MAX_DROP = "llmjudge.gate.max-drop";
    /**
     * {@value}: {@code true} compares, per test class, each case's answer with the baseline report's answer for the same case,
     * judged pairwise in both orders ({@code pairwise_preference}), and gates on {@value #GATE_MAX_LOSS_RATE}.
     */
    public static final String GATE_PAIRWISE_BASELINE = "llmjudge.gate.pairwise-baseline";
    /** {@value}: the largest share of a class's compared cases that may lose to the baseline's answers, {@code 0.05} or {@code 5%}. */
    public static final String GATE_MAX_LOSS_RATE = "llmjudge.gate.max-loss-rate";
    /** {@value}: the most unstable checks per test class, a count ({@code 2}) or a share of its judged checks ({@code 10%}). */
    public static final String GATE_MAX_UNSTABLE = "llmjudge.gate.max-unstable";
    /** {@value}: the lowest mean score of a metric per test class; environment variable {@code LLMJUDGE_GATE_<METRIC>_MIN_MEAN}. */
    public static final String GATE_MIN_MEAN = "llmjudge.gate.<metric>.min-mean";
    /** {@value}: the lowest pass rate of a metric per test class, {@code 0.9} or {@code 90%}; environment variable {@code LLMJUDGE_GATE_<METRIC>_MIN_PASS_RATE}. */
    public static final String GATE_MIN_PASS_RATE = "llmjudge.gate.<metric>.min-pass-rate";
    /**
     * {@value}: fails a test class when one of its cases of the metric scores this much or more below the baseline, in place
     * of {@value #GATE_MAX_DROP} for that metric; environment variable {@code LLMJUDGE_GATE_<METRIC>_MAX_DROP}.
     */
    public static final String GATE_METRIC_MAX_DROP = "llmjudge.gate.<metric>.max-drop";
    /** {@value}: the least time between two progress lines while judging, e.g. {@code 5s}; {@code 0s} turns them off. */
    public static final String PROGRESS_INTERVAL = "llmjudge.progress.interval";
    /**
     * {@value}: the model the system under test answers with, e.g. {@code gpt-4.1}; when a verdict's judge is that model, the
     * report warns that the judge may prefer its own answers (self-preference).
     */
    public static final String SUT_MODEL = "llmjudge.sut.model";
    /**
     * {@value}: {@code K/N}, e.g. {@code 2/3}, runs only the test classes of shard K of N (counted from 1), chosen by a
     * stable hash of the top-level class's name ({@link Shard}); unset, every class runs.
     */
    public static final String SHARD = "llmjudge.shard";
    /**
     * {@value}: how many turns a window of a conversation holds when {@code conversation_relevance} judges it one
     * window per assistant turn (the turn and those before it), at least 2; default 4.
     */
    public static final String CONVERSATION_WINDOW = "llmjudge.conversation.window";

    private static final String ENVIRONMENT_PREFIX = environmentVariableOf(PREFIX);
    private static final LlmJudgeConfig DEFAULTS = resolve(ConfigSources.none());

    private final ConfigSources sources;
    private final List<ConfigOverrides> overrides;
    private final JudgeConfig judge;
    private final BudgetConfig budget;
    private final CacheConfig cache;
    private final ReportConfig report;
    private final GateConfig gates;
    private final PairwiseGateConfig pairwiseGate;
    private final Duration progressInterval;
    private final SutConfig sut;
    private final Optional<Shard> shard;
    private final ConversationConfig conversation;
    private final BatchConfig batch;

    private LlmJudgeConfig(ConfigSources sources, List<ConfigOverrides> overrides) {
        this.sources = sources;
        this.overrides = List.copyOf(overrides);
        Set<String> gatedMetrics = checkListedKeys();
        judge = new JudgeConfig(value(Keys.JUDGE_MODEL), value(Keys.JUDGE_BASE_URL), value(Keys.JUDGE_TEMPERATURE), value(Keys.JUDGE_SEED),
                value(Keys.JUDGE_MAX_TOKENS), value(Keys.JUDGE_TIMEOUT), value(Keys.JUDGE_MAX_ATTEMPTS), value(Keys.JUDGE_RETRY_BUDGET),
                value(Keys.JUDGE_INITIAL_BACKOFF), value(Keys.JUDGE_MAX_BACKOFF), value(Keys.JUDGE_MAX_CONCURRENCY),
                value(Keys.JUDGE_REQUESTS_PER_MINUTE), value(Keys.JUDGE_MAX_INPUT_TOKENS), value(Keys.JUDGE_MISSING_KEY),
                value(Keys.JUDGE_SAMPLES), value(Keys.JUDGE_ON_UNSTABLE), value(Keys.JUDGE_SCORE_BY));
        budget = new BudgetConfig(value(Keys.BUDGET_MAX_CALLS), value(Keys.BUDGET_MAX_TOKENS));
        cache = new CacheConfig(value(Keys.CACHE_DIR), value(Keys.CACHE_MODE), value(Keys.CACHE_UNUSED));
        report = new ReportConfig(value(Keys.REPORT_DIR), value(Keys.REPORT_BASELINE), value(Keys.REPORT_BASELINE_REQUIRED),
                value(Keys.REPORT_RUN_ID), value(Keys.REPORT_HISTORY));
        gates = new GateConfig(value(Keys.GATE_MAX_DROP), value(Keys.GATE_MAX_UNSTABLE),
                metric -> new MetricGate(value(Keys.GATE_MIN_MEAN, Keys.GATE_MIN_MEAN.forMetric(metric)),
                        value(Keys.GATE_MIN_PASS_RATE, Keys.GATE_MIN_PASS_RATE.forMetric(metric)),
                        value(Keys.GATE_METRIC_MAX_DROP, Keys.GATE_METRIC_MAX_DROP.forMetric(metric))));
        pairwiseGate = new PairwiseGateConfig(value(Keys.GATE_PAIRWISE_BASELINE), value(Keys.GATE_MAX_LOSS_RATE));
        progressInterval = value(Keys.PROGRESS_INTERVAL);
        sut = new SutConfig(value(Keys.SUT_MODEL));
        shard = value(Keys.SHARD);
        conversation = new ConversationConfig(value(Keys.CONVERSATION_WINDOW));
        batch = new BatchConfig(value(Keys.BATCH_DIR), value(Keys.BATCH_POLL_INTERVAL), value(Keys.BATCH_MAX_REQUESTS),
                value(Keys.BATCH_MAX_BYTES));
        gatedMetrics.forEach(gates::forMetric);
    }

    /** Resolves the configuration from system properties, {@code junit-platform.properties} on the class path, the environment and the defaults. */
    public static LlmJudgeConfig fromEnvironment() {
        return resolve(ConfigSources.system());
    }

    /** Every key at its default. */
    public static LlmJudgeConfig defaults() {
        return DEFAULTS;
    }

    /** Resolves the configuration, {@code overrides} first; throws {@link ConfigurationException} for a bad key or value. */
    public static LlmJudgeConfig resolve(ConfigSources sources, ConfigOverrides... overrides) {
        return new LlmJudgeConfig(sources, List.of(overrides));
    }

    /** This configuration with {@code overrides} winning over everything it was resolved from. */
    public LlmJudgeConfig with(ConfigOverrides overrides) {
        return new LlmJudgeConfig(sources, Stream.concat(Stream.of(overrides), this.overrides.stream()).toList());
    }

    /** Every key with its default, parser and meaning, in documentation order, the per-metric patterns included. */
    public static List<Key<?>> keys() {
        return Keys.ALL;
    }

    /** The environment variable that stands for a key: {@code llmjudge.cache.dir} &rarr; {@code LLMJUDGE_CACHE_DIR}. */
    public static String environmentVariableOf(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The judge: model, sampling, timeouts, retries, throttling and the bound on one prompt ({@code llmjudge.judge.*}). */
    public JudgeConfig judge() {
        return judge;
    }

    /** The run's budget of judge calls and tokens ({@code llmjudge.budget.*}). */
    public BudgetConfig budget() {
        return budget;
    }

    /** The verdict cache: its directory, its mode and what becomes of unused verdicts ({@code llmjudge.cache.*}). */
    public CacheConfig cache() {
        return cache;
    }

    /** The report: its directory, the baseline, the run id and the run history ({@code llmjudge.report.*}). */
    public ReportConfig report() {
        return report;
    }

    /** The quality gates: the baseline gate and the gates of each metric ({@code llmjudge.gate.*}). */
    public GateConfig gates() {
        return gates;
    }

    /** The least time between two progress lines while judging; zero when progress lines are off ({@value #PROGRESS_INTERVAL}). */
    public Duration progressInterval() {
        return progressInterval;
    }

    /** How conversations are judged ({@code llmjudge.conversation.*}). */
    public ConversationConfig conversation() {
        return conversation;
    }

    /** The "no worse than main" gate: pairwise comparison with the baseline's answers ({@code llmjudge.gate.pairwise-baseline}). */
    public PairwiseGateConfig pairwiseGate() {
        return pairwiseGate;
    }

    /** The system under test, as far as the judge needs to know it ({@code llmjudge.sut.*}). */
    public SutConfig sut() {
        return sut;
    }

    /** The shard of the suite this run keeps, {@code K/N} ({@value #SHARD}); empty when every test class runs. */
    public Optional<Shard> shard() {
        return shard;
    }

    /** Batch judging: where collected requests go, how the batch command polls and splits them ({@code llmjudge.batch.*}). */
    public BatchConfig batch() {
        return batch;
    }

    /**
     * Only {@value #SHARD}, read from {@code sources} as {@link #resolve} reads it, leaving every other key unread: what
     * choosing the tests of a shard needs, before any test class is configured. Throws {@link ConfigurationException} for a
     * malformed value.
     */
    public static Optional<Shard> shardOf(ConfigSources sources) {
        return fromSources(sources, Keys.SHARD, SHARD);
    }

    /**
     * Throws {@link ConfigurationException} for the first unknown {@code llmjudge.*} key of {@code keys}, naming the nearest
     * known one; other keys are left alone. For sources that only a launcher can list, e.g. its configuration parameters.
     */
    public static void checkKeys(Collection<String> keys) {
        for (String key : new TreeSet<>(keys)) {
            if (key.startsWith(PREFIX) && Keys.find(key).isEmpty()) {
                throw Keys.unknown(key, false);
            }
        }
    }

    /**
     * The per-metric gate keys that {@code sources} list, written as keys ({@code llmjudge.gate.answer_similarity.min-mean}),
     * from their parameters' names and their {@code LLMJUDGE_*} environment variables, each with the metric it gates, sorted;
     * unknown keys are left out.
     */
    public static Map<String, String> metricGateKeys(ConfigSources sources) {
        Set<String> listed = new TreeSet<>(sources.parameterNames());
        sources.environment().keySet().forEach(variable -> Keys.nameOfVariable(variable).ifPresent(listed::add));
        Map<String, String> gated = new TreeMap<>();
        for (String key : listed) {
            Keys.GATE_MIN_MEAN.metricOf(key).or(() -> Keys.GATE_MIN_PASS_RATE.metricOf(key)).or(() -> Keys.GATE_METRIC_MAX_DROP.metricOf(key))
                    .ifPresent(metric -> gated.put(key, metric));
        }
        return gated;
    }

    /** Of {@code known}, the name nearest to {@code name} when it is near enough to be a misspelling of it, e.g. a metric's name. */
    public static Optional<String> nearest(String name, Collection<String> known) {
        return Keys.nearest(name, known.stream());
    }

    /** The value of a key, by precedence: the one place where it is decided. */
    private <T> T value(Key<T> entry) {
        return value(entry, entry.name());
    }

    private <T> T value(Key<T> entry, String key) {
        for (ConfigOverrides o : overrides) {
            T set = o.get(entry, key);
            if (set != null) {
                return set;
            }
        }
        return fromSources(sources, entry, key);
    }

    /** The value of a key that no setting in code sets: the parameter, else the environment variable, else the default. */
    private static <T> T fromSources(ConfigSources sources, Key<T> entry, String key) {
        Optional<String> parameter = sources.parameters().apply(key);
        if (parameter.isPresent()) {
            return entry.parse(key, parameter.get());
        }
        String variable = sources.environment().get(environmentVariableOf(key));
        return variable != null ? entry.parse(key, variable) : entry.defaultFor(key);
    }

    /** Checks the keys the sources can list, environment variables first; returns the metrics they and the settings in code gate. */
    private Set<String> checkListedKeys() {
        Set<String> keys = new TreeSet<>();
        for (String variable : new TreeSet<>(sources.environment().keySet())) {
            if (variable.startsWith(ENVIRONMENT_PREFIX)) {
                keys.add(Keys.nameOfVariable(variable).orElseThrow(() -> Keys.unknown(variable, true)));
            }
        }
        for (String key : sources.parameterNames()) {
            if (key.startsWith(PREFIX)) {
                keys.add(Keys.find(key).map(entry -> key).orElseThrow(() -> Keys.unknown(key, false)));
            }
        }
        overrides.forEach(o -> keys.addAll(o.keys()));
        Set<String> metrics = new TreeSet<>();
        for (String key : keys) {
            Keys.GATE_MIN_MEAN.metricOf(key).or(() -> Keys.GATE_MIN_PASS_RATE.metricOf(key)).or(() -> Keys.GATE_METRIC_MAX_DROP.metricOf(key))
                    .ifPresent(metrics::add);
        }
        return metrics;
    }

    @Override
    public String toString() {
        return "LlmJudgeConfig[judge=" + judge + ", budget=" + budget + ", cache=" + cache + ", report=" + report + ", gates=" + gates
                + ", progressInterval=" + progressInterval + ", sut=" + sut + ", shard=" + shard.map(Shard::toString).orElse("none") + ", batch=" + batch + "]";
    }
}
