package dev.llmjudge.junit;

import dev.llmjudge.internal.Texts;
import dev.llmjudge.config.ConfigurationException;
import dev.llmjudge.config.Key;
import dev.llmjudge.config.GateConfig.MetricGate;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.config.UnstableLimit;
import dev.llmjudge.internal.report.Baseline;
import dev.llmjudge.internal.report.CaseIds;
import dev.llmjudge.internal.report.Figures;
import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.MetricStats;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RunReport;
import java.lang.reflect.AnnotatedElement;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;

/** Evaluates quality gates over judged checks, each bound a {@link GateResult} that says what passed or failed. */
final class Gates {

    /** Answers in a drop gate's message are shortened to this many characters; the report has them whole. */
    static final int ANSWER_LIMIT = 120;

    /**
     * One gate: bounds on a metric's mean and pass rate ({@code NaN}: no bound) and unstable checks ({@code null}: none; metric
     * empty: every metric); {@code source} names where it was set, e.g. {@code @QualityGate on class X} ({@code null}: the
     * configuration's keys).
     */
    record Gate(String metric, double minMean, double minPassRate, UnstableLimit maxUnstable, String source) {
        /** A gate the configuration's keys set. */
        Gate(String metric, double minMean, double minPassRate, UnstableLimit maxUnstable) {
            this(metric, minMean, minPassRate, maxUnstable, null);
        }

        /** How a message names the gate's bound on the mean, e.g. {@code llmjudge.gate.answer_similarity.min-mean}. */
        String minMeanName() {
            return source == null ? LlmJudgeConfig.GATE_MIN_MEAN.replace(Key.METRIC, metric) : "minMean of " + source;
        }

        /** How a message names the setting of the gate's pass rate. */
        String minPassRateName() {
            return source == null ? LlmJudgeConfig.GATE_MIN_PASS_RATE.replace(Key.METRIC, metric) + ", e.g. 90%"
                    : "minPassRate, a fraction from 0 to 1";
        }
    }

    private Gates() {
    }

    /**
     * Every bound of {@code gates} evaluated over {@code results}, each a {@link GateResult} of
     * {@code kind} for {@code label} (the class's unique id is {@code testId}); with {@code requireChecks},
     * a gate on a metric never checked fails (and one on every metric's unstable checks, when nothing
     * was checked), else it is not evaluated. A gate whose checks were all skipped (not judged, e.g.
     * for want of an API key) is not evaluated: their tests show as skipped; one some of whose checks were skipped is evaluated
     * over the others, and its message says so. Checks aborted as unstable
     * were judged: they count for {@code maxUnstable}, and a mean or pass rate of none scored fails.
     */
    static List<GateResult> evaluate(String kind, String label, String testId, Collection<Gate> gates, List<ReportRow> results,
            boolean requireChecks) {
        List<GateResult> evaluated = new ArrayList<>();
        for (Gate gate : gates) {
            evaluated.addAll(gate.metric().isEmpty() ? everyMetric(kind, label, testId, gate, results, requireChecks)
                    : oneMetric(kind, label, testId, gate, results, requireChecks));
        }
        return evaluated;
    }

    /** A bound on every metric's unstable checks: over the judged ones; with none, failed if nothing was checked at all. */
    private static List<GateResult> everyMetric(String kind, String label, String testId, Gate gate, List<ReportRow> results,
            boolean requireChecks) {
        if (results.stream().anyMatch(Gates::judged)) {
            return List.of(unstable(kind, label, testId, null, gate.maxUnstable(), results));
        }
        return requireChecks && results.isEmpty() ? List.of(nothingChecked(kind, label, testId)) : List.of();
    }

    /** The bounds of a gate on one metric. */
    private static List<GateResult> oneMetric(String kind, String label, String testId, Gate gate, List<ReportRow> results,
            boolean requireChecks) {
        List<GateResult> evaluated = new ArrayList<>();
        refuseMeanBelowScale(label, gate, results);
        MetricStats s = MetricStats.of(gate.metric(), results);
        if (s.count() == 0) {
            long aborted = results.stream().filter(r -> gate.metric().equals(r.metric()) && judged(r)).count();
            if (aborted > 0) {
                // Every check of the metric was judged and aborted as unstable: its instability is bounded, its mean and pass
                // rate cannot be had, and a gate on them cannot pass.
                if (gate.maxUnstable() != null) {
                    evaluated.add(unstable(kind, label, testId, gate.metric(), gate.maxUnstable(), results));
                }
                if (!Double.isNaN(gate.minMean()) || !Double.isNaN(gate.minPassRate())) {
                    evaluated.add(allAborted(kind, label, testId, gate, aborted));
                }
            } else if (requireChecks && s.skipped() == 0) {
                evaluated.add(neverChecked(kind, label, testId, gate, results));
            }
            return evaluated;
        }
        int notJudged = (int) results.stream().filter(r -> gate.metric().equals(r.metric()) && !judged(r)).count();
        if (!Double.isNaN(gate.minMean())) {
            evaluated.add(mean(kind, label, testId, gate, s, notJudged));
        }
        if (!Double.isNaN(gate.minPassRate())) {
            evaluated.add(passRate(kind, label, testId, gate, s, notJudged));
        }
        if (gate.maxUnstable() != null) {
            evaluated.add(unstable(kind, label, testId, gate.metric(), gate.maxUnstable(), results));
        }
        return evaluated;
    }

