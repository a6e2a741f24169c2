package dev.llmjudge.config;

import static dev.llmjudge.config.Parsers.optional;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The configuration table: every key once, with its default, parser and meaning, in documentation order. */
final class Keys {
    static final Key<String> JUDGE_MODEL = new Key<>(LlmJudgeConfig.JUDGE_MODEL, "gpt-4.1", Parsers.nonBlank("a model name, e.g. gpt-4.1"),
            "judge model (or Azure deployment) name");
    static final Key<Optional<String>> JUDGE_BASE_URL = new Key<>(LlmJudgeConfig.JUDGE_BASE_URL, null, optional(Parsers.BASE_URL),
            "judge endpoint, an http or https URL such as `http://localhost:11434/v1`");
    static final Key<Double> JUDGE_TEMPERATURE = new Key<>(LlmJudgeConfig.JUDGE_TEMPERATURE, "0", Parsers.TEMPERATURE,
            "sampling temperature (left out for models that reject it)");
    static final Key<Long> JUDGE_SEED = new Key<>(LlmJudgeConfig.JUDGE_SEED, "42", Parsers.SEED,
            "sampling seed (left out for models that reject it)");
    static final Key<Integer> JUDGE_MAX_TOKENS = new Key<>(LlmJudgeConfig.JUDGE_MAX_TOKENS, "1024", Parsers.wholeNumber(16),
            "bound on the judge reply's tokens");
    static final Key<Duration> JUDGE_TIMEOUT = new Key<>(LlmJudgeConfig.JUDGE_TIMEOUT, "60s", Parsers.TIMEOUT,
            "per-request timeout (`500ms`, `30s`, `2m` or ISO `PT30S`), from `1ms` to `576h`");
    static final Key<Integer> JUDGE_MAX_ATTEMPTS = new Key<>(LlmJudgeConfig.JUDGE_MAX_ATTEMPTS, "4", Parsers.wholeNumber(1),
            "attempts per verdict on 429, 5xx and network errors");
    static final Key<Duration> JUDGE_RETRY_BUDGET = new Key<>(LlmJudgeConfig.JUDGE_RETRY_BUDGET, "120s", Parsers.NON_NEGATIVE_DURATION,
            "total time one verdict may spend retrying (`0s`: no retry)");
    static final Key<Duration> JUDGE_INITIAL_BACKOFF = new Key<>(LlmJudgeConfig.JUDGE_INITIAL_BACKOFF, "1s", Parsers.NON_NEGATIVE_DURATION,
            "first retry delay; doubles per attempt, with jitter (`0s`: retry at once)");
    static final Key<Duration> JUDGE_MAX_BACKOFF = new Key<>(LlmJudgeConfig.JUDGE_MAX_BACKOFF, "30s", Parsers.NON_NEGATIVE_DURATION,
            "cap of one retry delay, a server's `Retry-After` included (`0s`: retry at once)");
    static final Key<Optional<Integer>> JUDGE_MAX_CONCURRENCY = new Key<>(LlmJudgeConfig.JUDGE_MAX_CONCURRENCY, null, Parsers.INT_LIMIT,
            "most judge calls in progress at once, per JVM");
    static final Key<Optional<Integer>> JUDGE_REQUESTS_PER_MINUTE = new Key<>(LlmJudgeConfig.JUDGE_REQUESTS_PER_MINUTE, null,
            Parsers.INT_LIMIT, "most judge calls started in any 60 seconds, per JVM");
    static final Key<Integer> JUDGE_MAX_INPUT_TOKENS = new Key<>(LlmJudgeConfig.JUDGE_MAX_INPUT_TOKENS, "100000", Parsers.wholeNumber(1),
            "largest prompt, counted with the model's tokenizer; larger inputs error before any request");
    static final Key<MissingKey> JUDGE_MISSING_KEY = new Key<>(LlmJudgeConfig.JUDGE_MISSING_KEY, "error",
            Parsers.choice(List.of(MissingKey.values())), "without an API key, a check that must be judged errors (`error`) or skips its"
                    + " test with the reason (`skip`); recorded verdicts replay either way");
    static final Key<Integer> JUDGE_SAMPLES = new Key<>(LlmJudgeConfig.JUDGE_SAMPLES, "1", Parsers.SAMPLES,
            "samples per verdict (one request with `n`, else one request per sample with distinct seeds); the score is their median");
    static final Key<OnUnstable> JUDGE_ON_UNSTABLE = new Key<>(LlmJudgeConfig.JUDGE_ON_UNSTABLE, "decide",
            Parsers.choice(List.of(OnUnstable.DECIDE, OnUnstable.FAIL, OnUnstable.ABORT)), "a check whose samples fall on both sides of"
                    + " its threshold passes or fails by its median (`decide`), fails (`fail`) or aborts its test (`abort`)");
    static final Key<ScoreBy> JUDGE_SCORE_BY = new Key<>(LlmJudgeConfig.JUDGE_SCORE_BY, "reply",
            Parsers.choice(List.of(ScoreBy.values())), "the score is the integer the judge wrote (`reply`) or the probability-weighted"
                    + " mean of the rubric's levels at the score's token (`probabilities`, needs an endpoint that returns `logprobs`)");
    static final Key<Optional<Long>> BUDGET_MAX_CALLS = new Key<>(LlmJudgeConfig.BUDGET_MAX_CALLS, null, Parsers.LONG_LIMIT,
            "most judge calls per run; recorded verdicts are free; with a limit set, the run ends with a line saying what it spent");
    static final Key<Optional<Long>> BUDGET_MAX_TOKENS = new Key<>(LlmJudgeConfig.BUDGET_MAX_TOKENS, null, Parsers.LONG_LIMIT,
            "most judge tokens (prompt and reply) per run");
    static final Key<Path> CACHE_DIR = new Key<>(LlmJudgeConfig.CACHE_DIR, "src/test/llm-judge", Parsers.DIRECTORY,
            "directory of recorded verdicts (commit it)");
    static final Key<CacheMode> CACHE_MODE = new Key<>(LlmJudgeConfig.CACHE_MODE, "auto", Parsers.CACHE_MODE,
            "`auto`, `replay`, `refresh`, `off` or `collect` (judge nothing: write each unrecorded check into a batch file and abort its test)");
    static final Key<UnusedVerdicts> CACHE_UNUSED = new Key<>(LlmJudgeConfig.CACHE_UNUSED, "report",
            Parsers.choice(List.of(UnusedVerdicts.values())), "`report` lists the recorded verdicts no check of the run read; `delete`"
                    + " deletes them, only in a run that ran every test and saw each pass");
    static final Key<Path> REPORT_DIR = new Key<>(LlmJudgeConfig.REPORT_DIR, "target/llm-judge", Parsers.DIRECTORY,
            "where `report.html`, `report.json` and `summary.md` go");
    static final Key<Optional<Path>> REPORT_BASELINE = new Key<>(LlmJudgeConfig.REPORT_BASELINE, null, optional(Parsers.FILE),
            "an earlier run's `report.json` to compare scores with");
    static final Key<Boolean> REPORT_BASELINE_REQUIRED = new Key<>(LlmJudgeConfig.REPORT_BASELINE_REQUIRED, "false", Parsers.BOOLEAN,
            "`true`: a baseline report that does not exist fails each class's baseline gates (`max-drop`, `pairwise-baseline`);"
                    + " `false`: a warning, as on a first run");
    static final Key<Optional<String>> REPORT_RUN_ID = new Key<>(LlmJudgeConfig.REPORT_RUN_ID, null, optional(Parsers.TEXT),
            "run id shared by the test JVMs of one build (one report across forks)");
    static final Key<Optional<Path>> REPORT_HISTORY = new Key<>(LlmJudgeConfig.REPORT_HISTORY, null, optional(Parsers.DIRECTORY),
            "a directory that keeps one small summary per run; the report draws each metric's mean and pass rate over the last 20 runs");
    static final Key<Optional<Integer>> GATE_MAX_DROP = new Key<>(LlmJudgeConfig.GATE_MAX_DROP, null, optional(Parsers.wholeNumber(1)),
            "fail a class when a case scores this much or more below the baseline, at most the largest drop its metrics' scales allow (4 from 1 to 5)");
    static final Key<Boolean> GATE_PAIRWISE_BASELINE = new Key<>(LlmJudgeConfig.GATE_PAIRWISE_BASELINE, "false", Parsers.BOOLEAN,
            "`true`: with a baseline, each class compares each case's answer with the baseline's, judged pairwise in both orders");
    static final Key<Double> GATE_MAX_LOSS_RATE = new Key<>(LlmJudgeConfig.GATE_MAX_LOSS_RATE, "0", Parsers.RATE,
            "largest share of a class's compared cases that may lose to the baseline's answers, `0.05` or `5%`");
    static final Key<Optional<UnstableLimit>> GATE_MAX_UNSTABLE = new Key<>(LlmJudgeConfig.GATE_MAX_UNSTABLE, null,
            optional(UnstableLimit::parse), "fail a class with more unstable checks than this, a count (`2`) or a share of its judged checks (`10%`)");
    static final Key<Optional<Double>> GATE_MIN_MEAN = new Key<>(LlmJudgeConfig.GATE_MIN_MEAN, null, Parsers.MIN_MEAN,
            "lowest mean score of the metric per test class, above the lowest score of its scale");
    static final Key<Optional<Double>> GATE_MIN_PASS_RATE = new Key<>(LlmJudgeConfig.GATE_MIN_PASS_RATE, null, Parsers.MIN_PASS_RATE,
            "lowest pass rate of the metric per test class, `0.9` or `90%`");
    static final Key<Optional<Integer>> GATE_METRIC_MAX_DROP = new Key<>(LlmJudgeConfig.GATE_METRIC_MAX_DROP, null,
            optional(Parsers.wholeNumber(1)), "fail a class when a case of the metric scores this much or more below the baseline, in"
                    + " place of `llmjudge.gate.max-drop`; at most the largest drop the metric's scale allows");
    static final Key<Duration> PROGRESS_INTERVAL = new Key<>(LlmJudgeConfig.PROGRESS_INTERVAL, "5s", Parsers.PROGRESS_INTERVAL,
            "least time between two progress lines while judging (`0s`: none)");
    static final Key<Optional<String>> SUT_MODEL = new Key<>(LlmJudgeConfig.SUT_MODEL, null, optional(Parsers.TEXT),
            "the model the system under test answers with; the report warns when a verdict's judge is that model (self-preference)");
    static final Key<Optional<Shard>> SHARD = new Key<>(LlmJudgeConfig.SHARD, null, optional(Shard::parse),
            "run only the test classes of shard K of N, e.g. `2/3`, chosen by a stable hash of each top-level class's name");
    static final Key<Integer> CONVERSATION_WINDOW = new Key<>(LlmJudgeConfig.CONVERSATION_WINDOW, "4", Parsers.wholeNumber(2),
            "turns in each window of a conversation judged by `conversation_relevance`: the assistant turn and those before it");

