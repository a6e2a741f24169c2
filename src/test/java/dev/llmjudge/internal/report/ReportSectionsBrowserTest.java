package dev.llmjudge.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmjudge.testsupport.ChromiumPage;
import dev.llmjudge.testsupport.HeadlessChromium;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sections a reviewer reads first, opened in Debian's headless Chromium: the run's facts and
 * the gates at the top, the aggregates per class and per dataset, skipped rows, the charts, the
 * baseline's changes first, readable test names. Skipped without Chromium, failed under {@code CI=true}.
 */
class ReportSectionsBrowserTest {

    private static final String VISIBLE_ROWS = "[...document.querySelectorAll('#cases tbody tr')].filter(r => r.getClientRects().length > 0)";

    private static final RunReport report = ReportFixtures.reviewRun();

    @RegisterExtension
    static final ChromiumPage page = ReportFixtures.inChromium(report);

    private static HeadlessChromium browser;
    private static String reportUrl;

    @BeforeEach
    void openPage() throws IOException, InterruptedException {
        browser = page.browser();
        reportUrl = page.url();
        browser.resize(1280, 900);
        browser.navigate(reportUrl);
    }

    @Test
    void the_gates_come_first_failed_ones_on_top_with_figure_bound_and_result() throws Exception {
        assertThat(texts("[...document.querySelectorAll('main > section')].map(s => s.id)").get(0)).isEqualTo("gates-section");
        assertThat(text("document.getElementById('status')")).isEqualTo("\u2717 3 of 6 quality gates failed \u00b7 3 checks below threshold"
                + " \u00b7 0 judge errors \u00b7 2 skipped");
        assertThat(texts("[...document.querySelectorAll('#gates tbody tr')].map(r => r.dataset.passed)"))
                .containsExactly("false", "false", "false", "true", "true", "true");
        List<String> first = texts("[...document.querySelectorAll('#gates tbody tr')[0].cells].map(c => c.innerText.trim())");
        assertThat(first).containsExactly("\u2717 failed", "class", "SupportBotTest", "answer_similarity", "pass rate", "66.6%", "\u2265 90%",
                "pass rate of answer_similarity 66.6% is below 90% (3 checks: 2 passed, 1 failed, 0 errors)");
        assertThat(texts("[...document.querySelectorAll('#gates td.kind')].map(c => c.innerText)"))
                .containsExactlyInAnyOrder("class", "class", "baseline drop", "dataset", "run-wide", "baseline drop");
        assertThat(browser.evaluate("getComputedStyle(document.querySelector('#gates tr.failed td.value')).color").asText())
                .isEqualTo(browser.evaluate("getComputedStyle(document.querySelector('.status.bad')).color").asText());
    }

    @Test
    void the_header_names_the_run_the_commit_the_judges_the_baseline_and_the_ci_run() throws Exception {
        assertThat(texts("[...document.querySelectorAll('#run > div')].map(d => d.innerText.replace('\\n', ': ').replace('\\t', ': '))"))
                .containsExactly("Run: surefire-20250501101500000", "Generated: 2025-05-01T10:16:00Z", "Commit: " + ReportFixtures.COMMIT,
                        "Judge models: all-minilm-l6-v2-q (embedding), gpt-4.1", "Baseline: main-report/report.json",
                        "CI run: " + ReportFixtures.CI_RUN, "Report schema: v2");
        // The CI run is text: no link is ever built from report data.
        assertThat(browser.evaluate("document.querySelectorAll('a, [href]').length").asInt()).isZero();
    }

    @Test
    void the_aggregates_per_test_class_and_per_dataset_are_tables_of_every_figure() throws Exception {
        assertThat(texts("[...document.querySelectorAll('#classes tbody tr')].map(r => r.cells[0].innerText + ' ' + r.cells[1].innerText)"))
                .containsExactly("FaqTest answer_correctness", "FaqTest answer_relevance", "SimilarityTest semantic_similarity",
                        "SupportBotTest answer_similarity", "SupportBotTest.Refunds answer_similarity");
        assertThat(texts("[...document.querySelectorAll('#classes thead th')].map(h => h.innerText)")).containsExactly("Test class", "Metric",
                "Checks", "Mean", "Variance", "p90", "Median", "Min", "Max", "Pass rate", "Passed", "Failed", "Errors", "Skipped");
        assertThat(texts("[...document.querySelectorAll('#datasets tbody tr')].map(r => [...r.cells].map(c => c.innerText).join('|'))"))
                .containsExactly("datasets/faq.jsonl|answer_correctness|4|4.00|0.50|4.70|4.00|3.00|5.00|75%|3|1|0|0",
                        "datasets/faq.jsonl|answer_relevance|0|\u2014|\u2014|\u2014|\u2014|\u2014|\u2014|\u2014|0|0|0|2",
                        "datasets/similar.jsonl|semantic_similarity|4|79.75|180.68|90.10|85.50|57.00|91.00|75%|3|1|0|0");
    }