    /**
     * Refuses a bound on the mean at or below the lowest score of the metric's scale (as {@code rows} record it): a mean is never
     * below it, so the gate could never fail, as when a pass rate is written as a mean ({@code minMean = 0.9} on a scale from 1 to 5).
     */
    private static void refuseMeanBelowScale(String label, Gate gate, List<ReportRow> rows) {
        if (Double.isNaN(gate.minMean())) {
            return;
        }
        rows.stream().filter(r -> gate.metric().equals(r.metric()) && !r.skipped() && r.ordinal() != Baseline.COMPARISON_ORDINAL
                && r.minScore() != null && r.maxScore() != null).findFirst().ifPresent(r -> {
                    if (gate.minMean() <= r.minScore()) {
                        throw new ExtensionConfigurationException(gate.minMeanName() + " is " + number(gate.minMean()) + ", but no mean of "
                                + gate.metric() + " in " + label + " can be below that: " + gate.metric() + " is scored " + r.minScore() + " to "
                                + r.maxScore() + ", so its mean is " + r.minScore() + " at least and the gate could never fail. Set "
                                + (gate.source() == null ? gate.minMeanName() : "minMean") + " to more than " + r.minScore() + " and at most "
                                + r.maxScore() + " (the share of checks that must pass is " + gate.minPassRateName() + ")");
                    }
                });
    }

    /** The most checks a {@link #unattached} failure names; it counts them all. */
    private static final int UNATTACHED_NAMED = 5;

    /**
     * The failure of a gated class while which {@code checks} (each described) were made on threads that run no test: no gate
     * counted them, so its gates may have passed on some of its checks only.
     */
    static GateResult unattached(String label, String testId, List<String> checks) {
        int n = checks.size();
        // Sorted: such checks race on their threads, and the message is the same whichever came first.
        List<String> sorted = checks.stream().sorted().toList();
        String named = String.join("; ", sorted.subList(0, Math.min(n, UNATTACHED_NAMED)))
                + (n > UNATTACHED_NAMED ? "; and " + (n - UNATTACHED_NAMED) + " more" : "");
        return GateResult.of(GateResult.UNATTACHED_CHECKS, label, testId, null, "checks outside the tests' threads", (double) n,
                GateResult.Relation.AT_MOST, 0, false, "quality gate failed for " + label + ": " + n
                        + (n == 1 ? " check was made on a thread that runs" : " checks were made on threads that run")
                        + " no test while it ran (e.g. in a parallel stream or on an executor): they are in the report, but no test's"
                        + " entries and none of its gates counted them (" + named + "). Make every check on the test's own thread: get"
                        + " the answers in parallel if need be, then check them one after another (LlmJudgeRuntime.current()"
                        + ".prefetch(requests) judges them ahead, in parallel; JudgedSoftAssertions reports every failure at once)");
    }

    /** The messages of the gates that failed. */
    static List<String> failures(List<GateResult> results) {
        return results.stream().filter(r -> !r.passed()).map(GateResult::message).toList();
    }

    private static GateResult neverChecked(String kind, String label, String testId, Gate gate, List<ReportRow> results) {
        Set<String> checked = results.stream().map(ReportRow::metric).collect(Collectors.toCollection(TreeSet::new));
        return GateResult.of(kind, label, testId, gate.metric(), "checks", 0.0, GateResult.Relation.AT_LEAST, 1, false,
                "quality gate failed for " + label + ": no check of " + gate.metric() + " was made ("
                        + (checked.isEmpty() ? "it made no judged check" : "checked: " + String.join(", ", checked)) + ")");
    }

    /** Whether a check was judged: scored or errored, or aborted as unstable (skipped with its samples); not a check not judged. */
    private static boolean judged(ReportRow row) {
        return !row.skipped() || !row.samples().isEmpty();
    }

    private static GateResult allAborted(String kind, String label, String testId, Gate gate, long aborted) {
        return GateResult.of(kind, label, testId, gate.metric(), "scored checks", 0.0, GateResult.Relation.AT_LEAST, 1, false,
                "quality gate failed for " + label + ": no check of " + gate.metric() + " was scored, its " + aborted
                        + (aborted == 1 ? " check was" : " checks were") + " aborted as unstable (llmjudge.judge.on-unstable=abort),"
                        + " so its mean and pass rate cannot be computed");
    }

