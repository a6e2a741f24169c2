package dev.llmjudge.internal.report;

import dev.llmjudge.internal.AtomicFiles;
import dev.llmjudge.internal.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.owasp.encoder.Encode;

/**
 * The run's report as one self-contained HTML page, in the order a reviewer reads it: which run,
 * whether every gate passed and the totals; the gates; warnings; the changes against the
 * baseline; the metrics with each one's score distribution (and trend over the last runs, with a
 * history); the aggregates per test class and per dataset; the verdicts no check read; and every
 * check, those whose case changed first, filtered and sorted by the page's script. The page loads nothing
 * (inline style and script, allowed by their hashes in its Content-Security-Policy), every text
 * of the run is HTML-escaped, and no link is built from the data.
 */
public final class HtmlReportWriter {

    private static final String STYLE = resource("report.css");
    private static final String SCRIPT = resource("report.js");
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src '" + sha256(STYLE) + "'; script-src '"
            + sha256(SCRIPT) + "'; base-uri 'none'; form-action 'none'";

    /** Where a long identifier may break: after a dot, slash, underscore, opening parenthesis or comma. */
    private static final Pattern BREAKS = Pattern.compile("([./_(,])");
    /** Texts longer than this, or with more lines than {@link #LONG_LINES}, start collapsed. */
    private static final int LONG_CHARS = 280;
    private static final int LONG_LINES = 6;
    private static final int PREVIEW_CHARS = 160;
    static final String NONE = "<span class=\"none\">\u2014</span>";
    /** The outcomes in the filter's order, and each one's badge and filter label. */
    private static final List<String> OUTCOMES = List.of(ReportRow.PASSED, ReportRow.FAILED, ReportRow.ERROR, ReportRow.SKIPPED);
    private static final Map<String, List<String>> OUTCOME_LABELS = Map.of(
            ReportRow.PASSED, List.of("\u2713 passed", "passed"),
            ReportRow.FAILED, List.of("\u2717 failed", "failed (below threshold)"),
            ReportRow.ERROR, List.of("\u26a0 error", "error (no verdict)"),
            ReportRow.SKIPPED, List.of("\u21b7 skipped", "skipped (not judged)"));

    private HtmlReportWriter() {
    }

    /** Writes the report to {@code file} atomically, creating missing directories. */
    public static void write(RunReport report, Path file) throws IOException {
        AtomicFiles.write(file, render(report).getBytes(StandardCharsets.UTF_8));
    }

    public static String render(RunReport report) {
        StringBuilder out = new StringBuilder(16_384 + report.rows().size() * 2_048);
        int checks = report.rows().size();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(Encode.forHtml(CONTENT_SECURITY_POLICY)).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"color-scheme\" content=\"light dark\">\n")
                .append("<title>llm-judge report \u2014 ").append(checks).append(checks == 1 ? " check" : " checks").append("</title>\n")
                .append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<header>\n<h1>llm-judge report</h1>\n");
        runFacts(out, report);
        GateHtml.status(out, report);
        totals(out, report);
        out.append("</header>\n<main>\n");
        GateHtml.section(out, report.gates());
        warnings(out, report.warnings());
        baseline(out, report.baseline());
        PairwiseHtml.section(out, report.rows());
        metrics(out, report);
        groups(out, "Per test class", "classes", "Test class", RunReports.byTestClass(report.rows()), TestLabels::simpleName);
        groups(out, "Per dataset", "datasets", "Dataset", RunReports.byDataset(report.rows()), dataset -> dataset);
        CalibrationHtml.section(out, report.calibrations());
        unusedVerdicts(out, report.verdictFiles());
        cases(out, report);
        out.append("</main>\n<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return out.toString();
    }