    @Test
    void skipped_checks_are_rows_with_their_reason_and_the_outcome_filter_keeps_them() throws Exception {
        browser.evaluate("(() => { const s = document.getElementById('outcome-filter'); s.value = 'SKIPPED'; s.dispatchEvent(new Event('change')); })()");

        assertThat(browser.evaluate(VISIBLE_ROWS + ".length").asInt()).isEqualTo(2);
        assertThat(texts(VISIBLE_ROWS + ".map(r => r.querySelector('td.justification').innerText.replace(/\\s+/g, ' ').trim())"))
                .containsOnly("NOT JUDGED skipped: no API key for the judge: set OPENAI_API_KEY (llmjudge.judge.missing-key=skip)");
        assertThat(texts(VISIBLE_ROWS + ".map(r => r.querySelector('td.test .test-display').innerText)"))
                .containsExactly("[5] Is shipping free?", "[6] Who pays customs duties?");
        assertThat(text("document.getElementById('shown-count')")).isEqualTo("Showing 2 of 13 cases");
    }

    @Test
    void each_metric_has_a_histogram_of_its_scores_and_a_trend_over_the_last_runs() throws Exception {
        for (String metric : List.of("answer_similarity", "answer_correctness", "semantic_similarity")) {
            String bars = "[...document.querySelectorAll('#metrics svg.histogram[data-metric=\"" + metric + "\"] rect.bar')]";
            long scored = report.rows().stream().filter(r -> r.metric().equals(metric) && r.scored()).count();
            assertThat(browser.evaluate(bars + ".reduce((n, b) => n + Number(b.dataset.count), 0)").asInt()).as(metric).isEqualTo((int) scored);
            assertThat(browser.evaluate(bars + ".every(b => (Number(b.dataset.count) > 0) === (b.getBBox().height > 0))").asBoolean()).as(metric)
                    .isTrue();
            assertThat(browser.evaluate("document.querySelector('#metrics svg.histogram[data-metric=\"" + metric + "\"]').getBoundingClientRect().width")
                    .asDouble()).as(metric).isGreaterThan(50);
        }
        // answer_similarity scored 5, 2 and 4 on a 1-5 rubric: one bar per level, the empty ones flat.
        assertThat(texts("[...document.querySelectorAll('svg.histogram[data-metric=\"answer_similarity\"] rect.bar')].map(b => b.dataset.count)"))
                .containsExactly("0", "1", "0", "1", "1");
        // semantic_similarity is 0-100: ten bins.
        assertThat(browser.evaluate("document.querySelectorAll('svg.histogram[data-metric=\"semantic_similarity\"] rect.bar').length").asInt())
                .isEqualTo(10);
        assertThat(browser.evaluate("document.querySelectorAll('#metrics svg.sparkline').length").asInt()).isEqualTo(2 * report.metrics().size());
        // answer_similarity has six runs, one without it: two segments of the mean's line and a dot on this run.
        String mean = "document.querySelector('#metrics tr:has(svg.histogram[data-metric=\"answer_similarity\"]) svg.sparkline[data-kind=\"mean\"]')";
        assertThat(browser.evaluate(mean + ".querySelectorAll('polyline').length").asInt()).isEqualTo(2);
        assertThat(browser.evaluate(mean + ".querySelectorAll('circle.last').length").asInt()).isEqualTo(1);
        assertThat(browser.evaluate(mean + ".getAttribute('aria-label')").asText())
                .isEqualTo("mean answer_similarity over the last 6 runs: 4.20; 4.10; 4.40; none; 3.90; 3.67 over 3 of 3 checks scored;");
    }

