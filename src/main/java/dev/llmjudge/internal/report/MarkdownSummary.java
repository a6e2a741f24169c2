package dev.llmjudge.internal.report;

import dev.llmjudge.internal.Texts;
import dev.llmjudge.internal.AtomicFiles;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.check.PairwiseJudgement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The short Markdown summary of a run ({@code summary.md}), fit for a CI job summary such as {@code GITHUB_STEP_SUMMARY}. */
public final class MarkdownSummary {
    /** At most this many failing checks, skipped checks, drops, verdicts to review and unused verdicts are listed; the HTML report has them all. */
    public static final int LIST_LIMIT = 10;
    /** At most this many gates are listed. */
    public static final int GATE_LIMIT = 20;

    private MarkdownSummary() {
    }

    /**
     * Renders the summary, in the order a reviewer reads it: the totals, the gates (why a build is
     * red), which run, warnings, the metrics, the checks below threshold or in error, the skipped
     * ones, the drops against the baseline, the verdicts to review, the verdicts no longer used,
     * and where the full report is ({@code html}; on CI, the run page whose artifacts hold it).
     */
    public static String render(RunReport report, Path html) {
        RunReport.Totals t = report.totals();
        StringBuilder md = new StringBuilder();
        md.append("## LLM judge: ").append(RunReports.plural(t.verdicts(), "verdict")).append(", ")
                .append(String.format(Locale.ROOT, "%,d", t.belowThreshold())).append(" below threshold").append(RunReports.unstable(t))
                .append(", ").append(RunReports.plural(t.errors(), "error")).append("\n\n");
        gates(md, report.gates());
        run(md, report);
        md.append(String.format(Locale.ROOT, "%,d recorded, %,d judged in this run · %,d tokens%s · %s%s%n%n", t.cached(), t.judged(),
                t.tokens(), RunReports.unreported(t), RunReports.cost(t.estimatedCostUsd()), t.skipped() == 0 ? "" : String.format(Locale.ROOT, " · %,d skipped", t.skipped())));
        RunReports.callsOutsideChecksLine(report).ifPresent(line -> md.append(cell(line)).append("\n\n"));
        RunReports.perJudgedVerdict(report.rows()).ifPresent(line -> md.append(line).append("\n\n"));
        for (RunReport.Warning w : report.warnings()) {
            md.append("> **Warning:** ").append(cell(Secrets.redact(w.message()))).append("\n\n");
        }
        metrics(md, report);
        failures(md, report.rows());
        skipped(md, report.rows());
        unstable(md, report.rows());
        baseline(md, report.baseline());
        pairwise(md, report.rows());
        CalibrationMarkdown.section(md, report.calibrations());
        verdictsToReview(md, report);
        unused(md, report.verdictFiles());
        md.append("Full report: `").append(html).append("`");
        if (report.run().ciRun() != null) {
            md.append(" · [report.html in the artifacts of this run](").append(linkTarget(report.run().ciRun())).append(')');
        }
        md.append('\n');
        return md.toString();
    }

    /** Every gate evaluated, failed ones first, under a line that says whether they all passed. */
    private static void gates(StringBuilder md, List<GateResult> gates) {
        long failed = gates.stream().filter(g -> !g.passed()).count();
        if (gates.isEmpty()) {
            md.append("No quality gate was evaluated.\n\n");
            return;
        }
        md.append(failed > 0 ? "**✗ " + failed + " of " + RunReports.plural(gates.size(), "quality gate") + " failed**"
                : "**✓ " + (gates.size() == 1 ? "The quality gate" : "All " + gates.size() + " quality gates") + " passed**").append("\n\n");
        md.append("| result | gate | scope | metric | figure | value | bound |\n|---|---|---|---|---|---:|---:|\n");
        List<GateResult> ordered = GateHtml.failedFirst(gates);
        ordered.stream().limit(GATE_LIMIT).forEach(g -> md.append("| ").append(g.passed() ? "✓ passed" : "**✗ failed**").append(" | ")
                .append(cell(GateHtml.kindLabel(g.kind()))).append(" | ").append(cell(String.valueOf(g.scope()))).append(" | ")
                .append(g.metric() == null ? GateHtml.everyMetric(g, gates) : cell(g.metric())).append(" | ").append(cell(g.figure())).append(" | ")
                .append(cell(g.valueText())).append(" | ").append(cell(g.boundText())).append(" |\n"));
        if (ordered.size() > GATE_LIMIT) {
            md.append("\n… and ").append(ordered.size() - GATE_LIMIT).append(" more gates in the full report\n");
        }
        md.append('\n');
    }