    /** Which run this is: its id, when, the commit, the judge models, the baseline and the CI run (as text: no link is built from data). */
    private static void runFacts(StringBuilder out, RunReport report) {
        RunReport.RunInfo run = report.run();
        List<String> judges = report.judgeModels();
        out.append("<dl class=\"run\" id=\"run\">\n");
        fact(out, "run-id", "Run", run.id() == null ? NONE : text(run.id()));
        fact(out, "generated", "Generated", text(report.generatedAt()));
        fact(out, "commit", "Commit", run.commit() == null ? "<span class=\"none\">unknown</span>" : text(run.commit()));
        fact(out, "judges", judges.size() == 1 ? "Judge model" : "Judge models",
                judges.isEmpty() ? "<span class=\"none\">none (no verdict)</span>" : text(String.join(", ", judges)));
        fact(out, "baseline-used", "Baseline", report.baseline() == null ? "<span class=\"none\">none</span>" : text(report.baseline().file()));
        if (run.ciRun() != null) {
            fact(out, "ci-run", "CI run", text(run.ciRun()));
        }
        fact(out, "schema", "Report schema", "v" + report.schemaVersion());
        out.append("</dl>\n");
    }

    private static void fact(StringBuilder out, String id, String label, String valueHtml) {
        out.append("<div id=\"").append(id).append("\"><dt>").append(label).append("</dt><dd>").append(valueHtml).append("</dd></div>\n");
    }

    private static void totals(StringBuilder out, RunReport report) {
        RunReport.Totals t = report.totals();
        out.append("<dl class=\"totals\">\n");
        total(out, "Checks", integer(report.rows().size()), false);
        total(out, "Verdicts", integer(t.verdicts()), false);
        total(out, "Cached", integer(t.cached()), false);
        total(out, "Judged", integer(t.judged()), false);
        total(out, "Below threshold", integer(t.belowThreshold()), t.belowThreshold() > 0);
        if (t.unstable() > 0) {
            total(out, "Unstable", integer(t.unstable()), true);
        }
        total(out, "Errors", integer(t.errors()), t.errors() > 0);
        if (t.skipped() > 0) {
            total(out, "Skipped", integer(t.skipped()), false);
        }
        total(out, "Tokens", integer(t.tokens()) + text(RunReports.unreported(t)), false);
        total(out, "Estimated cost", t.estimatedCostUsd() == null ? "unknown" : usd(t.estimatedCostUsd()), false);
        out.append("</dl>\n");
        RunReports.callsOutsideChecksLine(report).ifPresent(line -> out.append("<p class=\"note\" id=\"calls-outside-checks\">")
                .append(text(line)).append("</p>\n"));
    }

    private static void total(StringBuilder out, String label, String value, boolean bad) {
        out.append(bad ? "<div class=\"bad\">" : "<div>").append("<dt>").append(label).append("</dt><dd>").append(value).append("</dd></div>\n");
    }

    /** What the reader should know before trusting the scores, e.g. a judge that is the model under test. */
    private static void warnings(StringBuilder out, List<RunReport.Warning> warnings) {
        if (warnings.isEmpty()) {
            return;
        }
        out.append("<section class=\"warnings\" id=\"warnings\">\n<h2>Warnings</h2>\n<ul>\n");
        for (RunReport.Warning w : warnings) {
            out.append("<li class=\"warning\" data-kind=\"").append(Encode.forHtml(w.kind())).append("\">").append(text(w.message()))
                    .append("</li>\n");
        }
        out.append("</ul>\n</section>\n");
    }

