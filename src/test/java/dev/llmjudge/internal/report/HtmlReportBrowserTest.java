package dev.llmjudge.internal.report;

import static dev.llmjudge.internal.report.ReportFixtures.ATTRIBUTE_PAYLOAD;
import static dev.llmjudge.internal.report.ReportFixtures.METRIC_PAYLOAD;
import static dev.llmjudge.internal.report.ReportFixtures.SCRIPT_PAYLOAD;
import static dev.llmjudge.internal.report.ReportFixtures.SINGLE_QUOTE_PAYLOAD;
import static dev.llmjudge.internal.report.ReportFixtures.URL_PAYLOAD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.testsupport.ChromiumPage;
import dev.llmjudge.testsupport.HeadlessChromium;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTML report opened in Debian's headless Chromium: skipped when Chromium is not installed,
 * failed instead when {@code CI=true}.
 */
class HtmlReportBrowserTest {

    private static final String VISIBLE_ROWS = "[...document.querySelectorAll('#cases tbody tr')].filter(r => r.getClientRects().length > 0)";

    private static final RunReport report = ReportFixtures.mixedRun();

    @RegisterExtension
    static final ChromiumPage page = ReportFixtures.inChromium(report);

    private static HeadlessChromium browser;
    private static String reportUrl;

    @BeforeEach
    void openPage() {
        browser = page.browser();
        reportUrl = page.url();
    }

    @Test
    void renders_every_row_in_order() throws Exception {
        browser.navigate(reportUrl);

        JsonNode names = browser.evaluate("[...document.querySelectorAll('#cases tbody tr td.test')].map(td => td.firstChild.textContent)");
        List<String> shown = new ArrayList<>();
        names.forEach(n -> shown.add(n.asText()));
        assertThat(shown).containsExactlyElementsOf(report.rows().stream().map(ReportRow::testName).toList());
        assertThat(browser.evaluate(VISIBLE_ROWS + ".length").asInt()).isEqualTo(report.rows().size());
        assertThat(browser.evaluate("document.querySelectorAll('#metrics tbody tr').length").asInt()).isEqualTo(report.metrics().size());
        assertThat(browser.evaluate("document.querySelectorAll('#baseline tbody tr').length").asInt()).isEqualTo(report.baseline().changes().size());
        assertThat(browser.evaluate("document.getElementById('shown-count').textContent").asText()).isEqualTo("Showing 12 of 12 cases");
    }

    @Test
    void outcome_filter_shows_only_rows_with_that_outcome() throws Exception {
        browser.navigate(reportUrl);

        for (String outcome : List.of("FAILED", "ERROR", "PASSED")) {
            long expected = report.rows().stream().filter(r -> r.outcome().equals(outcome)).count();
            selectOutcome(outcome);
            assertThat(browser.evaluate(VISIBLE_ROWS + ".length").asInt()).as(outcome).isEqualTo((int) expected);
            assertThat(browser.evaluate(VISIBLE_ROWS + ".every(r => r.dataset.outcome === '" + outcome + "')").asBoolean()).as(outcome).isTrue();
            assertThat(browser.evaluate("document.getElementById('shown-count').textContent").asText())
                    .isEqualTo("Showing " + expected + " of 12 cases");
        }
        selectOutcome("");
        assertThat(browser.evaluate(VISIBLE_ROWS + ".length").asInt()).isEqualTo(report.rows().size());
    }

    @Test
    void metric_filter_hides_unchecked_metrics_and_combines_with_the_outcome_filter() throws Exception {
        browser.navigate(reportUrl);

        browser.evaluate("document.querySelectorAll('input[name=metric-filter]').forEach(b => {"
                + " b.checked = b.value === 'answer_correctness'; b.dispatchEvent(new Event('change')); })");
        assertThat(browser.evaluate(VISIBLE_ROWS + ".length").asInt()).isEqualTo(countRows("answer_correctness", null));

        selectOutcome("ERROR");
        assertThat(browser.evaluate(VISIBLE_ROWS + ".length").asInt()).isEqualTo(countRows("answer_correctness", "ERROR")).isEqualTo(2);

        // the hostile metric name survives the round trip through the checkbox value
        browser.evaluate("document.querySelectorAll('input[name=metric-filter]').forEach(b => {"
                + " b.checked = b.value === " + jsString(METRIC_PAYLOAD) + "; b.dispatchEvent(new Event('change')); })");
        selectOutcome("");
        assertThat(browser.evaluate(VISIBLE_ROWS + ".map(r => r.dataset.metric)").get(0).asText()).isEqualTo(METRIC_PAYLOAD);
        assertThat(browser.evaluate(VISIBLE_ROWS + ".length").asInt()).isEqualTo(1);
    }

