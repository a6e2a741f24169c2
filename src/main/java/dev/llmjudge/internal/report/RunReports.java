package dev.llmjudge.internal.report;

import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.check.CallOutsideCheck;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Builds a {@link RunReport} from report rows, and the one line a run prints at its end. */
public final class RunReports {
    private static final Pattern CLASS_SEGMENT = Pattern.compile("\\[(?:class|nested-class):([^\\]]+)]");
    /** What the report says of tokens the server did not report, where it would otherwise show them as 0. */
    public static final String NOT_REPORTED = "usage not reported by the server";
    /** The kind of the warning about checks skipped, not judged, {@value}. */
    public static final String SKIPPED_WARNING = "SKIPPED_CHECKS";

    private RunReports() {
    }

    /** The report of these rows; {@code baseline} may be {@code null}. */
    public static RunReport build(List<ReportRow> rows, RunReport.BaselineComparison baseline, Instant generatedAt) {
        return build(rows, List.of(), baseline, generatedAt);
    }

    /** The report of these rows and calibrations; {@code baseline} may be {@code null}. */
    public static RunReport build(List<ReportRow> rows, List<CalibrationEntry> calibrations, RunReport.BaselineComparison baseline,
            Instant generatedAt) {
        return build(rows, calibrations, baseline, generatedAt, Optional.empty());
    }

    /**
     * The report of these rows and calibrations, warning when a verdict's judge is the model under
     * test ({@code llmjudge.sut.model}), if known; {@code baseline} may be {@code null}.
     */
    public static RunReport build(List<ReportRow> rows, List<CalibrationEntry> calibrations, RunReport.BaselineComparison baseline,
            Instant generatedAt, Optional<String> sutModel) {
        return builder(rows).calibrations(calibrations).baseline(baseline).generatedAt(generatedAt).sutModel(sutModel).build();
    }

    /**
     * Starts the report of these rows; what is not given is empty (no baseline, gate, warning,
     * verdict file or history, an unnamed run written now).
     *
     * <pre>{@code
     * RunReport report = RunReports.builder(rows).baseline(comparison).gates(gates).run(info).build();
     * }</pre>
     */
    public static Builder builder(List<ReportRow> rows) {
        return new Builder(rows);
    }

    /** The parts of a report besides its rows; the aggregates and totals are computed from the rows. */
    public static final class Builder {
        private final List<ReportRow> rows;
        private RunReport.BaselineComparison baseline;
        private Instant generatedAt = Instant.now();
        private Optional<String> sutModel = Optional.empty();
        private final List<RunReport.Warning> warnings = new ArrayList<>();
        private RunReport.RunInfo run = RunReport.RunInfo.UNKNOWN;
        private List<GateResult> gates = List.of();
        private List<CalibrationEntry> calibrations = List.of();
        private VerdictFiles verdictFiles = VerdictFiles.NONE;
        private List<RunHistory.RunSummary> history = List.of();
        private List<CallOutsideCheck> callsOutsideChecks = List.of();

        private Builder(List<ReportRow> rows) {
            this.rows = List.copyOf(rows);
        }

        /** The comparison with the baseline run, or {@code null} without one. */
        public Builder baseline(RunReport.BaselineComparison comparison) {
            this.baseline = comparison;
            return this;
        }

        public Builder generatedAt(Instant at) {
            this.generatedAt = at;
            return this;
        }

        /** The model under test ({@code llmjudge.sut.model}): the report warns when it judged verdicts. */
        public Builder sutModel(Optional<String> model) {
            this.sutModel = model;
            return this;
        }

        /** Warnings besides the self-preference one, e.g. a baseline that could not be read. */
        public Builder warnings(List<RunReport.Warning> more) {
            warnings.addAll(more);
            return this;
        }

        public Builder run(RunReport.RunInfo info) {
            this.run = info;
            return this;
        }

        /** Every gate evaluated, in order. */
        public Builder gates(List<GateResult> results) {
            this.gates = List.copyOf(results);
            return this;
        }

        /** The calibrations of the judge against human labels made in the run. */
        public Builder calibrations(List<CalibrationEntry> entries) {
            this.calibrations = List.copyOf(entries);
            return this;
        }

        public Builder verdictFiles(VerdictFiles files) {
            this.verdictFiles = files;
            return this;
        }