    @Test
    void the_changes_against_the_baseline_come_first_among_the_rows_with_both_answers_and_justifications() throws Exception {
        List<String> sections = texts("[...document.querySelectorAll('main > section')].map(s => s.id)");
        assertThat(sections.indexOf("baseline-section")).isLessThan(sections.indexOf("metrics-section")).isLessThan(sections.indexOf("cases-section"));
        assertThat(texts("[...document.querySelectorAll('#baseline tbody tr')].map(r => r.cells[1].innerText + ' ' + r.cells[4].innerText)"))
                .containsExactly("SupportBotTest > shipping abroad \u25bc down by 3",
                        "FaqTest > answers_are_correct(DatasetRow) > [4] Can I cancel my order? \u25bc down by 1");
        assertThat(texts("[...document.querySelectorAll('#baseline tbody tr')[0].cells].slice(5).map(c => c.innerText)")).containsExactly(
                "We ship to Canada and Mexico.", "We only ship within the United States.", "Same facts as the ground truth.", "Scored 2.");
        assertThat(texts("[...document.querySelectorAll('#cases tbody tr')].slice(0, 3).map(r => r.classList.contains('changed') + ' '"
                + " + r.querySelector('.changed-mark, .badge').innerText)")).containsExactly("true \u2717 failed", "true \u2717 failed", "false \u2713 passed");
        assertThat(texts("[...document.querySelectorAll('#cases tbody tr.changed .changed-mark')].map(m => m.innerText)"))
                .containsExactly("\u25bc down by 3", "\u25bc down by 1");
    }

    @Test
    void test_names_show_class_method_and_display_name_and_never_break_inside_a_word() throws Exception {
        String refunds = "[...document.querySelectorAll('#cases td.test')].find(td => td.innerText.includes('late_return'))";
        assertThat(texts("[..." + refunds + ".children].map(s => s.className + '=' + s.innerText)"))
                .containsExactly("test-class=SupportBotTest.Refunds", "test-method=late_return_after_thirty_days()");
        String display = "[...document.querySelectorAll('#cases td.test')].find(td => td.innerText.includes('refund policy'))";
        assertThat(texts("[..." + display + ".children].map(s => s.className + '=' + s.innerText)"))
                .containsExactly("test-class=SupportBotTest", "test-method=refundPolicy()", "test-display=refund policy");

        // At a narrow width the names wrap, but only between words or after a name's dots and underscores.
        browser.resize(560, 900);
        browser.navigate(reportUrl);
        assertThat(texts(BROKEN_WORDS)).isEmpty();
        assertThat(browser.evaluate("[...document.querySelectorAll('#cases td.test .test-method')].some(m => m.getBoundingClientRect().height > 20)")
                .asBoolean()).as("some method names wrap at the narrow width").isTrue();
        // The probe sees a word broken in two: squeeze the column and let its names break anywhere.
        browser.evaluate("document.querySelectorAll('#cases td.test').forEach(td => { td.style.overflowWrap = 'anywhere';"
                + " td.style.minWidth = '0'; td.style.width = '30px'; })");
        assertThat(texts(BROKEN_WORDS)).isNotEmpty();
    }

    /** The words of test names, gate scopes and group names that the layout broke over two lines. */
    private static final String BROKEN_WORDS = "(() => { const broken = [];"
            + " document.querySelectorAll('td.test span, td.test, td.scope, td.group').forEach(el => {"
            + "  for (const node of el.childNodes) {"
            + "   if (node.nodeType !== Node.TEXT_NODE) continue;"
            + "   for (const m of node.data.matchAll(/\\S+/g)) {"
            + "    const range = document.createRange(); range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);"
            + "    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));"
            + "    if (lines.size > 1) broken.push(m[0]); } } });"
            + " return broken; })()";

    @Test
    void the_unused_verdicts_are_listed_and_the_page_requests_nothing() throws Exception {
        assertThat(texts("[...document.querySelectorAll('#unused li')].map(l => l.innerText)"))
                .containsExactly("src/test/llm-judge/answer_similarity/0ld0ld.json", "src/test/llm-judge/faithfulness/90ne.json");
        assertThat(text("document.querySelector('#unused-section p')")).startsWith("2 recorded verdict files under src/test/llm-judge were read by"
                + " no check of this run (listed only: llmjudge.cache.unused=report;");
        browser.evaluate("new Promise(r => setTimeout(r, 300))");
        assertThat(browser.requestedUrls()).containsExactly(reportUrl);
        assertThat(browser.consoleProblems()).isEmpty();
    }

    private static String text(String element) throws IOException, InterruptedException {
        return browser.evaluate(element + ".innerText").asText().strip();
    }

    private static List<String> texts(String expression) throws IOException, InterruptedException {
        return texts(browser.evaluate(expression));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