    private static void metrics(StringBuilder out, RunReport report) {
        out.append("<section id=\"metrics-section\">\n<h2>Metrics</h2>\n");
        if (report.metrics().isEmpty()) {
            out.append("<p class=\"note\">No metric was judged in this run.</p>\n</section>\n");
            return;
        }
        boolean trend = !report.history().isEmpty();
        out.append("<div class=\"scroll\"><table class=\"stats\" id=\"metrics\">\n<thead><tr><th>Metric</th><th>Distribution</th>")
                .append(trend ? "<th>Last runs</th>" : "");
        statsHeader(out);
        out.append("</tr></thead>\n<tbody>\n");
        for (MetricStats s : new TreeMap<>(report.metrics()).values()) {
            out.append("<tr><td class=\"metric\">").append(text(s.metric())).append("</td>");
            List<ReportCharts.Bin> bins = ReportCharts.distribution(report.rows(), s.metric());
            out.append("<td class=\"chart-cell\">").append(bins.isEmpty() ? NONE : ReportCharts.histogram(s.metric(), bins)).append("</td>");
            if (trend) {
                out.append("<td class=\"chart-cell trend\">").append(HistoryHtml.trend(s.metric(), report.history())).append("</td>");
            }
            statsCells(out, s);
            out.append("</tr>\n");
        }
        out.append("</tbody>\n</table></div>\n<p class=\"note\">Mean, variance (population), p90, median, min and max are over scored checks;"
                + " the pass rate counts errors in its denominator; skipped checks are in none of the figures. \u2014 means no scored check.");
        if (trend) {
            out.append(" Last runs: the mean and the pass rate of the last ").append(integer(report.history().size()))
                    .append(report.history().size() == 1 ? " run" : " runs").append(" of the history, oldest first, this one last.");
        }
        out.append("</p>\n</section>\n");
    }

    private static final List<String> STATS_HEADERS = List.of("Checks", "Mean", "Variance", "p90", "Median", "Min", "Max", "Pass rate", "Passed",
            "Failed", "Errors", "Skipped");

    private static void statsHeader(StringBuilder out) {
        STATS_HEADERS.forEach(h -> out.append("<th class=\"num\">").append(h).append("</th>"));
    }

    private static void statsCells(StringBuilder out, MetricStats s) {
        for (String cell : List.of(integer(s.count()), decimal(s.mean()), decimal(s.variance()), decimal(s.p90()), decimal(s.median()),
                decimal(s.min()), decimal(s.max()), percent(s.passRate()), integer(s.passed()), integer(s.failed()), integer(s.errors()),
                integer(s.skipped()))) {
            out.append("<td class=\"num\">").append(cell).append("</td>");
        }
    }

    /**
     * A table of aggregates per group (test class, dataset) and metric, each group shown by {@code label}
     * with its full name on hover; left out when there is no group.
     */
    private static void groups(StringBuilder out, String title, String id, String groupHeader, Map<String, Map<String, MetricStats>> groups,
            Function<String, String> label) {
        if (groups.isEmpty()) {
            return;
        }
        out.append("<section id=\"").append(id).append("-section\">\n<h2>").append(title).append("</h2>\n<div class=\"scroll\">")
                .append("<table class=\"stats groups\" id=\"").append(id).append("\">\n<thead><tr><th>").append(groupHeader)
                .append("</th><th>Metric</th>");
        statsHeader(out);
        out.append("</tr></thead>\n<tbody>\n");
        groups.forEach((group, metrics) -> metrics.forEach((metric, s) -> {
            out.append("<tr><td class=\"group\" title=\"").append(Encode.forHtml(group)).append("\">").append(identifier(label.apply(group)))
                    .append("</td><td class=\"metric\">").append(metricName(metric))
                    .append("</td>");
            statsCells(out, s);
            out.append("</tr>\n");
        }));
        out.append("</tbody>\n</table></div>\n</section>\n");
    }

    /** The verdict files no check of the run read, and whether they were deleted or why not. */
    private static void unusedVerdicts(StringBuilder out, VerdictFiles files) {
        if (files.unused().isEmpty()) {
            return;
        }
        int n = files.unused().size();
        out.append("<section id=\"unused-section\">\n<h2>Verdicts no longer used</h2>\n<p class=\"note\">")
                .append(integer(n)).append(n == 1 ? " recorded verdict file" : " recorded verdict files").append(" under ")
                .append(text(String.join(", ", files.directories()))).append(n == 1 ? " was" : " were").append(" read by no check of this run");
        if (files.deleted()) {
            out.append(" and ").append(n == 1 ? "was" : "were").append(" deleted (llmjudge.cache.unused=delete).");
        } else if (files.note() != null) {
            out.append(": ").append(text(files.note()));
        } else {
            out.append(" (listed only: llmjudge.cache.unused=").append(text(files.policy())).append("; delete them, or set"
                    + " llmjudge.cache.unused=delete for a run of the whole suite).");
        }
        out.append("</p>\n<ul class=\"files\" id=\"unused\">\n");
        files.unused().forEach(f -> out.append("<li><code>").append(text(f)).append("</code></li>\n"));
        out.append("</ul>\n</section>\n");
    }