        /** The last runs of the history, oldest first, this one included. */
        public Builder history(List<RunHistory.RunSummary> runs) {
            this.history = List.copyOf(runs);
            return this;
        }

        /** The billed judge calls that no row holds, which the totals count with the rows. */
        public Builder callsOutsideChecks(List<CallOutsideCheck> calls) {
            this.callsOutsideChecks = List.copyOf(calls);
            return this;
        }

        public RunReport build() {
            List<RunReport.Warning> all = new ArrayList<>(SelfPreference.warning(rows, sutModel).stream().toList());
            skippedChecks(rows).ifPresent(all::add);
            unattachedChecks(rows).ifPresent(all::add);
            all.addAll(warnings);
            return new RunReport(RunReport.SCHEMA_VERSION, generatedAt.toString(), rows, MetricStats.byMetric(rows), baseline,
                    totals(rows, callsOutsideChecks), all, calibrations, run, gates, verdictFiles, history, callsOutsideChecks);
        }
    }

    /**
     * The warning of a run whose checks were skipped, not judged (no API key with {@code llmjudge.judge.missing-key=skip}, or
     * collected for batch judging): they are in no figure, so a quality gate counted none of them, and one on a metric whose
     * checks were all skipped was not evaluated at all, while their tests show as skipped, not failed. Checks aborted as unstable
     * were judged, and are not counted here.
     */
    static Optional<RunReport.Warning> skippedChecks(Collection<ReportRow> rows) {
        List<ReportRow> skipped = rows.stream().filter(r -> r.skipped() && r.samples().isEmpty()).toList();
        if (skipped.isEmpty()) {
            return Optional.empty();
        }
        ReportRow first = skipped.get(0);
        String reason = (first.testName() == null ? "" : first.testName() + ": ")
                + (first.errorMessage() == null ? "skipped" : first.errorMessage().lines().findFirst().orElse(""));
        return Optional.of(new RunReport.Warning(SKIPPED_WARNING, Secrets.redact(String.format(Locale.ROOT,
                "%s skipped, not judged (%s%s): no quality gate counted %s, and a gate on a metric whose checks were all skipped was"
                        + " not evaluated", skipped.size() == 1 ? "1 check was" : String.format(Locale.ROOT, "%,d checks were", skipped.size()),
                skipped.size() == 1 ? "" : "e.g. ", reason, skipped.size() == 1 ? "it" : "them"))));
    }

    /** The kind of the warning that checks were made outside any test, {@value}. */
    public static final String UNATTACHED_CHECKS_WARNING = "UNATTACHED_CHECKS";

    /**
     * The warning for rows attached to no test: made on a thread that runs no test (e.g. in a parallel stream or on an executor
     * a test started) or outside a test method; empty when every row has its test.
     */
    static Optional<RunReport.Warning> unattachedChecks(List<ReportRow> rows) {
        long unattached = rows.stream().filter(r -> r.testId() == null).count();
        if (unattached == 0) {
            return Optional.empty();
        }
        return Optional.of(new RunReport.Warning(UNATTACHED_CHECKS_WARNING, String.format(Locale.ROOT,
                "%s of %,d %s made outside any test (on a thread that runs no test, e.g. in a parallel stream or on an executor a"
                        + " test started, or outside a test method): %s in this report, but in no test's entries, and no class gate"
                        + " counted %s. Make every check on the test's own thread: get the answers in parallel if need be, then check"
                        + " them one after another.", plural(unattached, "check"), rows.size(), unattached == 1 ? "was" : "were",
                unattached == 1 ? "it is" : "they are", unattached == 1 ? "it" : "them")));
    }

    /** Aggregates per test class and metric; rows outside any test class are grouped under {@code "(no test class)"}. */
    public static Map<String, Map<String, MetricStats>> byTestClass(List<ReportRow> rows) {
        return MetricStats.byGroup(rows, r -> testClassOf(r.testId()).orElse("(no test class)"));
    }

    /** Aggregates per dataset ({@code @JudgeDataset} file) and metric, of the rows that came from a dataset row. */
    public static Map<String, Map<String, MetricStats>> byDataset(List<ReportRow> rows) {
        return MetricStats.byGroup(rows.stream().filter(r -> r.dataset() != null).toList(), ReportRow::dataset);
    }