    /** Which run: its id, the commit, the judge models and the baseline. */
    private static void run(StringBuilder md, RunReport report) {
        RunReport.RunInfo run = report.run();
        List<String> parts = new ArrayList<>();
        if (run.id() != null) {
            parts.add("run `" + code(run.id()) + "`");
        }
        parts.add(run.commit() == null ? "commit unknown" : "commit `" + code(run.commit()) + "`");
        List<String> judges = report.judgeModels();
        parts.add(judges.isEmpty() ? "no judge gave a verdict" : (judges.size() == 1 ? "judge " : "judges ") + cell(String.join(", ", judges)));
        parts.add(report.baseline() == null ? "baseline: none" : "baseline `" + code(report.baseline().file()) + "`");
        md.append(String.join(" · ", parts)).append("\n\n");
    }

    private static void metrics(StringBuilder md, RunReport report) {
        if (report.metrics().isEmpty()) {
            return;
        }
        md.append("| metric | checks | passed | failed | errors | mean | p90 | pass rate | skipped |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, MetricStats> e : new TreeMap<>(report.metrics()).entrySet()) {
            MetricStats s = e.getValue();
            md.append("| ").append(cell(e.getKey())).append(" | ").append(s.count()).append(" | ").append(s.passed()).append(" | ")
                    .append(s.failed()).append(" | ").append(s.errors()).append(" | ").append(fixed(s.mean())).append(" | ")
                    .append(fixed(s.p90())).append(" | ").append(percent(s.passRate())).append(" | ").append(s.skipped()).append(" |\n");
        }
        md.append('\n');
    }

    private static void failures(StringBuilder md, List<ReportRow> rows) {
        List<ReportRow> bad = rows.stream().filter(r -> ReportRow.FAILED.equals(r.outcome()) || ReportRow.ERROR.equals(r.outcome())).toList();
        if (bad.isEmpty()) {
            return;
        }
        md.append("### Below threshold or in error\n\n");
        bad.stream().limit(LIST_LIMIT).forEach(r -> {
            md.append("- **").append(r.outcome()).append("** ").append(cell(r.metric()));
            if (r.score() != null) {
                // A check failed for being unstable (on-unstable=fail) may have a median that meets its threshold.
                md.append(' ').append(r.scoreText()).append(RunReports.belowThreshold(r) ? " < " + r.thresholdText()
                        : " ≥ " + r.thresholdText() + ", unstable (samples " + r.samplesText() + ")");
            }
            md.append(" — ").append(testName(r));
            String why = r.score() != null ? r.justification() : r.errorMessage();
            if (why != null) {
                md.append(": ").append(cell(Texts.oneLine(Secrets.redact(why), 160)));
            }
            md.append('\n');
        });
        more(md, bad.size());
    }

    /** The checks not judged, with their reason: never a pass, never a failure. */
    private static void skipped(StringBuilder md, List<ReportRow> rows) {
        List<ReportRow> skipped = rows.stream().filter(ReportRow::skipped).toList();
        if (skipped.isEmpty()) {
            return;
        }
        md.append("### Skipped, not judged: ").append(skipped.size()).append("\n\n");
        skipped.stream().limit(LIST_LIMIT).forEach(r -> md.append("- ").append(cell(r.metric())).append(" — ").append(testName(r))
                .append(r.errorMessage() == null ? "" : ": " + cell(Texts.oneLine(Secrets.redact(r.errorMessage()), 160))).append('\n'));
        more(md, skipped.size());
    }