    private static void baseline(StringBuilder out, RunReport.BaselineComparison baseline) {
        if (baseline == null) {
            return;
        }
        List<RunReport.ScoreChange> changes = changesFirstToReview(baseline.changes());
        long drops = changes.stream().filter(RunReport.ScoreChange::drop).count();
        out.append("<section id=\"baseline-section\">\n<h2>Changes against the baseline</h2>\n<p class=\"note\">Baseline ").append(text(baseline.file()))
                .append(": ").append(integer(changes.size())).append(changes.size() == 1 ? " case" : " cases")
                .append(" changed, ").append(integer(drops)).append(drops == 1 ? " drop" : " drops").append(", ")
                .append(integer(baseline.newCases().size())).append(" new, ").append(integer(baseline.goneCases().size()))
                .append(" gone.</p>\n");
        if (!changes.isEmpty()) {
            out.append("<div class=\"scroll\"><table class=\"changes\" id=\"baseline\">\n")
                    .append("<thead><tr><th>Metric</th><th>Test</th><th class=\"num\">Before</th><th class=\"num\">After</th>")
                    .append("<th>Change</th><th>Answer before</th><th>Answer now</th><th>Justification before</th><th>Justification now</th>")
                    .append("</tr></thead>\n<tbody>\n");
            for (RunReport.ScoreChange c : changes) {
                out.append("<tr class=\"change").append(c.drop() ? " drop" : c.before() != null && c.after() != null && c.after() > c.before() ? " rise" : "")
                        .append("\" title=\"").append(Encode.forHtml(c.caseId())).append("\"><td class=\"metric\">").append(text(c.metric()))
                        .append("</td><td class=\"test\">").append(text(c.testName())).append("</td><td class=\"num\">")
                        .append(c.before() == null ? "no score" : integer(c.before())).append("</td><td class=\"num\">")
                        .append(c.after() == null ? "no score" : integer(c.after())).append("</td><td class=\"delta\">").append(delta(c))
                        .append("</td><td class=\"text answer-before\">").append(optionalBlock(c.answerBefore()))
                        .append("</td><td class=\"text answer-after\">").append(c.answerChanged() ? optionalBlock(c.answerAfter()) : "<span class=\"note\">same answer</span>")
                        .append("</td><td class=\"text justification-before\">").append(optionalBlock(c.justificationBefore()))
                        .append("</td><td class=\"text justification-after\">").append(optionalBlock(c.justificationAfter()))
                        .append("</td></tr>\n");
            }
            out.append("</tbody>\n</table></div>\n");
        }
        baselineCases(out, "New in this run", "baseline-new", baseline.newCases());
        baselineCases(out, "Gone since the baseline", "baseline-gone", baseline.goneCases());
        out.append("</section>\n");
    }

    /** The changes in the order a reviewer reads them: drops (largest first), then the other changes as the comparison found them. */
    static List<RunReport.ScoreChange> changesFirstToReview(List<RunReport.ScoreChange> changes) {
        List<RunReport.ScoreChange> drops = Baseline.dropsOfAtLeast(changes, 1);
        Set<RunReport.ScoreChange> first = new HashSet<>(drops);
        List<RunReport.ScoreChange> ordered = new ArrayList<>(drops);
        changes.stream().filter(c -> !first.contains(c)).forEach(ordered::add);
        return ordered;
    }

