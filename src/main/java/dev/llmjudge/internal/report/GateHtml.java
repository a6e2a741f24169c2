package dev.llmjudge.internal.report;

import static dev.llmjudge.internal.report.HtmlReportWriter.block;
import static dev.llmjudge.internal.report.HtmlReportWriter.identifier;
import static dev.llmjudge.internal.report.HtmlReportWriter.integer;
import static dev.llmjudge.internal.report.HtmlReportWriter.metricName;
import static dev.llmjudge.internal.report.HtmlReportWriter.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.owasp.encoder.Encode;

/** The report page's account of the quality gates: the status line at the top, and every gate evaluated, failed ones first. */
final class GateHtml {
    private static final Map<String, String> KINDS = Map.of(GateResult.CLASS, "class", GateResult.DATASET, "dataset",
            GateResult.RUN_WIDE, "run-wide", GateResult.MAX_DROP, "baseline drop", GateResult.PAIRWISE_BASELINE, "no worse than baseline",
            GateResult.UNATTACHED_CHECKS, "checks on the tests' threads");
    /** A gate message's opening, which the table's columns already say. */
    private static final Pattern OPENING = Pattern.compile("^quality gate (?:passed|failed) for [^:]*: ");

    private GateHtml() {
    }

    /** How a gate's kind reads, e.g. {@code baseline drop}; a kind this version does not know, as it is. */
    static String kindLabel(String kind) {
        return KINDS.getOrDefault(kind, String.valueOf(kind).toLowerCase(Locale.ROOT).replace('_', ' '));
    }

    /**
     * What a gate over no one metric ({@code metric} {@code null}) bounds, as the report says it: {@code every metric}, or
     * {@code every other metric} for a class-wide drop bound beside a drop bound of a metric's own in the same scope, which
     * gates that metric in its place.
     */
    static String everyMetric(GateResult gate, List<GateResult> gates) {
        boolean beside = GateResult.MAX_DROP.equals(gate.kind()) && gates.stream().anyMatch(g -> gate.kind().equals(g.kind())
                && g.metric() != null && Objects.equals(gate.scope(), g.scope()) && Objects.equals(gate.testId(), g.testId()));
        return beside ? "every other metric" : "every metric";
    }

    /** The gates, failed ones first, each in the order they were evaluated. */
    static List<GateResult> failedFirst(List<GateResult> gates) {
        return gates.stream().sorted(Comparator.comparing(GateResult::passed)).toList();
    }

    /** The line that says first whether the judged quality held: the gates, then the checks below threshold and the judge errors. */
    static void status(StringBuilder out, RunReport report) {
        List<GateResult> gates = report.gates();
        int failed = report.failedGates().size();
        RunReport.Totals t = report.totals();
        boolean bad = failed > 0 || t.belowThreshold() > 0 || t.errors() > 0;
        List<String> parts = new ArrayList<>();
        if (gates.isEmpty()) {
            parts.add("No quality gate was evaluated");
        } else if (failed > 0) {
            parts.add("\u2717 " + integer(failed) + " of " + integer(gates.size()) + (gates.size() == 1 ? " quality gate" : " quality gates") + " failed");
        } else {
            parts.add("\u2713 " + (gates.size() == 1 ? "the quality gate" : "all " + integer(gates.size()) + " quality gates") + " passed");
        }
        parts.add(integer(t.belowThreshold()) + (t.belowThreshold() == 1 ? " check" : " checks") + " below threshold");
        parts.add(integer(t.errors()) + (t.errors() == 1 ? " judge error" : " judge errors"));
        if (t.skipped() > 0) {
            parts.add(integer(t.skipped()) + " skipped");
        }
        out.append("<p class=\"status ").append(bad ? "bad" : "good").append("\" id=\"status\">").append(String.join(" \u00b7 ", parts))
                .append("</p>\n");
    }

    /** Every gate evaluated, failed ones first, each with its figure, bound and message. */
    static void section(StringBuilder out, List<GateResult> gates) {
        out.append("<section id=\"gates-section\">\n<h2>Quality gates</h2>\n");
        if (gates.isEmpty()) {
            out.append("<p class=\"note\">No quality gate was evaluated in this run: declare @QualityGate on a class or dataset test,"
                    + " or set llmjudge.gate.&lt;metric&gt;.min-mean, min-pass-rate or llmjudge.gate.max-drop.</p>\n</section>\n");
            return;
        }
        out.append("<div class=\"scroll\"><table class=\"gates\" id=\"gates\">\n<thead><tr><th>Result</th><th>Gate</th><th>Scope</th>")
                .append("<th>Metric</th><th>Figure</th><th class=\"num\">Value</th><th class=\"num\">Bound</th><th>Details</th></tr></thead>\n<tbody>\n");
        for (GateResult g : failedFirst(gates)) {
            out.append("<tr class=\"gate ").append(g.passed() ? "passed" : "failed").append("\" data-kind=\"").append(Encode.forHtml(g.kind()))
                    .append("\" data-passed=\"").append(g.passed()).append("\"").append(g.testId() == null ? "" : " title=\"" + Encode.forHtml(g.testId()) + "\"")
                    .append("><td class=\"result\"><span class=\"badge\">").append(g.passed() ? "\u2713 passed" : "\u2717 failed")
                    .append("</span></td><td class=\"kind\">").append(text(kindLabel(g.kind()))).append("</td><td class=\"scope\">")
                    .append(identifier(String.valueOf(g.scope()))).append("</td><td class=\"metric\">")
                    .append(g.metric() == null ? "<span class=\"none\">" + everyMetric(g, gates) + "</span>" : metricName(g.metric())).append("</td><td class=\"figure\">")
                    .append(text(g.figure())).append("</td><td class=\"num value\">").append(text(g.valueText())).append("</td><td class=\"num bound\">")
                    .append(text(g.boundText())).append("</td><td class=\"text details\">")
                    .append(g.message() == null ? HtmlReportWriter.NONE : block(OPENING.matcher(g.message()).replaceFirst(""))).append("</td></tr>\n");
        }
        out.append("</tbody>\n</table></div>\n</section>\n");
    }
}