    private static GateResult nothingChecked(String kind, String label, String testId) {
        return GateResult.of(kind, label, testId, null, "checks", 0.0, GateResult.Relation.AT_LEAST, 1, false,
                "quality gate failed for " + label + ": no check was made, so its unstable checks cannot be bounded");
    }

    /**
     * The bound on a metric's mean, over its judged checks; with {@code notJudged} checks of it skipped, not judged (e.g. for want
     * of an API key, or collected for a batch), the message says that the mean is over the others only.
     */
    private static GateResult mean(String kind, String label, String testId, Gate gate, MetricStats s, int notJudged) {
        String message;
        if (s.scored() == 0) {
            message = "quality gate failed for " + label + ": mean " + gate.metric() + " cannot be computed, no check was scored (" + counts(s)
                    + notJudged(notJudged) + ")";
        } else {
            boolean met = s.mean() >= gate.minMean();
            message = String.format(Locale.ROOT, "quality gate %s for %s: mean %s %s is %s %s%s (%s%s)", met ? "passed" : "failed", label,
                    gate.metric(), Figures.decimal(s.mean()), met ? "at least" : "below", number(gate.minMean()), overJudged(s, notJudged),
                    counts(s), notJudged(notJudged));
        }
        return GateResult.of(kind, label, testId, gate.metric(), "mean", s.mean(), GateResult.Relation.AT_LEAST, gate.minMean(), false, message);
    }

    /** The bound on a metric's pass rate, over its judged checks; the message says so when {@code notJudged} checks were skipped. */
    private static GateResult passRate(String kind, String label, String testId, Gate gate, MetricStats s, int notJudged) {
        boolean met = s.passRate() >= gate.minPassRate();
        String checks = notJudged == 0 ? s.count() + (s.count() == 1 ? " check: " : " checks: ") : "";
        String message = "quality gate " + (met ? "passed" : "failed") + " for " + label + ": pass rate of " + gate.metric() + " "
                + Figures.percent(s.passRate()) + " is " + (met ? "at least " : "below ") + percent(gate.minPassRate()) + overJudged(s, notJudged)
                + " (" + checks + s.passed() + " passed, " + s.failed() + " failed, " + errors(s.errors()) + notJudged(notJudged) + ")";
        return GateResult.of(kind, label, testId, gate.metric(), GateResult.PASS_RATE, s.passRate(), GateResult.Relation.AT_LEAST,
                gate.minPassRate(), true, message);
    }

    /** {@code " over 7 judged checks"} when some checks were not judged, else nothing: the figure is then the judged checks' alone. */
    private static String overJudged(MetricStats s, int notJudged) {
        return notJudged == 0 ? "" : " over " + s.count() + (s.count() == 1 ? " judged check" : " judged checks");
    }

    private static String notJudged(int n) {
        return n == 0 ? "" : "; " + n + " skipped, not judged";
    }

    /**
     * A bound on unstable checks (of {@code metric}, or of all with {@code null}): the count, or the
     * share of judged checks, at most the limit; a failure names each unstable check with its samples.
     */
    static GateResult unstable(String kind, String label, String testId, String metric, UnstableLimit limit, List<ReportRow> rows) {
        List<ReportRow> judged = rows.stream().filter(r -> (metric == null || metric.equals(r.metric())) && !r.samples().isEmpty()).toList();
        List<ReportRow> unstable = judged.stream().filter(ReportRow::unstable).toList();
        boolean exceeded = limit.exceededBy(unstable.size(), judged.size());
        String message;
        if (!exceeded) {
            message = "quality gate passed for " + label + ": " + unstable.size() + " of " + judged.size() + " judged checks"
                    + (metric == null ? "" : " of " + metric) + (unstable.size() == 1 ? " is" : " are") + " unstable, at most the " + limit
                    + " allowed";
        } else {
            StringBuilder sb = new StringBuilder("quality gate failed for " + label + ": " + unstable.size() + " of " + judged.size()
                    + " judged checks" + (metric == null ? "" : " of " + metric)
                    + (limit.isShare() ? " (" + Figures.percent((double) unstable.size() / judged.size(), RoundingMode.CEILING) + ")" : "") + (unstable.size() == 1 ? " is" : " are") + " unstable, more than the " + limit + " allowed"
                    + " (their samples fall on both sides of the threshold):");
            for (ReportRow r : unstable) {
                sb.append("\n  ").append(r.metric()).append(" samples ").append(r.samplesText())
                        .append(" (").append(r.score() == null ? "aborted" : "median " + r.scoreText()).append(", threshold ").append(r.thresholdText())
                        .append("): ").append(r.testName() == null ? "answer " + quoted(r.answer()) : r.testName());
            }
            message = sb.toString();
        }
        double value = limit.isShare() ? judged.isEmpty() ? 0 : (double) unstable.size() / judged.size() : unstable.size();
        double bound = limit.isShare() ? limit.share() : limit.count();
        return new GateResult(kind, label, testId, metric, "unstable checks", value, GateResult.Relation.AT_MOST, bound, limit.isShare(),
                !exceeded, message);
    }