    /** The test class named by a JUnit Jupiter unique id, e.g. {@code com.example.SupportBotTest$Refunds} for a nested class. */
    public static Optional<String> testClassOf(String testId) {
        if (testId == null) {
            return Optional.empty();
        }
        Matcher m = CLASS_SEGMENT.matcher(testId);
        String name = null;
        while (m.find()) {
            String segment = m.group(1);
            name = name == null || segment.contains(".") ? segment : name + "$" + segment;
        }
        return Optional.ofNullable(name);
    }

    public static RunReport.Totals totals(Collection<ReportRow> rows) {
        return totals(rows, List.of());
    }

    /** The totals of these rows, with the tokens and cost of the billed calls that no row holds. */
    public static RunReport.Totals totals(Collection<ReportRow> rows, Collection<CallOutsideCheck> callsOutsideChecks) {
        int verdicts = 0;
        int cached = 0;
        int below = 0;
        int errors = 0;
        int skipped = 0;
        int unstable = 0;
        long tokens = 0;
        int unreported = 0;
        double cost = 0;
        boolean costKnown = true;
        for (ReportRow r : rows) {
            if (r.unstable()) {
                unstable++;
            }
            if (r.skipped()) {
                skipped++;
                continue;
            }
            if (!r.scored()) {
                errors++;
            } else {
                if (ReportRow.FAILED.equals(r.outcome()) && belowThreshold(r)) {
                    below++;
                }
                verdicts++;
                if (Boolean.TRUE.equals(r.cached())) {
                    cached++;
                    continue;
                }
            }
            // A verdict judged in this run, or an error whose call was billed (an error row has tokens only then).
            long in = r.promptTokens() == null ? 0 : r.promptTokens();
            long out = r.completionTokens() == null ? 0 : r.completionTokens();
            tokens += in + out;
            unreported += r.unreportedReplies();
            Optional<Double> c = r.estimatedCostUsd();
            if (c.isPresent()) {
                cost += c.get();
            } else if (in + out > 0 || !r.usageReported()) {
                costKnown = false;
            }
        }
        for (CallOutsideCheck call : callsOutsideChecks) {
            tokens += call.tokens();
            unreported += call.unreportedReplies();
            Optional<Double> c = cost(call);
            if (c.isPresent()) {
                cost += c.get();
            } else if (call.tokens() > 0 || call.unreportedReplies() > 0) {
                costKnown = false;
            }
        }
        return new RunReport.Totals(verdicts, cached, verdicts - cached, below, errors, skipped, tokens, costKnown ? cost : null, unstable,
                unreported);
    }