    /** The checks whose samples fell on both sides of their threshold. */
    private static void unstable(StringBuilder md, List<ReportRow> rows) {
        List<ReportRow> unstable = rows.stream().filter(ReportRow::unstable).toList();
        if (unstable.isEmpty()) {
            return;
        }
        md.append("### Unstable: samples on both sides of the threshold\n\n");
        unstable.stream().limit(LIST_LIMIT).forEach(r -> md.append("- **").append(r.outcome()).append("** ").append(cell(r.metric()))
                .append(" samples ").append(r.samplesText())
                .append(", threshold ").append(r.thresholdText()).append(" — ")
                .append(testName(r)).append('\n'));
        more(md, unstable.size());
    }

    /** The pairwise comparisons' wins, ties and losses, then each loss with both answers. */
    private static void pairwise(StringBuilder md, List<ReportRow> rows) {
        PairwiseRows comparisons = PairwiseRows.of(rows);
        if (comparisons.rows().isEmpty()) {
            return;
        }
        md.append("### Pairwise comparisons: ").append(comparisons.tally()).append("\n\n");
        List<ReportRow> losses = comparisons.rows().stream().filter(r -> PairwiseRows.preference(r) == PairwiseJudgement.Preference.LOSS).toList();
        losses.stream().limit(LIST_LIMIT).forEach(r -> md.append("- **loss** ").append(cell(r.metric())).append(" — ").append(testName(r))
                .append(": candidate ").append(quoted(r.answer())).append(" · reference ").append(quoted(r.groundTruth())).append('\n'));
        if (!losses.isEmpty()) {
            more(md, losses.size());
        }
    }

    private static String quoted(String text) {
        return text == null ? "(none)" : "\u201c" + cell(Texts.oneLine(Secrets.redact(text), 120)) + "\u201d";
    }

    private static void baseline(StringBuilder md, RunReport.BaselineComparison baseline) {
        if (baseline == null) {
            return;
        }
        List<RunReport.ScoreChange> drops = Baseline.dropsOfAtLeast(baseline.changes(), 1);
        md.append("### Against the baseline: ").append(baseline.changes().size()).append(" changed, ")
                .append(drops.size()).append(drops.size() == 1 ? " drop" : " drops").append(", ")
                .append(baseline.newCases().size()).append(" new, ").append(baseline.goneCases().size()).append(" gone\n\n");
        drops.stream().limit(LIST_LIMIT).forEach(c -> md.append("- ").append(cell(c.metric())).append(' ').append(c.before())
                .append(" → ").append(c.after()).append(" — ").append(cell(c.testName() == null ? c.caseId() : c.testName()))
                .append(c.answerChanged() ? ": was “" + cell(Texts.oneLine(c.answerBefore(), 80)) + "”, now “" + cell(Texts.oneLine(c.answerAfter(), 80)) + "”"
                        : ": same answer, judged again")
                .append('\n'));
        more(md, drops.size());
    }