    /** The {@link QualityGate}s on a class or method. */
    static List<Gate> annotated(AnnotatedElement element) {
        List<Gate> gates = new ArrayList<>();
        for (QualityGate g : AnnotationSupport.findRepeatableAnnotations(element, QualityGate.class)) {
            try {
                Gate gate = new Gate(g.metric(), g.minMean(), g.minPassRate(), maxUnstable(g, element), "@QualityGate on " + element);
                validate(gate, "@QualityGate on " + element);
                gates.add(gate);
            } catch (IllegalArgumentException e) {
                throw new ExtensionConfigurationException(e.getMessage());
            }
        }
        return gates;
    }

    private static UnstableLimit maxUnstable(QualityGate g, AnnotatedElement element) {
        if (g.maxUnstable().isBlank()) {
            return null;
        }
        try {
            return UnstableLimit.parse(g.maxUnstable());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("@QualityGate on " + element + " has maxUnstable \"" + g.maxUnstable() + "\": expected "
                    + e.getMessage());
        }
    }

    /**
     * The gates the configuration sets: on unstable checks, and the mean and pass rate of the metrics checked in {@code rows}
     * (their drop bounds are the baseline gate's, {@link #drop}).
     */
    static List<Gate> configured(LlmJudgeConfig config, List<ReportRow> rows) {
        List<Gate> gates = new ArrayList<>();
        config.gates().maxUnstable().ifPresent(limit -> gates.add(new Gate("", Double.NaN, Double.NaN, limit)));
        for (String metric : rows.stream().map(ReportRow::metric).collect(Collectors.toCollection(TreeSet::new))) {
            MetricGate configured;
            try {
                configured = config.gates().forMetric(metric);
            } catch (ConfigurationException e) {
                throw new ExtensionConfigurationException(e.getMessage(), e);
            }
            if (configured.minMean().isPresent() || configured.minPassRate().isPresent()) {
                gates.add(new Gate(metric, configured.minMean().orElse(Double.NaN), configured.minPassRate().orElse(Double.NaN), null));
            }
        }
        return gates;
    }