    private static void baselineCases(StringBuilder out, String title, String id, List<RunReport.BaselineCase> cases) {
        if (cases.isEmpty()) {
            return;
        }
        out.append("<h3>").append(title).append(" (").append(integer(cases.size())).append(")</h3>\n<div class=\"scroll\"><table class=\"changes\" id=\"")
                .append(id).append("\">\n<thead><tr><th>Metric</th><th>Test</th><th class=\"num\">Score</th><th>Answer</th></tr></thead>\n<tbody>\n");
        for (RunReport.BaselineCase c : cases) {
            out.append("<tr title=\"").append(Encode.forHtml(c.caseId())).append("\"><td class=\"metric\">").append(text(c.metric()))
                    .append("</td><td class=\"test\">").append(text(c.testName())).append("</td><td class=\"num\">")
                    .append(c.score() == null ? "no score" : integer(c.score())).append("</td><td class=\"text\">").append(optionalBlock(c.answer()))
                    .append("</td></tr>\n");
        }
        out.append("</tbody>\n</table></div>\n");
    }

    private static String optionalBlock(String value) {
        return value == null ? NONE : block(value);
    }

    private static String delta(RunReport.ScoreChange c) {
        if (c.before() == null) {
            return c.after() == null ? "no score" : "now scored";
        }
        if (c.after() == null) {
            return c.drop() ? "\u25bc no longer scored" : "no longer scored";
        }
        int d = c.after() - c.before();
        return d < 0 ? "\u25bc down by " + -d : d > 0 ? "\u25b2 up by " + d : "unchanged";
    }

    private static void cases(StringBuilder out, RunReport report) {
        Map<String, RunReport.ScoreChange> changed = new LinkedHashMap<>();
        if (report.baseline() != null) {
            changesFirstToReview(report.baseline().changes()).forEach(c -> changed.putIfAbsent(c.caseId(), c));
        }
        List<ReportRow> rows = changedFirst(report.rows(), changed);
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        OUTCOMES.forEach(o -> outcomes.put(o, 0));
        Set<String> metricNames = new TreeSet<>();
        for (ReportRow r : rows) {
            outcomes.merge(String.valueOf(r.outcome()), 1, Integer::sum);
            metricNames.add(String.valueOf(r.metric()));
        }
        out.append("<section id=\"cases-section\">\n<h2>Judged checks</h2>\n");
        if (!changed.isEmpty()) {
            out.append("<p class=\"note\">Checks whose case changed against the baseline come first, marked <span class=\"changed-mark\">changed</span>.</p>\n");
        }
        out.append("<form class=\"controls\" id=\"filters\">\n")
                .append("<label>Outcome <select id=\"outcome-filter\"><option value=\"\">all (").append(integer(rows.size())).append(")</option>");
        outcomes.forEach((outcome, n) -> out.append("<option value=\"").append(Encode.forHtml(outcome)).append("\">")
                .append(text(label(outcome, 1))).append(" (").append(integer(n)).append(")</option>"));
        out.append("</select></label>\n<fieldset><legend>Metrics</legend>");
        for (String m : metricNames) {
            out.append("<label><input type=\"checkbox\" name=\"metric-filter\" value=\"").append(Encode.forHtml(m)).append("\" checked> ")
                    .append(text(m)).append("</label>");
        }
        out.append("</fieldset>\n<button type=\"button\" id=\"expand-all\" aria-pressed=\"false\">Expand long texts</button>\n")
                .append("<span class=\"shown\" id=\"shown-count\" aria-live=\"polite\">").append(integer(rows.size())).append(" cases</span>\n</form>\n")
                .append("<div class=\"scroll\"><table class=\"cases\" id=\"cases\">\n<thead><tr><th>Test</th><th>Outcome</th><th>Metric</th>")
                .append("<th class=\"num\" aria-sort=\"none\"><button type=\"button\" id=\"sort-score\" title=\"Sort by score\">Score</button></th>")
                .append("<th class=\"num\">Threshold</th><th>Justification</th><th>Answer</th><th>Reference</th><th>Verdict</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (ReportRow r : rows) {
            row(out, r, changed.isEmpty() ? null : changed.get(CaseIds.of(r)));
        }
        out.append("</tbody>\n</table></div>\n");
        if (rows.isEmpty()) {
            out.append("<p class=\"note\">No judged checks in this run.</p>\n");
        }
        out.append("</section>\n");
    }