    @Test
    void clicking_score_sorts_descending_then_ascending_with_errors_last() throws Exception {
        browser.navigate(reportUrl);
        String scores = "[...document.querySelectorAll('#cases tbody tr')].map(r => r.dataset.score)";

        browser.evaluate("document.getElementById('sort-score').click()");
        assertThat(texts(browser.evaluate(scores))).containsExactly("5", "5", "5", "5", "5", "4", "4", "4", "2", "1", "", "");
        assertThat(browser.evaluate("document.getElementById('sort-score').parentNode.getAttribute('aria-sort')").asText()).isEqualTo("descending");

        browser.evaluate("document.getElementById('sort-score').click()");
        assertThat(texts(browser.evaluate(scores))).containsExactly("1", "2", "4", "4", "4", "5", "5", "5", "5", "5", "", "");

        browser.evaluate("document.getElementById('sort-score').click()");
        assertThat(texts(browser.evaluate(scores))).containsExactlyElementsOf(
                report.rows().stream().map(r -> r.score() == null ? "" : r.score().toString()).toList());
    }

    @Test
    void script_like_content_shows_as_text_and_never_runs() throws Exception {
        browser.navigate(reportUrl);
        // expand everything and hover every cell, so that nothing hidden or hover-bound could fire later
        browser.evaluate("document.getElementById('expand-all').click()");
        browser.evaluate("document.querySelectorAll('td, td *').forEach(e => e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})))");

        assertThat(browser.evaluate("typeof window.__pwned").asText()).isEqualTo("undefined");
        assertThat(browser.evaluate("document.title").asText()).isEqualTo("llm-judge report \u2014 12 checks");
        assertThat(browser.evaluate("document.scripts.length").asInt()).isEqualTo(1);
        assertThat(browser.evaluate("document.images.length").asInt()).isZero();
        assertThat(browser.evaluate("document.querySelectorAll('[href], [src], [onerror], [onmouseover]').length").asInt()).isZero();

        String hostileRow = "[...document.querySelectorAll('#cases tbody tr')].find(r => r.querySelector('td.test').textContent.startsWith('Hostile <b>'))";
        assertThat(browser.evaluate(hostileRow + ".getClientRects().length > 0").asBoolean()).isTrue();
        assertThat(browser.evaluate(hostileRow + ".querySelector('td.answer').innerText").asText()).isEqualTo(SCRIPT_PAYLOAD);
        assertThat(browser.evaluate(hostileRow + ".querySelector('td.reference').innerText").asText())
                .contains(URL_PAYLOAD, ATTRIBUTE_PAYLOAD, SINGLE_QUOTE_PAYLOAD);
        assertThat(browser.evaluate(hostileRow + ".querySelector('td.justification').innerText").asText())
                .isEqualTo("Justification " + URL_PAYLOAD + " " + SCRIPT_PAYLOAD);
        assertThat(browser.evaluate(hostileRow + ".querySelector('td.test').firstChild.textContent").asText())
                .isEqualTo("Hostile <b>test</b> name " + SCRIPT_PAYLOAD);
        assertThat(browser.consoleProblems()).isEmpty();
    }

    @Test
    void the_page_makes_no_network_request_and_logs_no_error() throws Exception {
        browser.navigate(reportUrl);
        browser.evaluate("document.getElementById('expand-all').click()");
        browser.evaluate("document.getElementById('sort-score').click()");
        selectOutcome("FAILED");
        browser.evaluate("new Promise(r => setTimeout(r, 300))");

        assertThat(browser.requestedUrls()).containsExactly(reportUrl);
        // a CSP hash that does not match the inline style or script would be logged here
        assertThat(browser.consoleProblems()).isEmpty();
        assertThat(browser.evaluate("getComputedStyle(document.querySelector('.totals')).display").asText()).isEqualTo("flex");
    }

    @Test
    void the_probes_see_a_script_run_and_a_request_in_a_page_that_does_not_escape() throws Exception {
        // the other tests assert that nothing ran and nothing was requested; this shows those probes can see both
        Path unsafe = page.dir().resolve("unescaped.html");
        Files.writeString(unsafe, "<!DOCTYPE html><title>t</title><p>" + SCRIPT_PAYLOAD + "<img src=\"pixel.png\">");

        browser.navigate(unsafe.toUri().toString());

        assertThat(browser.evaluate("window.__pwned").asInt()).isEqualTo(1);
        assertThat(browser.evaluate("document.title").asText()).isEqualTo("pwned");
        assertThat(browser.requestedUrls()).contains(unsafe.toUri().toString(), page.dir().resolve("pixel.png").toUri().toString());
    }

    private static void selectOutcome(String outcome) throws IOException, InterruptedException {
        browser.evaluate("(() => { const s = document.getElementById('outcome-filter'); s.value = " + jsString(outcome)
                + "; s.dispatchEvent(new Event('change')); })()");
    }

    private static int countRows(String metric, String outcome) {
        return (int) report.rows().stream().filter(r -> r.metric().equals(metric) && (outcome == null || r.outcome().equals(outcome))).count();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A JavaScript string literal for {@code value} (JSON strings are JavaScript strings). */
    private static String jsString(String value) {
        try {
            return new ObjectMapper().writeValueAsString(Objects.requireNonNull(value));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