    /**
     * The baseline gates ({@code llmjudge.gate.max-drop} and each {@code llmjudge.gate.<metric>.max-drop}) evaluated over
     * {@code rows}: one per bound, each failed when a case of its metrics dropped that much or more, or has no score now that the
     * baseline scored (a drop of its cannot be told). A metric's own bound
     * gates its cases; the class-wide bound those of the metrics without one ({@code metric} {@code null}). Not evaluated
     * without a bound, a baseline or rows (a baseline that does not exist fails each with
     * {@code llmjudge.report.baseline-required}); a bound that a case of its metrics cannot reach is refused first.
     * {@code baselines} reads a report.
     */
    static List<GateResult> drop(String label, String testId, LlmJudgeConfig config, List<ReportRow> rows,
            Function<Path, Optional<List<ReportRow>>> baselines) {
        Optional<Path> file = config.report().baseline();
        if (file.isEmpty() || rows.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> own = ownDropBounds(config, rows);
        Optional<Integer> classWide = config.gates().maxDrop();
        if (classWide.isEmpty() && own.isEmpty()) {
            return List.of();
        }
        refuseDropsBeyondScales(label, classWide, own, rows);
        // The class-wide bound gates the metrics without one of their own: none left, it gates nothing.
        Set<String> others = rows.stream().map(ReportRow::metric).filter(m -> !own.containsKey(m))
                .collect(Collectors.toCollection(TreeSet::new));
        List<DropBound> bounds = new ArrayList<>();
        if (classWide.isPresent() && !others.isEmpty()) {
            bounds.add(new DropBound(null, classWide.get(), own.isEmpty() ? Set.of() : named(others, rows)));
        }
        own.forEach((metric, bound) -> bounds.add(new DropBound(metric, bound, Set.of(metric))));
        Optional<List<ReportRow>> baseline = baselines.apply(file.get());
        List<GateResult> results = new ArrayList<>();
        if (baseline.isEmpty()) {
            for (DropBound b : bounds) {
                missingBaseline(GateResult.MAX_DROP, label, testId, b.metric(), "largest drop", GateResult.Relation.BELOW, b.bound(), false,
                        config, b.metric() == null ? "no case" : "no case of " + b.metric()).ifPresent(results::add);
            }
            return results;
        }
        List<RunReport.ScoreChange> changes = Baseline.compare(rows, baseline.get(), file.get().toString()).changes();
        List<Baseline.Rescaled> rescaled = Baseline.rescaled(rows, baseline.get());
        Map<String, String> errors = errorReasons(rows);
        for (DropBound b : bounds) {
            List<RunReport.ScoreChange> gated = changes.stream()
                    .filter(c -> b.metric() == null ? !own.containsKey(c.metric()) : b.metric().equals(c.metric())).toList();
            List<Baseline.Rescaled> uncomparable = rescaled.stream()
                    .filter(c -> b.metric() == null ? !own.containsKey(c.metric()) : b.metric().equals(c.metric())).toList();
            // A case the baseline scored and this run could not (an error row) may hide a drop: the bound cannot be told met.
            List<RunReport.ScoreChange> unscored = gated.stream().filter(c -> c.before() != null && c.after() == null).toList();
            results.add(!uncomparable.isEmpty() ? rescaledFailure(label, testId, b, uncomparable, gated, unscored, errors, file.get())
                    : !unscored.isEmpty() ? unscoredFailure(label, testId, b, unscored, errors, gated, file.get())
                    : drop(label, testId, b, gated, file.get()));
        }
        return results;
    }

    /** Per case id, the reason of its error row ({@code no threshold} for a check left without one): the cases with no score now. */
    private static Map<String, String> errorReasons(List<ReportRow> rows) {
        Map<String, String> reasons = new HashMap<>();
        for (ReportRow r : rows) {
            if (!r.skipped() && !r.scored() && r.ordinal() != Baseline.COMPARISON_ORDINAL) {
                reasons.putIfAbsent(CaseIds.of(r), r.errorReason() == null ? "no threshold" : r.errorReason());
            }
        }
        return reasons;
    }

    /**
     * A drop bound failed because cases the baseline scored have no score now (the judge gave none, their input was rejected,
     * or they were left without a threshold): a drop of theirs cannot be told; the drops of the other cases follow.
     */
    private static GateResult unscoredFailure(String label, String testId, DropBound b, List<RunReport.ScoreChange> unscored,
            Map<String, String> errors, List<RunReport.ScoreChange> changes, Path file) {
        StringBuilder sb = new StringBuilder("quality gate failed for " + label + ": ").append(unscored(unscored, errors, b, file));
        List<RunReport.ScoreChange> drops = Baseline.dropsOfAtLeast(changes, b.bound());
        if (!drops.isEmpty()) {
            sb.append('\n').append(dropFailure(label, drops, b.bound(), file, b.metric()));
        }
        return new GateResult(GateResult.MAX_DROP, label, testId, b.metric(), "largest drop", null, GateResult.Relation.BELOW, b.bound(),
                false, false, sb.toString());
    }

    /** {@code 1 case the baseline <file> scored has no score now, ...:} and a line per case, with the reason of its error. */
    private static String unscored(List<RunReport.ScoreChange> unscored, Map<String, String> errors, DropBound b, Path file) {
        boolean one = unscored.size() == 1;
        StringBuilder sb = new StringBuilder().append(unscored.size()).append(one ? " case" : " cases")
                .append(b.metric() == null ? "" : " of " + b.metric()).append(" the baseline ").append(file).append(" scored ")
                .append(one ? "has" : "have").append(" no score now, so a drop of ").append(one ? "its" : "theirs")
                .append(" cannot be told (a judge error is never a score):");
        for (RunReport.ScoreChange c : unscored) {
            sb.append("\n  ").append(c.metric()).append(' ').append(c.before()).append(" -> no score (")
                    .append(errors.getOrDefault(c.caseId(), "error")).append("): ").append(c.testName() == null ? "case " + c.caseId() : c.testName());
        }
        return sb.toString();
    }

    /**
     * A drop bound failed because cases of its metrics are scored on another scale than in the baseline: their drops cannot be
     * told, and a drop from 5 of 5 to 40 of 100 would read as a rise; the drops of the other cases follow.
     */
    private static GateResult rescaledFailure(String label, String testId, DropBound b, List<Baseline.Rescaled> rescaled,
            List<RunReport.ScoreChange> changes, List<RunReport.ScoreChange> unscored, Map<String, String> errors, Path file) {
        StringBuilder sb = new StringBuilder("quality gate failed for " + label + ": " + rescaled.size()
                + (rescaled.size() == 1 ? " case" : " cases") + (b.metric() == null ? "" : " of " + b.metric())
                + " cannot be compared with the baseline " + file + ", as " + (rescaled.size() == 1 ? "its metric is" : "their metrics are")
                + " scored on another scale now, so a drop of " + (rescaled.size() == 1 ? "its" : "theirs") + " cannot be told:");
        for (Baseline.Rescaled r : rescaled) {
            sb.append("\n  ").append(r.metric()).append(" scored ").append(r.minBefore()).append(" to ").append(r.maxBefore())
                    .append(" in the baseline, ").append(r.min()).append(" to ").append(r.max()).append(" now: ")
                    .append(r.testName() == null ? "case " + r.caseId() : r.testName());
        }
        sb.append("\nCompare with a baseline judged on the same scales (the report of a run with the changed metric), or leave ")
                .append(LlmJudgeConfig.REPORT_BASELINE).append(" unset for the run that changes a scale");
        Set<String> uncomparable = rescaled.stream().map(Baseline.Rescaled::caseId).collect(Collectors.toSet());
        List<RunReport.ScoreChange> comparable = changes.stream().filter(c -> !uncomparable.contains(c.caseId())).toList();
        if (!unscored.isEmpty()) {
            sb.append('\n').append(unscored(unscored, errors, b, file));
        }
        List<RunReport.ScoreChange> drops = Baseline.dropsOfAtLeast(comparable, b.bound());
        if (!drops.isEmpty()) {
            sb.append('\n').append(dropFailure(label, drops, b.bound(), file, b.metric()));
        }
        return new GateResult(GateResult.MAX_DROP, label, testId, b.metric(), "largest drop", null, GateResult.Relation.BELOW, b.bound(),
                false, false, sb.toString());
    }

    /**
     * One drop bound: a metric's own ({@code metric}), or the class-wide one ({@code null}), which {@code named} the metrics it
     * gates in its message when some have a bound of their own (else it is empty: it gates every metric).
     */
    private record DropBound(String metric, int bound, Set<String> named) {
    }

    private static GateResult drop(String label, String testId, DropBound b, List<RunReport.ScoreChange> changes, Path file) {
        List<RunReport.ScoreChange> drops = Baseline.dropsOfAtLeast(changes, b.bound());
        int largest = Baseline.dropsOfAtLeast(changes, 1).stream().mapToInt(c -> c.before() - c.after()).max().orElse(0);
        String cases = b.named().isEmpty() ? "case" : "case of " + joined(List.copyOf(b.named()));
        String message = drops.isEmpty()
                ? "quality gate passed for " + label + ": no " + cases + " dropped by " + b.bound() + " or more against the baseline " + file
                        + (largest == 0 ? " (no case dropped)" : " (largest drop: " + largest + ")")
                : dropFailure(label, drops, b.bound(), file, b.metric());
        return GateResult.of(GateResult.MAX_DROP, label, testId, b.metric(), "largest drop", (double) largest, GateResult.Relation.BELOW,
                b.bound(), false, message);
    }

    /** The metrics of {@code rows} that have a drop bound of their own ({@code llmjudge.gate.<metric>.max-drop}), with it. */
    private static Map<String, Integer> ownDropBounds(LlmJudgeConfig config, List<ReportRow> rows) {
        Map<String, Integer> own = new TreeMap<>();
        for (String metric : rows.stream().map(ReportRow::metric).collect(Collectors.toCollection(TreeSet::new))) {
            try {
                config.gates().forMetric(metric).maxDrop().ifPresent(bound -> own.put(metric, bound));
            } catch (ConfigurationException e) {
                throw new ExtensionConfigurationException(e.getMessage(), e);
            }
        }
        return own;
    }

    /** Of {@code metrics}, those a case of {@code rows} is of: not the comparisons of the pairwise baseline gate. */
    private static Set<String> named(Set<String> metrics, List<ReportRow> rows) {
        Set<String> cases = rows.stream().filter(r -> r.ordinal() != Baseline.COMPARISON_ORDINAL).map(ReportRow::metric)
                .filter(metrics::contains).collect(Collectors.toCollection(TreeSet::new));
        return cases.isEmpty() ? metrics : cases;
    }

    /**
     * Refuses a drop bound that no case of its metrics in {@code rows} can reach, with which the gate could never fail for
     * them: a metric's own bound above the largest drop its scale allows (4 on a scale from 1 to 5), and a class-wide bound
     * above that of any metric it gates (one without a bound of its own).
     */
    private static void refuseDropsBeyondScales(String label, Optional<Integer> classWide, Map<String, Integer> own, List<ReportRow> rows) {
        Map<String, int[]> scales = new TreeMap<>();
        for (ReportRow r : rows) {
            if (!r.skipped() && r.ordinal() != Baseline.COMPARISON_ORDINAL && r.minScore() != null && r.maxScore() != null) {
                scales.putIfAbsent(r.metric(), new int[] {r.minScore(), r.maxScore()});
            }
        }
        for (Map.Entry<String, Integer> e : own.entrySet()) {
            int[] scale = scales.get(e.getKey());
            if (scale != null && e.getValue() > scale[1] - scale[0]) {
                String key = metricMaxDrop(e.getKey());
                throw new ExtensionConfigurationException(key + " is " + e.getValue() + ", but no case of " + e.getKey() + " in " + label
                        + " can drop that much: " + e.getKey() + " is scored " + scale[0] + " to " + scale[1] + ", so a case drops by "
                        + (scale[1] - scale[0]) + " at most and the gate could never fail. Set " + key + " to a whole number from 1 to "
                        + (scale[1] - scale[0]));
            }
        }
        if (classWide.isEmpty()) {
            return;
        }
        int maxDrop = classWide.get();
        Map<String, int[]> gated = new TreeMap<>(scales);
        gated.keySet().removeAll(own.keySet());
        List<String> unreachable = gated.entrySet().stream().filter(e -> maxDrop > e.getValue()[1] - e.getValue()[0]).map(Map.Entry::getKey)
                .toList();
        if (unreachable.isEmpty()) {
            return;
        }
        int smallest = gated.values().stream().mapToInt(s -> s[1] - s[0]).min().orElseThrow();
        int largest = unreachable.stream().mapToInt(m -> gated.get(m)[1] - gated.get(m)[0]).max().orElseThrow();
        String setClassWide = LlmJudgeConfig.GATE_MAX_DROP + " (or @LlmJudgeTest(maxScoreDrop), or the extension's maxScoreDrop(...)) to a"
                + " whole number from 1 to " + smallest;
        if (own.isEmpty() && unreachable.size() == gated.size() && smallest == largest) {
            // No case of the class can reach the bound: it is too large for all it gates.
            String scored = gated.size() == 1
                    ? gated.keySet().iterator().next() + " is scored " + scale(gated.values().iterator().next())
                    : "its metrics are scored " + gated.entrySet().stream().map(e -> e.getKey() + " " + scale(e.getValue()))
                            .collect(Collectors.joining(", "));
            throw new ExtensionConfigurationException(LlmJudgeConfig.GATE_MAX_DROP + " is " + maxDrop + ", but no case of " + label
                    + " can drop that much: " + scored + ", so a case drops by " + largest + " at most and the gate could never fail. Set "
                    + setClassWide);
        }
        // Some metrics it gates can reach the bound, others cannot: those need a bound of their own, or the bound must shrink.
        String metrics = joined(unreachable);
        List<String> each = gated.entrySet().stream().map(e -> e.getKey() + " " + scale(e.getValue())).toList();
        String scored = each.get(0).replaceFirst(" ", " is scored ") + each.stream().skip(1).map(t -> ", " + t).collect(Collectors.joining());
        String ownBounds = unreachable.stream().map(m -> m + " (" + metricMaxDrop(m) + ", a whole number from 1 to "
                + (gated.get(m)[1] - gated.get(m)[0]) + ")").collect(Collectors.joining(", "));
        throw new ExtensionConfigurationException(LlmJudgeConfig.GATE_MAX_DROP + " is " + maxDrop + ", but no case of " + metrics + " in "
                + label + " can drop that much: " + scored + ", so a case of " + metrics + " drops by " + largest + " at most and the gate"
                + " could never fail for " + (unreachable.size() == 1 ? "it" : "them") + ". Set " + LlmJudgeConfig.GATE_METRIC_MAX_DROP
                + " for " + ownBounds + ", or set " + setClassWide);
    }

    private static String scale(int[] scale) {
        return scale[0] + " to " + scale[1];
    }

    /** The drop bound key of one metric, e.g. {@code llmjudge.gate.semantic_similarity.max-drop}. */
    private static String metricMaxDrop(String metric) {
        return LlmJudgeConfig.GATE_METRIC_MAX_DROP.replace(Key.METRIC, metric);
    }

    /** Names in a sentence: {@code a}, {@code a and b}, {@code a, b and c}. */
    private static String joined(List<String> names) {
        return names.size() == 1 ? names.get(0)
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
    }

    /**
     * A baseline gate whose baseline report does not exist: failed with {@code llmjudge.report.baseline-required}, else not
     * evaluated (the report warns).
     */
    static Optional<GateResult> missingBaseline(String kind, String label, String testId, String metric, String figure,
            GateResult.Relation relation, double bound, boolean percent, LlmJudgeConfig config) {
        return missingBaseline(kind, label, testId, metric, figure, relation, bound, percent, config, "no case");
    }

    /** The same, saying which cases cannot be compared, e.g. {@code no case of semantic_similarity}. */
    private static Optional<GateResult> missingBaseline(String kind, String label, String testId, String metric, String figure,
            GateResult.Relation relation, double bound, boolean percent, LlmJudgeConfig config, String noCase) {
        if (!config.report().baselineRequired()) {
            return Optional.empty();
        }
        return Optional.of(new GateResult(kind, label, testId, metric, figure, null, relation, bound, percent, false, "quality gate failed for "
                + label + ": the baseline report " + config.report().baseline().orElseThrow() + " (" + LlmJudgeConfig.REPORT_BASELINE
                + ") does not exist and " + LlmJudgeConfig.REPORT_BASELINE_REQUIRED + "=true, so " + noCase + " can be compared with it. Fetch"
                + " the baseline before the run (e.g. the main branch's report.json), or leave " + LlmJudgeConfig.REPORT_BASELINE_REQUIRED
                + " unset where there is none yet"));
    }

    /**
     * The baseline gates {@code config} sets, each as its setting ({@code llmjudge.gate.max-drop=1}): the class-wide drop bound,
     * the drop bound of each of {@code metrics} that has one of its own, and the pairwise baseline gate. A metric's bound that
     * cannot be read is left out: its class fails on it.
     */
    static List<String> baselineGateSettings(LlmJudgeConfig config, Collection<String> metrics) {
        List<String> settings = new ArrayList<>();
        config.gates().maxDrop().ifPresent(bound -> settings.add(LlmJudgeConfig.GATE_MAX_DROP + "=" + bound));
        for (String metric : new TreeSet<>(metrics)) {
            try {
                config.gates().forMetric(metric).maxDrop().ifPresent(bound -> settings.add(metricMaxDrop(metric) + "=" + bound));
            } catch (ConfigurationException e) {
                // Reported where the class's gates are evaluated.
            }
        }
        if (config.pairwiseGate().enabled()) {
            settings.add(LlmJudgeConfig.GATE_PAIRWISE_BASELINE + "=true");
        }
        return settings;
    }

    /** The failure of a drop bound ({@code metric}'s own, or with {@code null} the class-wide one), each dropped case with its answers. */
    static String dropFailure(String label, List<RunReport.ScoreChange> drops, int maxDrop, Path baseline, String metric) {
        StringBuilder sb = new StringBuilder("quality gate failed for " + label + ": " + drops.size() + (drops.size() == 1 ? " case" : " cases")
                + (metric == null ? "" : " of " + metric) + " dropped by " + maxDrop + " or more against the baseline " + baseline + ":");
        for (RunReport.ScoreChange c : drops) {
            sb.append("\n  ").append(c.metric()).append(' ').append(c.before()).append(" -> ").append(c.after()).append(": ")
                    .append(c.testName() == null ? "case " + c.caseId() : c.testName());
            if (c.answerChanged()) {
                sb.append("\n    answer before: ").append(quoted(c.answerBefore()))
                        .append("\n    answer now:    ").append(quoted(c.answerAfter()));
            } else {
                sb.append("\n    same answer, judged again: ").append(quoted(c.answerAfter()));
            }
        }
        return sb.toString();
    }

    /** An answer in a gate's message: one line, shortened, quoted. */
    private static String quoted(String answer) {
        return answer == null ? "(none)" : Texts.quoted(answer, ANSWER_LIMIT);
    }

    static void validate(Gate gate, String where) {
        boolean metricBound = !Double.isNaN(gate.minMean()) || !Double.isNaN(gate.minPassRate());
        if (gate.metric().isEmpty()) {
            if (metricBound || gate.maxUnstable() == null) {
                throw new IllegalArgumentException(where + " names no metric: give the metric of minMean and minPassRate, e.g."
                        + " metric = \"answer_similarity\" (only maxUnstable may leave it out, to bound every metric's unstable checks)");
            }
            return;
        }
        if (!gate.metric().matches("[a-z0-9][a-z0-9_]{0,63}")) {
            throw new IllegalArgumentException(where + ": metric '" + gate.metric() + "' is not a metric name (lower-case letters, digits, underscores)");
        }
        if (!metricBound && gate.maxUnstable() == null) {
            throw new IllegalArgumentException(where + " on " + gate.metric() + " sets no bound: give minMean, minPassRate, maxUnstable or"
                    + " more than one");
        }
        if (!Double.isNaN(gate.minPassRate()) && (gate.minPassRate() < 0 || gate.minPassRate() > 1)) {
            throw new IllegalArgumentException(where + " on " + gate.metric() + " has minPassRate " + gate.minPassRate()
                    + ": write a fraction from 0 to 1, e.g. 0.9 for 90%");
        }
    }

    private static String counts(MetricStats s) {
        return s.scored() + " scored, " + errors(s.errors());
    }

    private static String errors(int n) {
        return n + (n == 1 ? " error" : " errors");
    }

    static String number(double v) {
        return GateResult.number(v);
    }

    static String percent(double fraction) {
        return GateResult.percent(fraction);
    }
}
