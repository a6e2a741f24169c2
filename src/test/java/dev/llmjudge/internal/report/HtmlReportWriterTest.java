package dev.llmjudge.internal.report;

import org.owasp.encoder.Encode;
import dev.llmjudge.judge.EvaluationCase;
import static dev.llmjudge.internal.report.ReportFixtures.ATTRIBUTE_PAYLOAD;
import static dev.llmjudge.internal.report.ReportFixtures.ERROR_PAYLOAD;
import static dev.llmjudge.internal.report.ReportFixtures.METRIC_PAYLOAD;
import static dev.llmjudge.internal.report.ReportFixtures.SCRIPT_PAYLOAD;
import static dev.llmjudge.internal.report.ReportFixtures.SINGLE_QUOTE_PAYLOAD;
import static dev.llmjudge.internal.report.ReportFixtures.URL_PAYLOAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportWriterTest {

    private static final String DASH = "<span class=\"none\">\u2014</span>";

    @TempDir
    Path dir;

    // --- rows

    @Test
    void should_render_every_row_in_order() {
        RunReport report = ReportFixtures.mixedRun();

        String html = HtmlReportWriter.render(report);

        List<String> rows = caseRows(html);
        assertThat(rows).hasSize(report.rows().size());
        for (int i = 0; i < rows.size(); i++) {
            ReportRow r = report.rows().get(i);
            assertThat(rows.get(i)).contains("data-outcome=\"" + r.outcome() + "\"", Encode.forHtml(r.testName()), Encode.forHtml(r.answer()));
        }
    }

    @Test
    void should_group_the_digits_of_whole_numbers_as_the_page_always_has() {
        for (long n : new long[] {0, 7, 999, 1_000, 1_534, 12_345_678, -4_321, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertThat(HtmlReportWriter.integer(n)).as("%d", n).isEqualTo(String.format(Locale.ROOT, "%,d", n));
        }
        assertThat(HtmlReportWriter.integer(1_234_567)).isEqualTo("1,234,567");
    }

    @Test
    void should_show_score_out_of_max_threshold_source_latency_and_tokens() {
        String row = rowOf(HtmlReportWriter.render(ReportFixtures.mixedRun()), "SupportBotTest &gt; shipping abroad");

        assertThat(cell(row, "score")).isEqualTo("2/5");
        assertThat(cell(row, "threshold")).isEqualTo("\u2265\u00a04");
        assertThat(row).contains("data-score=\"2\"", "judged<span class=\"sub\">judge-test-model</span>", "1,534\u00a0ms",
                "title=\"455 prompt + 141 completion\">596\u00a0tokens", "<span class=\"label\">Question</span>",
                "<span class=\"t\" dir=\"auto\">Do you ship to Canada?</span>", "<span class=\"label\">Ground truth</span>",
                "\u2717 failed");
    }

    @Test
    void should_start_long_texts_collapsed_with_the_full_text_inside() {
        String row = rowOf(HtmlReportWriter.render(ReportFixtures.mixedRun()), "SupportBotTest &gt; shipping abroad");

        assertThat(cell(row, "text justification")).startsWith("<div class=\"long\"><span class=\"t preview\" dir=\"auto\">The answer contradicts")
                .contains("<details><summary>show all 505 characters</summary>", "the one fact the question asks about is wrong.\n\nScore: 2.");
        assertThat(cell(row, "text answer")).doesNotContain("<details>");
    }

    @Test
    void should_cut_a_preview_between_characters_never_inside_one() {
        String emoji = "\ud83d\ude00".repeat(400);

        String block = HtmlReportWriter.block(emoji);

        assertThat(new String(block.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(block);
        assertThat(block).contains("\ud83d\ude00".repeat(160) + "\u2026</span>", "show all 400 characters");
    }

    // --- escaping

    @Test
    void should_escape_a_script_tag_in_every_field() {
        String html = HtmlReportWriter.render(ReportFixtures.mixedRun());

        assertThat(html).doesNotContain(SCRIPT_PAYLOAD, "<script>window")
                .contains("&lt;script&gt;window.__pwned=1;document.title=&#39;pwned&#39;&lt;/script&gt;")
                .contains("Hostile &lt;b&gt;test&lt;/b&gt; name &lt;script&gt;");
        assertThat(count(html, "<script")).as("only the page's own script").isEqualTo(1);
    }

    @Test
    void should_escape_quotes_so_no_payload_leaves_text_or_an_attribute() {
        String html = HtmlReportWriter.render(ReportFixtures.mixedRun());

        assertThat(html).doesNotContain(ATTRIBUTE_PAYLOAD, SINGLE_QUOTE_PAYLOAD, METRIC_PAYLOAD, ERROR_PAYLOAD, "<img")
                .contains("&#34;&gt;&lt;img src=x onerror=&#34;window.__pwned=2;document.title=&#39;pwned&#39;&#34;&gt;")
                .contains("x&#39; onmouseover=&#39;window.__pwned=4")
                .contains("data-metric=\"tone&#34;&gt;&lt;script&gt;window.__pwned=5&lt;/script&gt;\"")
                .contains("value=\"tone&#34;&gt;&lt;script&gt;window.__pwned=5&lt;/script&gt;\" checked>")
                .contains("the judge replied without a score: &lt;img src=x onerror=alert(1)&gt;");
        assertThat(tags(html)).noneMatch(tag -> tag.matches("(?s).*\\son[a-z]+\\s*=.*")).noneMatch(tag -> tag.startsWith("<img"));
    }

    @Test
    void should_never_turn_data_into_a_link_or_a_source() {
        String html = HtmlReportWriter.render(ReportFixtures.mixedRun());

        assertThat(html).contains(URL_PAYLOAD);
        assertThat(tags(html)).noneMatch(tag -> tag.contains(" href=") || tag.contains(" src=") || tag.startsWith("<a ")
                || tag.startsWith("<link") || tag.startsWith("<iframe") || tag.startsWith("<object"));
    }

    // --- self-contained

    @Test
    void should_load_nothing_and_allow_only_its_own_style_and_script() throws Exception {
        String html = HtmlReportWriter.render(ReportFixtures.mixedRun());

        String style = between(html, "<style>", "</style>");
        String script = between(html, "<script>", "</script>");
        assertThat(html).contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;"
                + hash(style) + "&#39;; script-src &#39;" + hash(script) + "&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;\">");
        assertThat(style).doesNotContain("url(", "@import", "@font-face");
        assertThat(script).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "fetch(", "XMLHttpRequest");
        assertThat(html).doesNotContainPattern("https?://(?!127\\.0\\.0\\.1:9/v1)");
    }

    // --- aggregates

    @Test
    void should_show_nan_aggregates_as_a_dash() {
        MetricStats empty = new MetricStats("never_scored", 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, 0);
        RunReport errors = ReportFixtures.errorsOnly();
        Map<String, MetricStats> metrics = Map.of("answer_similarity", errors.metrics().get("answer_similarity"), "never_scored", empty);
        RunReport report = ReportFixtures.reportOf(RunReport.SCHEMA_VERSION, "now", errors.rows(), metrics, null, errors.totals());

        String html = HtmlReportWriter.render(report);

        assertThat(html).doesNotContain("NaN");
        assertThat(metricCells(html, "answer_similarity")).containsExactly("2", DASH, DASH, DASH, DASH, DASH, DASH, "0%", "0", "0", "2", "0");
        assertThat(metricCells(html, "never_scored")).containsExactly("0", DASH, DASH, DASH, DASH, DASH, DASH, DASH, "0", "0", "0", "0");
    }

    @Test
    void should_show_metric_aggregates_with_two_decimals() {
        String html = HtmlReportWriter.render(ReportFixtures.mixedRun());

        assertThat(metricCells(html, "answer_similarity")).containsExactly("3", "3.66", "1.55", "4.80", "4.00", "2.00", "5.00", "66.6%", "2", "1", "0", "0");
    }

    @Test
    void should_show_run_totals() {
        String html = HtmlReportWriter.render(ReportFixtures.mixedRun());

        assertThat(html).contains("<dt>Checks</dt><dd>12</dd>", "<dt>Verdicts</dt><dd>10</dd>", "<dt>Cached</dt><dd>4</dd>",
                "<dt>Judged</dt><dd>6</dd>", "<div class=\"bad\"><dt>Below threshold</dt><dd>2</dd>", "<div class=\"bad\"><dt>Errors</dt><dd>2</dd>",
                "<dt>Tokens</dt><dd>4,067</dd>", "<dt>Estimated cost</dt><dd>~$0.0123</dd>");
        assertThat(HtmlReportWriter.render(ReportFixtures.errorsOnly())).contains("<dt>Estimated cost</dt><dd>unknown</dd>");
    }

    // --- errors

    @Test
    void should_show_an_error_with_reason_and_message_and_no_score() {
        String row = rowOf(HtmlReportWriter.render(ReportFixtures.mixedRun()), "RagTest &gt; opening hours");

        assertThat(row).contains("data-outcome=\"ERROR\"", "data-score=\"\"", "\u26a0 error");
        assertThat(cell(row, "score")).isEqualTo(DASH);
        assertThat(cell(row, "text justification")).isEqualTo("<span class=\"label\">No verdict</span><span class=\"error-reason\">NETWORK</span>"
                + "<span class=\"label\">Message</span><span class=\"t\" dir=\"auto\">cannot reach the judge at http://127.0.0.1:9/v1"
                + " (ConnectException: Connection refused): start the server or point OPENAI_BASE_URL at a reachable endpoint</span>");
        assertThat(row).doesNotContain("/5", "cached", "judged");
    }

    @Test
    void should_render_a_row_with_nothing_but_outcome_and_metric() {
        ReportRow bare = RowBuilder.row().withTestId(null).withTestName(null).withCaseKey(null).withMetric("custom")
                .errored(null, null).withThreshold(null).withQuestion(null).withAnswer(null).withGroundTruth(null).build();
        RunReport report = ReportFixtures.reportOf(RunReport.SCHEMA_VERSION, "now", List.of(bare), Map.of(), null,
                new RunReport.Totals(0, 0, 0, 0, 1, 0, 0, null, 0, 0));

        String html = HtmlReportWriter.render(report);

        assertThat(caseRows(html)).hasSize(1);
        assertThat(html).contains("<span class=\"error-reason\">ERROR</span>", "No metric was judged in this run.");
    }

    // --- baseline

    @Test
    void should_list_baseline_changes_with_both_answers_and_justifications_and_highlight_drops() {
        String html = HtmlReportWriter.render(ReportFixtures.mixedRun());

        assertThat(html).contains("Baseline baseline/report.json: 3 cases changed, 1 drop, 1 new, 1 gone.",
                "<tr class=\"change drop\" title=\"c0ffee01\"><td class=\"metric\">answer_similarity</td><td class=\"test\">SupportBotTest &gt; shipping abroad"
                        + "</td><td class=\"num\">5</td><td class=\"num\">2</td><td class=\"delta\">\u25bc down by 3</td>"
                        + "<td class=\"text answer-before\"><span class=\"t\" dir=\"auto\">We ship to 40 countries.</span></td>"
                        + "<td class=\"text answer-after\"><span class=\"t\" dir=\"auto\">We ship everywhere.</span></td>"
                        + "<td class=\"text justification-before\"><span class=\"t\" dir=\"auto\">Same meaning.</span></td>"
                        + "<td class=\"text justification-after\"><span class=\"t\" dir=\"auto\">Claims more than the ground truth.</span></td></tr>",
                "<tr class=\"change rise\" title=\"c0ffee02\">", "<td class=\"text answer-after\"><span class=\"note\">same answer</span></td>",
                "<td class=\"num\">no score</td><td class=\"num\">1</td><td class=\"delta\">now scored</td>",
                "<h3>New in this run (1)</h3>", "SupportBotTest &gt; new case", "<h3>Gone since the baseline (1)</h3>",
                "SupportBotTest &gt; removed case");
    }

    @Test
    void should_put_the_rows_of_changed_cases_first_largest_drop_first_then_the_other_changes_then_the_rest_in_their_order() {
        List<ReportRow> now = List.of(judged("A", 4), judged("C", 4), judged("B", 4), judged("D", 2), judged("E", 5), judged("C", 4));
        List<ReportRow> before = List.of(judged("A", 4), judged("B", 3), judged("C", 5), judged("D", 5), judged("E", 5));
        RunReport report = ReportFixtures.report(now, Baseline.compare(now, before, "baseline/report.json"), null);

        List<String> order = caseRows(HtmlReportWriter.render(report)).stream()
                .map(row -> Stream.of("A", "B", "C", "D", "E").filter(t -> row.contains(">BaselineTest." + t + "<")).findFirst().orElseThrow())
                .toList();

        assertThat(order).containsExactly("D", "C", "C", "B", "A", "E");
    }

    private static ReportRow judged(String test, int score) {
        return ReportFixtures.scored(score >= 3 ? ReportRow.PASSED : ReportRow.FAILED, "BaselineTest." + test, "answer_similarity",
                EvaluationCase.ofAnswer("The answer of " + test + ".").withGroundTruth("The reference."), score, 3, true, 0, 0, 0,
                "Scored " + score + ".", "judge-test-model");
    }

    @Test
    void should_leave_out_the_baseline_section_without_changes() {
        assertThat(HtmlReportWriter.render(ReportFixtures.errorsOnly())).doesNotContain("id=\"baseline\"", "Changes against the baseline");
    }

    // --- writing

    @Test
    void should_write_atomically_creating_parent_directories_and_replacing_an_old_report() throws IOException {
        Path file = dir.resolve("target/llm-judge/report.html");
        HtmlReportWriter.write(ReportFixtures.errorsOnly(), file);
        RunReport report = ReportFixtures.mixedRun();

        HtmlReportWriter.write(report, file);

        assertThat(file).hasContent(HtmlReportWriter.render(report));
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void should_leave_no_temporary_file_when_the_report_cannot_be_written() throws IOException {
        Path file = dir.resolve("report.html");
        Files.createDirectories(file.resolve("occupied"));

        assertThatThrownBy(() -> HtmlReportWriter.write(ReportFixtures.mixedRun(), file)).isInstanceOf(IOException.class);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        assertThat(file.resolve("occupied")).isDirectory();
    }

    // --- helpers

    private static List<String> caseRows(String html) {
        List<String> rows = new ArrayList<>();
        Matcher m = Pattern.compile("(?s)<tr class=\"case .*?</tr>").matcher(html);
        while (m.find()) {
            rows.add(m.group());
        }
        return rows;
    }

    private static String rowOf(String html, String escapedTestName) {
        return caseRows(html).stream().filter(r -> r.contains(">" + escapedTestName)).findFirst().orElseThrow();
    }

    /** The content of the row's cell with exactly this class. */
    private static String cell(String row, String cssClass) {
        Matcher m = Pattern.compile("(?s)<td class=\"(?:num )?" + Pattern.quote(cssClass) + "\">(.*?)</td>\n").matcher(row);
        assertThat(m.find()).as("cell " + cssClass + " in " + row).isTrue();
        return m.group(1);
    }

    private static List<String> metricCells(String html, String metric) {
        String table = between(html, "<table class=\"stats\"", "</table>");
        Matcher row = Pattern.compile("<tr><td class=\"metric\">" + Pattern.quote(metric) + "</td>(.*?)</tr>").matcher(table);
        assertThat(row.find()).as(metric).isTrue();
        List<String> cells = new ArrayList<>();
        Matcher cell = Pattern.compile("<td class=\"num\">(.*?)</td>").matcher(row.group(1));
        while (cell.find()) {
            cells.add(cell.group(1));
        }
        return cells;
    }

    /** Every tag of the page; since all data is escaped, each one was written by the writer itself. */
    private static List<String> tags(String html) {
        List<String> tags = new ArrayList<>();
        String markup = html.replace(between(html, "<script>", "</script>"), "").replace(between(html, "<style>", "</style>"), "");
        Matcher m = Pattern.compile("<[^>]*>").matcher(markup);
        while (m.find()) {
            tags.add(m.group());
        }
        return tags;
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String hash(String inline) throws Exception {
        return "sha256-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(inline.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void should_estimate_the_cost_of_a_call_made_in_this_run_when_the_model_has_a_price() {
        EvaluationCase c = EvaluationCase.ofAnswer("Yes.").withGroundTruth("Yes, we do.");
        RunReport report = ReportFixtures.report(List.of(
                ReportFixtures.scored(ReportRow.PASSED, "T > now", "answer_similarity", c, 5, 4, false, 800, 1_000, 200, "Same.", "gpt-4.1"),
                ReportFixtures.scored(ReportRow.PASSED, "T > recorded", "answer_similarity", c, 5, 4, true, 800, 1_000, 200, "Same.", "gpt-4.1"),
                ReportFixtures.scored(ReportRow.PASSED, "T > unknown", "answer_similarity", c, 5, 4, false, 800, 1_000, 200, "Same.",
                        "llama3.1")), null, null);

        String html = HtmlReportWriter.render(report);

        // gpt-4.1: 1,000 x $2.00 + 200 x $8.00 per million tokens = $0.0036
        assertThat(rowOf(html, "T &gt; now")).contains("<span class=\"sub cost\">~$0.0036</span>");
        assertThat(rowOf(html, "T &gt; recorded")).doesNotContain("sub cost");
        assertThat(rowOf(html, "T &gt; unknown")).doesNotContain("sub cost");
    }
}