    /** The rows of changed cases first, in the order of the changes, then the others in their order. */
    private static List<ReportRow> changedFirst(List<ReportRow> rows, Map<String, RunReport.ScoreChange> changed) {
        if (changed.isEmpty()) {
            return rows;
        }
        Map<String, List<ReportRow>> rowsOfChanged = new HashMap<>();
        List<ReportRow> unchanged = new ArrayList<>();
        for (ReportRow r : rows) {
            String id = CaseIds.of(r);
            if (changed.containsKey(id)) {
                rowsOfChanged.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
            } else {
                unchanged.add(r);
            }
        }
        List<ReportRow> all = new ArrayList<>(rows.size());
        changed.keySet().forEach(id -> all.addAll(rowsOfChanged.getOrDefault(id, List.of())));
        all.addAll(unchanged);
        return all;
    }

    private static void row(StringBuilder out, ReportRow r, RunReport.ScoreChange change) {
        String outcome = String.valueOf(r.outcome());
        boolean error = r.score() == null;
        out.append("<tr class=\"case o-").append(OUTCOME_LABELS.containsKey(outcome) ? outcome : "OTHER").append(change == null ? "" : " changed")
                .append("\" data-outcome=\"").append(Encode.forHtml(outcome)).append("\" data-metric=\"")
                .append(Encode.forHtml(String.valueOf(r.metric()))).append("\" data-score=\"")
                .append(error ? "" : r.weightedScore() != null ? String.valueOf(r.weightedScore()) : String.valueOf(r.score())).append("\">\n");
        testCell(out, r);
        out.append("<td class=\"outcome\"><span class=\"badge\">").append(text(label(outcome, 0))).append("</span>");
        if (r.unstable()) {
            out.append("<span class=\"sub unstable\">unstable: samples on both sides of the threshold</span>");
        }
        if (change != null) {
            out.append("<span class=\"changed-mark\" title=\"against the baseline\">").append(delta(change)).append("</span>");
        }
        out.append("</td>\n");
        out.append("<td class=\"metric\">").append(metricName(r.metric()));
        if (r.metricVersion() != null) {
            out.append("<span class=\"sub\">").append(text(r.metricVersion())).append("</span>");
        }
        out.append("</td>\n<td class=\"num score\">").append(error ? NONE : r.maxScore() == null ? r.scoreText() : r.scoreText() + "/" + r.maxScore());
        if (r.sampled()) {
            out.append("<span class=\"sub samples\">").append(error ? "samples " : "median of ")
                    .append(r.samplesText()).append("</span>");
        }
        if (r.probabilitiesText() != null) {
            out.append("<span class=\"sub probabilities\">").append(r.weightedScore() == null ? "" : "wrote " + r.score() + "; ")
                    .append("p ").append(text(r.probabilitiesText())).append("</span>");
        }
        out.append("</td>\n<td class=\"num threshold\">").append(r.threshold() == null ? NONE : "\u2265\u00a0" + r.thresholdText()).append("</td>\n");
        out.append("<td class=\"text justification\">");
        if (r.skipped()) {
            out.append("<span class=\"label\">Not judged</span>").append(block(String.valueOf(r.errorMessage())));
        } else if (error) {
            out.append("<span class=\"label\">No verdict</span><span class=\"error-reason\">").append(r.errorReason() == null ? "ERROR" : text(r.errorReason()))
                    .append("</span>");
            if (r.errorMessage() != null) {
                out.append("<span class=\"label\">Message</span>").append(block(r.errorMessage()));
            }
        } else {
            out.append(r.justification() == null ? NONE : block(r.justification()));
        }
        out.append("</td>\n<td class=\"text answer\">").append(r.answer() == null ? NONE : block(r.answer())).append("</td>\n");
        out.append("<td class=\"text reference\">");
        if (r.question() == null && r.groundTruth() == null && r.context() == null) {
            out.append(NONE);
        }
        labelled(out, "Question", r.question());
        labelled(out, r.comparison() ? "Reference answer" : "Ground truth", r.groundTruth());
        labelled(out, "Context", r.context());
        out.append("</td>\n");
        out.append("<td class=\"source\"").append(r.cacheFile() == null ? "" : " title=\"" + Encode.forHtml(r.cacheFile()) + "\"").append(">")
                .append(r.cached() == null ? NONE : r.cached() ? "cached" : "judged");
        if (r.judgeModel() != null) {
            out.append("<span class=\"sub\">").append(text(r.judgeModel())).append("</span>");
        }
        if (r.latencyMillis() != null) {
            out.append("<span class=\"sub latency\">").append(integer(r.latencyMillis())).append("\u00a0ms</span>");
        }
        if (r.promptTokens() != null || r.completionTokens() != null) {
            long prompt = r.promptTokens() == null ? 0 : r.promptTokens();
            long completion = r.completionTokens() == null ? 0 : r.completionTokens();
            long cachedPrompt = r.cachedPromptTokens() == null ? 0 : r.cachedPromptTokens();
            String counted = integer(prompt) + " prompt" + (cachedPrompt == 0 ? "" : " (" + integer(cachedPrompt) + " of them cached)") + " + "
                    + integer(completion) + " completion";
            if (r.usageReported()) {
                out.append("<span class=\"sub tokens\" title=\"").append(counted).append("\">").append(integer(prompt + completion))
                        .append("\u00a0tokens</span>");
            } else {
                // Tokens the server did not report are unknown: never shown as 0, nor priced.
                int n = r.unreportedReplies();
                out.append("<span class=\"sub tokens unreported\" title=\"").append(Encode.forHtmlAttribute(integer(n)
                        + (n == 1 ? " reply" : " replies") + " without usage" + (prompt + completion == 0 ? "" : "; counted: " + counted)))
                        .append("\">").append(text(RunReports.NOT_REPORTED)).append("</span>");
            }
            // Only a call made in this run cost anything now, a failed one billed too; a recorded verdict is free.
            if (!Boolean.TRUE.equals(r.cached())) {
                r.estimatedCostUsd().ifPresent(usd -> out.append("<span class=\"sub cost\">")
                        .append(Encode.forHtml(costPerCall(usd))).append("</span>"));
            }
            // A batch-judged verdict shows what it cost at the batch rate, when it was judged.
            if (r.batchId() != null) {
                Optional<String> cost = r.estimatedCostUsd().map(HtmlReportWriter::costPerCall);
                out.append("<span class=\"sub batch\" title=\"").append(Encode.forHtmlAttribute("judged in batch " + r.batchId()
                        + cost.map(c -> ", " + c + " at the batch rate").orElse("")))
                        .append("\">batch").append(Encode.forHtml(cost.map(c -> " " + c).orElse(""))).append("</span>");
            }
        }
        out.append("</td>\n</tr>\n");
    }