    /**
     * What a reviewer approves in the pull request: the verdict files this run recorded (judged now
     * and written), and the cases whose score or answer changed against the baseline, each with its file.
     */
    private static void verdictsToReview(StringBuilder md, RunReport report) {
        Map<String, RunReport.ScoreChange> changes = new LinkedHashMap<>();
        if (report.baseline() != null) {
            report.baseline().changes().forEach(c -> changes.putIfAbsent(c.caseId(), c));
        }
        List<String> items = new ArrayList<>();
        int recorded = 0;
        Set<String> changedListed = new HashSet<>();
        for (ReportRow r : report.rows()) {
            boolean now = Boolean.FALSE.equals(r.cached()) && r.cacheFile() != null;
            String caseId = CaseIds.of(r);
            // A case checked more than once in the run shows its change once.
            RunReport.ScoreChange change = changes.containsKey(caseId) && changedListed.add(caseId) ? changes.get(caseId) : null;
            if (now || change != null) {
                recorded += now ? 1 : 0;
                items.add(reviewItem(r, now, change));
            }
        }
        int changed = changedListed.size();
        if (items.isEmpty()) {
            return;
        }
        md.append("### Verdicts to review: ").append(RunReports.plural(recorded, "verdict")).append(" recorded by this run, ")
                .append(changed).append(" changed against the baseline\n\n");
        items.stream().limit(LIST_LIMIT).forEach(item -> md.append("- ").append(item).append('\n'));
        more(md, items.size());
    }

    private static String reviewItem(ReportRow r, boolean recordedNow, RunReport.ScoreChange change) {
        StringBuilder item = new StringBuilder(r.cacheFile() == null ? "(no verdict file)" : "`" + code(r.cacheFile()) + "`").append(" — ");
        List<String> why = new ArrayList<>();
        if (recordedNow) {
            why.add("recorded now");
        }
        if (change != null) {
            why.add("changed " + (change.before() == null ? "no score" : change.before()) + " → " + (change.after() == null ? "no score" : change.after())
                    + (change.answerChanged() ? ", new answer" : ", same answer"));
        }
        item.append(String.join(", ", why)).append(" · ").append(cell(r.metric()));
        if (r.score() != null) {
            item.append(' ').append(r.score()).append(r.threshold() == null ? "" : " (threshold " + r.threshold() + ")");
        }
        return item.append(" — ").append(testName(r)).toString();
    }

    /** The verdict files no check read, and whether they were deleted. */
    private static void unused(StringBuilder md, VerdictFiles files) {
        if (files.unused().isEmpty()) {
            return;
        }
        md.append("### Verdicts no longer used: ").append(files.unused().size()).append(files.deleted() ? ", deleted" : "").append("\n\n");
        if (files.note() != null) {
            md.append(cell(files.note())).append("\n\n");
        }
        files.unused().stream().limit(LIST_LIMIT).forEach(f -> md.append("- `").append(code(f)).append("`\n"));
        more(md, files.unused().size());
    }

    private static String testName(ReportRow r) {
        return cell(r.testName() == null ? "(outside a test)" : r.testName());
    }

    /** Text inside a Markdown code span: one line, without backticks. */
    static String code(String text) {
        return text.replaceAll("\\s+", " ").replace("`", "'");
    }

    /** A link target that cannot end the link early. */
    private static String linkTarget(String url) {
        return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20");
    }

    /** Ends a list of {@code size} items, of which the first {@value #LIST_LIMIT} are listed. */
    private static void more(StringBuilder md, int size) {
        if (size > LIST_LIMIT) {
            md.append("- … and ").append(size - LIST_LIMIT).append(" more in the full report\n");
        }
        md.append('\n');
    }

    /** Writes the summary to {@code file} atomically. */
    public static void write(RunReport report, Path html, Path file) throws IOException {
        AtomicFiles.write(file, render(report, html).getBytes(StandardCharsets.UTF_8));
    }

    /** Two decimals, cut as the page writes them ({@link Figures}); {@code NaN} (no scored check) as a dash. */
    static String fixed(double v) {
        return Double.isNaN(v) ? "–" : Figures.decimal(v);
    }

    /** A pass rate as the page writes it, never rounded up to 100% past a failure ({@link Figures}). */
    static String percent(double v) {
        return Double.isNaN(v) ? "–" : Figures.percent(v);
    }

    /** Text safe inside a Markdown table cell or list item: one line, pipes and markup escaped. */
    static String cell(String text) {
        return text.replaceAll("\\s+", " ").replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
                .replace("*", "\\*").replace("_", "\\_").replace("`", "\\`").replace("[", "\\[");
    }
}
