package dev.llmjudge.internal.report;

import dev.llmjudge.internal.Texts;
import dev.llmjudge.internal.AtomicFiles;
import dev.llmjudge.internal.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The short Markdown summary of a run ({@code summary.md}), fit for a CI job summary such as {@code GITHUB_STEP_SUMMARY}. */
public final class MarkdownSummary {
    /** At most this many failing checks and drops are listed; the HTML report has them all. */
    public static final int LIST_LIMIT = 10;

    private MarkdownSummary() {
    }

    /** Renders the summary; {@code html} is the full report it points to. */
    public static String render(RunReport report, Path html) {
        RunReport.Totals t = report.totals();
        StringBuilder md = new StringBuilder();
        md.append("## LLM judge: ").append(RunReports.plural(t.verdicts(), "verdict")).append(", ")
                .append(String.format(Locale.ROOT, "%,d", t.belowThreshold())).append(" below threshold").append(RunReports.unstable(t))
                .append(", ").append(RunReports.plural(t.errors(), "error")).append("\n\n");
        md.append(String.format(Locale.ROOT, "%,d recorded, %,d judged in this run · %,d tokens · %s%n%n", t.cached(), t.judged(),
                t.tokens(), RunReports.cost(t.estimatedCostUsd())));
        for (RunReport.Warning w : report.warnings()) {
            md.append("> **Warning:** ").append(cell(Secrets.redact(w.message()))).append("\n\n");
        }
        if (!report.metrics().isEmpty()) {
            md.append("| metric | checks | passed | failed | errors | mean | p90 | pass rate |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Map.Entry<String, MetricStats> e : new TreeMap<>(report.metrics()).entrySet()) {
                MetricStats s = e.getValue();
                md.append("| ").append(cell(e.getKey())).append(" | ").append(s.count()).append(" | ").append(s.passed()).append(" | ")
                        .append(s.failed()).append(" | ").append(s.errors()).append(" | ").append(fixed(s.mean())).append(" | ")
                        .append(fixed(s.p90())).append(" | ").append(percent(s.passRate())).append(" |\n");
            }
            md.append('\n');
        }
        List<ReportRow> bad = report.rows().stream().filter(r -> !"PASSED".equals(r.outcome())).toList();
        if (!bad.isEmpty()) {
            md.append("### Below threshold or in error\n\n");
            bad.stream().limit(LIST_LIMIT).forEach(r -> {
                md.append("- **").append(r.outcome()).append("** ").append(cell(r.metric()));
                if (r.score() != null) {
                    md.append(' ').append(r.scoreText()).append(" < ").append(r.threshold());
                }
                md.append(" — ").append(cell(r.testName() == null ? "(outside a test)" : r.testName()));
                String why = r.score() != null ? r.justification() : r.errorMessage();
                if (why != null) {
                    md.append(": ").append(cell(Texts.oneLine(Secrets.redact(why), 160)));
                }
                md.append('\n');
            });
            more(md, bad.size());
        }
        List<ReportRow> unstable = report.rows().stream().filter(ReportRow::unstable).toList();
        if (!unstable.isEmpty()) {
            md.append("### Unstable: samples on both sides of the threshold\n\n");
            unstable.stream().limit(LIST_LIMIT).forEach(r -> md.append("- **").append(r.outcome()).append("** ").append(cell(r.metric()))
                    .append(" samples ").append(r.samplesText())
                    .append(", threshold ").append(r.threshold()).append(" — ")
                    .append(cell(r.testName() == null ? "(outside a test)" : r.testName())).append('\n'));
            more(md, unstable.size());
        }
        RunReport.BaselineComparison baseline = report.baseline();
        if (baseline != null) {
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
        CalibrationMarkdown.section(md, report.calibrations());
        md.append("Full report: `").append(html).append("`\n");
        return md.toString();
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

    static String fixed(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    static String percent(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    /** Text safe inside a Markdown table cell or list item: one line, pipes and markup escaped. */
    static String cell(String text) {
        return text.replaceAll("\\s+", " ").replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
                .replace("*", "\\*").replace("_", "\\_").replace("`", "\\`").replace("[", "\\[");
    }
}