    /**
     * What the totals count besides the rows, grouped by what the calls were for and their metric, e.g. {@code The tokens and
     * cost include 3 billed judge calls outside any check: evaluation steps (polite): 1 call, 180 tokens, <$0.01; judged ahead,
     * taken by no check (answer_similarity): 2 calls, 300 tokens, <$0.01.}; empty when there were none.
     */
    public static Optional<String> callsOutsideChecksLine(RunReport report) {
        List<CallOutsideCheck> calls = report.callsOutsideChecks();
        if (calls.isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<CallOutsideCheck>> groups = new LinkedHashMap<>();
        calls.forEach(call -> groups.computeIfAbsent(call.what() + " (" + call.metric() + ")", k -> new ArrayList<>()).add(call));
        String each = groups.entrySet().stream().map(group -> {
            RunReport.Totals t = totals(List.of(), group.getValue());
            return group.getKey() + ": " + plural(group.getValue().size(), "call") + String.format(Locale.ROOT, ", %,d tokens", t.tokens())
                    + unreported(t) + ", " + cost(t.estimatedCostUsd());
        }).collect(Collectors.joining("; "));
        return Optional.of("The tokens and cost include " + plural(calls.size(), "billed judge call") + " outside any check: " + each + ".");
    }

    /**
     * What a call outside the checks cost at its model's prices (its batch's, for a batch), if they are known and the server
     * reported the usage of its replies.
     */
    private static Optional<Double> cost(CallOutsideCheck call) {
        if (call.unreportedReplies() > 0) {
            return Optional.empty();
        }
        return Pricing.estimateUsd(call.judgeModel(), call.promptTokens(), call.cachedPromptTokens(), call.completionTokens(),
                call.batchId() != null);
    }

    /**
     * What a verdict judged in this run cost on average: {@code per judged verdict: 1,024 prompt tokens (896 cached) · 96 reply
     * tokens · ~$0.0012}, cached prompt tokens at the model's cached rate; empty when nothing was judged. Verdicts whose server
     * reported no usage are left out of the average and counted after it ({@code (2 verdicts left out: usage not reported by
     * the server)}); when no verdict has its usage, {@code per judged verdict: usage not reported by the server}.
     */
    public static Optional<String> perJudgedVerdict(List<ReportRow> rows) {
        long unreported = 0;
        long judged = 0;
        long prompt = 0;
        long cachedPrompt = 0;
        long reply = 0;
        double cost = 0;
        boolean costKnown = true;
        for (ReportRow r : rows) {
            if (!r.scored() || !Boolean.FALSE.equals(r.cached())) {
                continue;
            }
            if (!r.usageReported()) {
                unreported++;
                continue;
            }
            judged++;
            prompt += r.promptTokens() == null ? 0 : r.promptTokens();
            cachedPrompt += r.cachedPromptTokens() == null ? 0 : r.cachedPromptTokens();
            reply += r.completionTokens() == null ? 0 : r.completionTokens();
            Optional<Double> c = r.estimatedCostUsd();
            costKnown &= c.isPresent();
            cost += c.orElse(0.0);
        }
        if (judged == 0) {
            return unreported == 0 ? Optional.empty() : Optional.of("per judged verdict: " + NOT_REPORTED);
        }
        return Optional.of(String.format(Locale.ROOT, "per judged verdict: %,d prompt tokens (%,d cached) · %,d reply tokens · %s",
                prompt / judged, cachedPrompt / judged, reply / judged,
                costKnown ? String.format(Locale.ROOT, "~$%.4f", cost / judged) : "cost unknown")
                + (unreported == 0 ? "" : " (" + plural(unreported, "verdict") + " left out: " + NOT_REPORTED + ")"));
    }

    /**
     * Whether a failed row's score is below its threshold: not one that failed for being unstable
     * ({@code llmjudge.judge.on-unstable=fail}) with a median that meets it.
     */
    public static boolean belowThreshold(ReportRow r) {
        double score = r.weightedScore() != null ? r.weightedScore() : r.score();
        return r.threshold() == null || score < r.effectiveThreshold();
    }

    /**
     * The closing line: {@code llm-judge: 42 verdicts (38 cached, 4 judged), 1 below threshold, 0 errors, 12,345 tokens, ~$0.02 — ...},
     * with {@code , 3 unstable} after the checks below threshold when there are unstable checks.
     */
    public static String consoleLine(RunReport report, Path html) {
        RunReport.Totals t = report.totals();
        return String.format(Locale.ROOT, "llm-judge: %s (%,d cached, %,d judged), %,d below threshold%s, %s%s, %,d tokens%s, %s — %s",
                plural(t.verdicts(), "verdict"), t.cached(), t.judged(), t.belowThreshold(), unstable(t), plural(t.errors(), "error"),
                t.skipped() == 0 ? "" : String.format(Locale.ROOT, ", %,d skipped", t.skipped()), t.tokens(), unreported(t),
                cost(t.estimatedCostUsd()), html);
    }

    /**
     * {@code " (usage not reported by the server for 2 replies)"} after the tokens, whose count leaves those replies out; nothing
     * when the server reported the usage of every reply.
     */
    public static String unreported(RunReport.Totals t) {
        return unreported(t.unreportedReplies());
    }

    /** {@code " (usage not reported by the server for 2 replies)"} for {@code replies} replies without usage; nothing for none. */
    public static String unreported(int replies) {
        return replies == 0 ? ""
                : " (" + NOT_REPORTED + String.format(Locale.ROOT, " for %,d %s)", replies, replies == 1 ? "reply" : "replies");
    }

    /** {@code ", 3 unstable"}, or nothing for a run without an unstable check. */
    static String unstable(RunReport.Totals t) {
        return t.unstable() == 0 ? "" : String.format(Locale.ROOT, ", %,d unstable", t.unstable());
    }

    /** A cost as the report shows it: {@code ~$0.02}, {@code <$0.01}, {@code $0.00} or {@code cost unknown}. */
    public static String cost(Double usd) {
        if (usd == null) {
            return "cost unknown";
        }
        if (usd == 0) {
            return "$0.00";
        }
        if (usd < 0.005) {
            return "<$0.01";
        }
        return String.format(Locale.ROOT, "~$%,.2f", usd);
    }

    static String plural(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }
}