    /**
     * The test as a reader names it: the class's simple name, the method and the display name when it
     * says more (each breaking only between words), the {@code as(...)} description under it; the
     * unique id on hover. A test whose id names no class shows its display path.
     */
    private static void testCell(StringBuilder out, ReportRow r) {
        out.append("<td class=\"test\"").append(r.testId() == null ? "" : " title=\"" + Encode.forHtml(r.testId()) + "\"").append(">");
        Optional<TestLabels.Label> label = TestLabels.of(r.testId(), r.testName());
        if (label.isEmpty()) {
            out.append(r.testName() == null ? NONE : text(r.testName()));
        } else {
            TestLabels.Label l = label.get();
            out.append("<span class=\"test-class\">").append(identifier(l.testClass())).append("</span>");
            if (l.method() != null) {
                out.append("<span class=\"test-method\">").append(identifier(l.method())).append("</span>");
            }
            if (l.displayName() != null) {
                out.append("<span class=\"test-display\" dir=\"auto\">").append(text(l.displayName())).append("</span>");
            }
        }
        if (r.description() != null) {
            out.append("<span class=\"sub\">").append(text(r.description())).append("</span>");
        }
        out.append("</td>\n");
    }

    /** A code name or path that may wrap after its dots, slashes, underscores, parentheses and commas, never inside a word. */
    static String identifier(String name) {
        return BREAKS.matcher(Encode.forHtml(name)).replaceAll("$1<wbr>");
    }