    static final Key<Path> BATCH_DIR = new Key<>(LlmJudgeConfig.BATCH_DIR, "target/llm-judge/batch", Parsers.DIRECTORY,
            "where `llmjudge.cache.mode=collect` writes the batch requests, and where the batch command keeps its state and results");
    static final Key<Duration> BATCH_POLL_INTERVAL = new Key<>(LlmJudgeConfig.BATCH_POLL_INTERVAL, "30s", Parsers.POSITIVE_DURATION,
            "time between two status requests of the batch command, each printing a progress line, at least `1ms`");
    static final Key<Integer> BATCH_MAX_REQUESTS = new Key<>(LlmJudgeConfig.BATCH_MAX_REQUESTS, "50000", Parsers.wholeNumber(1),
            "most requests in one batch (the provider's limit); more are split into several batches");
    static final Key<Integer> BATCH_MAX_BYTES = new Key<>(LlmJudgeConfig.BATCH_MAX_BYTES, "209715200", Parsers.wholeNumber(1),
            "largest batch input file in bytes (the provider's 200 MB); larger ones are split into several batches");

    static final List<Key<?>> ALL = List.of(JUDGE_MODEL, JUDGE_BASE_URL, JUDGE_TEMPERATURE, JUDGE_SEED, JUDGE_MAX_TOKENS, JUDGE_TIMEOUT,
            JUDGE_MAX_ATTEMPTS, JUDGE_RETRY_BUDGET, JUDGE_INITIAL_BACKOFF, JUDGE_MAX_BACKOFF, JUDGE_MAX_CONCURRENCY,
            JUDGE_REQUESTS_PER_MINUTE, JUDGE_MAX_INPUT_TOKENS, JUDGE_MISSING_KEY, JUDGE_SAMPLES, JUDGE_ON_UNSTABLE, JUDGE_SCORE_BY,
            BUDGET_MAX_CALLS,
            BUDGET_MAX_TOKENS, CACHE_DIR, CACHE_MODE, CACHE_UNUSED, BATCH_DIR, BATCH_POLL_INTERVAL,
            BATCH_MAX_REQUESTS, BATCH_MAX_BYTES, REPORT_DIR, REPORT_BASELINE, REPORT_BASELINE_REQUIRED, REPORT_RUN_ID, REPORT_HISTORY, GATE_MAX_DROP, GATE_PAIRWISE_BASELINE,
            GATE_MAX_LOSS_RATE, GATE_MAX_UNSTABLE,
            GATE_MIN_MEAN, GATE_MIN_PASS_RATE, GATE_METRIC_MAX_DROP, PROGRESS_INTERVAL, SUT_MODEL, SHARD,
            CONVERSATION_WINDOW);

