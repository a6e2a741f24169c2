package dev.llmjudge.report;

import dev.llmjudge.judge.CheckResult;
import dev.llmjudge.judge.CheckResult.Outcome;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a {@link RunReport} from report rows, and the one line a run prints at its end.
 *
 * <pre>{@code
 * RunReport report = RunReports.build(rows, null, Instant.now());
 * System.out.println(RunReports.consoleLine(report, Path.of("target/llm-judge/report.html")));
 * // llm-judge: 42 verdicts (38 cached, 4 judged), 1 below threshold, 0 errors, 12,345 tokens, ~$0.02 — target/llm-judge/report.html
 * }</pre>
 */
public final class RunReports {
    private static final Pattern CLASS_SEGMENT = Pattern.compile("\\[(?:class|nested-class):([^\\]]+)]");

    private RunReports() {
    }

    /** The report of these rows: aggregates per metric over every row, and the run's totals; {@code baseline} may be {@code null}. */
    public static RunReport build(List<ReportRow> rows, RunReport.BaselineComparison baseline, Instant generatedAt) {
        return new RunReport(RunReport.SCHEMA_VERSION, generatedAt.toString(), rows, MetricStats.byMetric(toCheckResults(rows)),
                baseline, totals(rows));
    }

    /** Aggregates per test class and metric; rows outside any test class are grouped under {@code "(no test class)"}. */
    public static Map<String, Map<String, MetricStats>> byTestClass(List<ReportRow> rows) {
        List<CheckResult> results = toCheckResults(rows);
        return MetricStats.byGroup(results, r -> testClassOf(r.testId()).orElse("(no test class)"));
    }

    /**
     * The test class named by a JUnit Jupiter unique id: {@code com.example.SupportBotTest}, or
     * {@code com.example.SupportBotTest$Refunds} for a nested class.
     */
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

    /** The run's totals: verdicts, cached and judged, below threshold, errors, tokens and cost of this run's judge calls. */
    public static RunReport.Totals totals(Collection<ReportRow> rows) {
        int verdicts = 0;
        int cached = 0;
        int below = 0;
        int errors = 0;
        long tokens = 0;
        double cost = 0;
        boolean costKnown = true;
        for (ReportRow r : rows) {
            if (Outcome.ERROR.name().equals(r.outcome())) {
                errors++;
                continue;
            }
            if (Outcome.FAILED.name().equals(r.outcome())) {
                below++;
            }
            verdicts++;
            if (Boolean.TRUE.equals(r.cached())) {
                cached++;
                continue;
            }
            long in = r.promptTokens() == null ? 0 : r.promptTokens();
            long out = r.completionTokens() == null ? 0 : r.completionTokens();
            tokens += in + out;
            Optional<Double> c = Pricing.estimateUsd(r.judgeModel(), in, out);
            if (c.isPresent()) {
                cost += c.get();
            } else if (in + out > 0) {
                costKnown = false;
            }
        }
        return new RunReport.Totals(verdicts, cached, verdicts - cached, below, errors, tokens, costKnown ? cost : null);
    }

    /**
     * The closing console line, e.g. {@code llm-judge: 42 verdicts (38 cached, 4 judged), 1 below threshold,
     * 0 errors, 12,345 tokens, ~$0.02 — target/llm-judge/report.html}.
     */
    public static String consoleLine(RunReport report, Path html) {
        RunReport.Totals t = report.totals();
        return String.format(Locale.ROOT, "llm-judge: %s (%,d cached, %,d judged), %,d below threshold, %s, %,d tokens, %s — %s",
                plural(t.verdicts(), "verdict"), t.cached(), t.judged(), t.belowThreshold(), plural(t.errors(), "error"),
                t.tokens(), cost(t.estimatedCostUsd()), html);
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

    /** The checks that rows stand for (for aggregates over rows read back from JSON). */
    public static List<CheckResult> toCheckResults(Collection<ReportRow> rows) {
        return rows.stream().map(RunReports::toCheckResult).toList();
    }

    /** The check a row stands for; fields the row does not carry (sampling parameters, cache key) are left empty. */
    public static CheckResult toCheckResult(ReportRow r) {
        Outcome outcome = Outcome.valueOf(r.outcome());
        Verdict verdict = null;
        if (outcome != Outcome.ERROR) {
            verdict = new Verdict(r.metric(), r.metricVersion() == null ? "?" : r.metricVersion(), r.score(), r.minScore(), r.maxScore(),
                    r.justification() == null ? "" : r.justification(), r.threshold(), r.judgeModel() == null ? "?" : r.judgeModel(),
                    Map.of(), null, Boolean.TRUE.equals(r.cached()), r.cacheFile(),
                    Duration.ofMillis(r.latencyMillis() == null ? 0 : r.latencyMillis()),
                    new TokenUsage(r.promptTokens() == null ? 0 : r.promptTokens(), r.completionTokens() == null ? 0 : r.completionTokens()));
        }
        JudgeException.Reason reason = null;
        if (r.errorReason() != null) {
            try {
                reason = JudgeException.Reason.valueOf(r.errorReason());
            } catch (IllegalArgumentException e) {
                reason = null;
            }
        }
        Instant at;
        try {
            at = r.at() == null ? Instant.EPOCH : Instant.parse(r.at());
        } catch (DateTimeParseException e) {
            at = Instant.EPOCH;
        }
        return new CheckResult(r.testId(), r.testName(), r.caseKey(), r.ordinal(), r.description(), r.metric(),
                new EvaluationCase(r.question(), r.answer(), r.groundTruth(), r.context()), r.threshold(), outcome, verdict, reason,
                r.errorMessage(), at);
    }
}