    /** One call's estimated cost, e.g. {@code ~$0.0021}: finer than the run total, since one call costs a fraction of a cent. */
    static String costPerCall(double usd) {
        return usd == 0 ? "$0" : String.format(Locale.ROOT, "~$%.4f", usd);
    }

    private static void labelled(StringBuilder out, String label, String value) {
        if (value != null) {
            out.append("<span class=\"label\">").append(label).append("</span>").append(block(value));
        }
    }

    /** A piece of free text; long ones show a preview and expand on click. */
    static String block(String value) {
        String escaped = text(value);
        if (value.length() <= LONG_CHARS && value.lines().count() <= LONG_LINES) {
            return "<span class=\"t\" dir=\"auto\">" + escaped + "</span>";
        }
        return "<div class=\"long\"><span class=\"t preview\" dir=\"auto\">" + text(preview(value)) + "\u2026</span><details><summary>show all "
                + integer(value.codePointCount(0, value.length())) + " characters</summary><div class=\"t\" dir=\"auto\">" + escaped
                + "</div></details></div>";
    }

    /** The first lines of {@code value}, cut at {@link #PREVIEW_CHARS} without splitting a character. */
    private static String preview(String value) {
        String head = value.lines().limit(3).reduce((a, b) -> a + "\n" + b).orElse("");
        if (head.codePointCount(0, head.length()) > PREVIEW_CHARS) {
            head = head.substring(0, head.offsetByCodePoints(0, PREVIEW_CHARS));
        }
        return head.stripTrailing();
    }

    /** A metric name that may wrap after its underscores ({@code answer_correctness}). */
    static String metricName(String name) {
        return name == null ? NONE : Encode.forHtml(name).replace("_", "_<wbr>");
    }

    static String text(String value) {
        return value == null ? NONE : Encode.forHtml(value);
    }

    /** An outcome's badge (0) or filter label (1); an unknown outcome as it is. */
    private static String label(String outcome, int which) {
        return OUTCOME_LABELS.containsKey(outcome) ? OUTCOME_LABELS.get(outcome).get(which) : outcome;
    }

    /** A whole number with grouping ({@code 12,345}); a {@link NumberFormat} writes it in a third of the time {@code String.format} takes. */
    static String integer(long value) {
        return NumberFormat.getIntegerInstance(Locale.ROOT).format(value);
    }

    /** Two decimals; {@code NaN} (no scored check) as a dash. */
    private static String decimal(double value) {
        return Double.isNaN(value) ? NONE : Figures.decimal(value);
    }

    /** A pass rate, cut as summary.md and the gates write it ({@link Figures}). */
    private static String percent(double ratio) {
        return Double.isNaN(ratio) ? NONE : Figures.percent(ratio);
    }

    private static String usd(double value) {
        return String.format(Locale.ROOT, value >= 1 ? "~$%,.2f" : "~$%.4f", value);
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReportWriter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing beside " + HtmlReportWriter.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CSP source expression that allows exactly this inline text. */
    private static String sha256(String inline) {
        return "sha256-" + Base64.getEncoder().encodeToString(Sha256.of(inline));
    }
}