    /** The largest edit distance at which an unknown key is taken for a misspelling of a known one. */
    private static final int MISSPELLING = 3;

    private Keys() {
    }

    /** The entry of a key: its own, or the pattern it matches. */
    static Optional<Key<?>> find(String name) {
        return ALL.stream().filter(k -> k.matches(name)).findFirst();
    }

    /** The key an {@code LLMJUDGE_*} environment variable stands for, if it is one of ours. */
    static Optional<String> nameOfVariable(String variable) {
        return ALL.stream().flatMap(k -> k.nameOfVariable(variable).stream()).findFirst();
    }

    /**
     * An unknown key, or an unknown environment variable, with the known ones and the nearest of
     * them: {@code unknown configuration key 'llmjudge.cache.mod': the keys are ... ; did you mean llmjudge.cache.mode?}.
     */
    static ConfigurationException unknown(String name, boolean variable) {
        String patterns = ALL.stream().filter(Key::isPattern).map(k -> k.name().substring(k.name().lastIndexOf('.') + 1))
                .collect(Collectors.joining("|"));
        String prefix = ALL.stream().filter(Key::isPattern).findFirst().map(k -> k.name().substring(0, k.name().lastIndexOf('.') + 1))
                .orElseThrow();
        String nearest = nearest(name, ALL.stream().flatMap(k -> k.spellingsNear(name, variable))).map(known -> "; did you mean " + known + "?")
                .orElse("");
        return new ConfigurationException(name, "unknown configuration key '" + (variable ? "environment variable " : "") + name
                + "': the keys are " + ALL.stream().filter(k -> !k.isPattern()).map(Key::name).collect(Collectors.joining(", "))
                + " and " + prefix + patterns + nearest);
    }

    /** Of {@code known}, the name nearest to {@code name}, when it is near enough to be taken for a misspelling of it. */
    static Optional<String> nearest(String name, Stream<String> known) {
        return known.filter(k -> !k.equals(name)).min(Comparator.comparingInt(k -> distance(name, k))).filter(k -> distance(name, k) <= MISSPELLING);
    }

    /** The Levenshtein distance between two names. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
