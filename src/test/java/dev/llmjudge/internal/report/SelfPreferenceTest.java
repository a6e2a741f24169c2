package dev.llmjudge.internal.report;

import static dev.llmjudge.internal.report.RunReportsTest.error;
import static dev.llmjudge.internal.report.RunReportsTest.scored;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report warns when a verdict's judge is the model under test ({@code llmjudge.sut.model}), and only then. */
class SelfPreferenceTest {
    private static final Instant AT = Instant.parse("2025-01-31T10:15:30Z");
    private static final String WARNING = "2 of 3 verdicts were judged by gpt-4.1, the model under test (llmjudge.sut.model=gpt-4.1): a judge"
            + " tends to score answers of its own model higher (self-preference). Judge with another model (llmjudge.judge.model, or the"
            + " metric's model) to trust these scores.";

    private static List<ReportRow> rows() {
        return List.of(scored("a", "A", 5, 4, false, "gpt-4.1"), scored("b", "B", 2, 4, true, "gpt-4.1"),
                scored("c", "C", 4, 4, false, "gpt-4.1-mini"), error("d", "D"));
    }

    @Test
    void should_name_the_same_model_after_its_provider_prefix_in_any_case_and_without_a_snapshot_date() {
        assertThat(SelfPreference.sameModel("gpt-4.1", "gpt-4.1")).isTrue();
        assertThat(SelfPreference.sameModel("gpt-4.1", "openai/GPT-4.1")).isTrue();
        assertThat(SelfPreference.sameModel(" gpt-4.1-2025-04-14 ", "gpt-4.1")).isTrue();
        assertThat(SelfPreference.sameModel("gpt-4.1", "gpt-4.1-mini")).isFalse();
        assertThat(SelfPreference.sameModel("llama3.1", "llama3.1:70b")).isFalse();
    }

    @Test
    void should_warn_counting_the_verdicts_judged_by_the_model_under_test() {
        RunReport report = RunReports.build(rows(), List.of(), null, AT, Optional.of("gpt-4.1"));

        assertThat(report.warnings()).containsExactly(new RunReport.Warning(SelfPreference.KIND, WARNING));
    }

    @Test
    void should_say_was_for_one_verdict_and_list_each_spelling_of_the_judge() {
        RunReport report = RunReports.build(List.of(scored("a", "A", 5, 4, false, "openai/gpt-4.1")), List.of(), null, AT, Optional.of("GPT-4.1"));

        assertThat(report.warnings()).singleElement().extracting(RunReport.Warning::message).asString()
                .startsWith("1 of 1 verdict was judged by openai/gpt-4.1, the model under test (llmjudge.sut.model=GPT-4.1)");
    }

    @Test
    void should_not_warn_without_a_model_under_test_or_when_another_model_judged() {
        assertThat(RunReports.build(rows(), null, AT).warnings()).isEmpty();
        assertThat(RunReports.build(rows(), List.of(), null, AT, Optional.empty()).warnings()).isEmpty();
        assertThat(RunReports.build(rows(), List.of(), null, AT, Optional.of("claude-sonnet-4")).warnings()).isEmpty();
        // The model under test only errored: no verdict of its own, nothing to warn of.
        assertThat(RunReports.build(List.of(error("d", "D")), List.of(), null, AT, Optional.of("gpt-4.1")).warnings()).isEmpty();
    }

    @Test
    void should_show_the_warning_in_the_html_the_json_and_the_markdown(@TempDir Path dir) throws IOException {
        RunReport report = RunReports.build(rows(), List.of(), null, AT, Optional.of("gpt-4.1"));

        String html = HtmlReportWriter.render(report);
        assertThat(html).contains("<section class=\"warnings\" id=\"warnings\">\n<h2>Warnings</h2>\n<ul>\n<li class=\"warning\" data-kind=\""
                + "SELF_PREFERENCE\">" + WARNING.replace("'", "&#39;") + "</li>");
        assertThat(html.indexOf("id=\"warnings\"")).isLessThan(html.indexOf("<h2>Metrics</h2>"));

        Path json = dir.resolve("report.json");
        JsonReport.write(report, "run-1", json);
        JsonNode warnings = new ObjectMapper().readTree(json.toFile()).path("warnings");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).path("kind").asText()).isEqualTo("SELF_PREFERENCE");
        assertThat(warnings.get(0).path("message").asText()).isEqualTo(WARNING);
        assertThat(JsonReport.read(json).warnings()).isEqualTo(report.warnings());

        assertThat(MarkdownSummary.render(report, Path.of("report.html"))).contains("\n\n> **Warning:** "
                + MarkdownSummary.cell(WARNING) + "\n\n");
    }

    @Test
    void should_show_no_warnings_section_and_an_empty_list_without_a_warning(@TempDir Path dir) throws IOException {
        RunReport report = RunReports.build(rows(), List.of(), null, AT, Optional.of("claude-sonnet-4"));

        assertThat(HtmlReportWriter.render(report)).doesNotContain("id=\"warnings\"").doesNotContain("class=\"warning\"")
                .doesNotContain("self-preference");
        assertThat(MarkdownSummary.render(report, Path.of("report.html"))).doesNotContain("Warning");
        Path json = dir.resolve("report.json");
        JsonReport.write(report, "run-1", json);
        assertThat(new ObjectMapper().readTree(json.toFile()).path("warnings").isArray()).isTrue();
        assertThat(new ObjectMapper().readTree(json.toFile()).path("warnings")).isEmpty();
        assertThat(Files.readString(json)).doesNotContain("SELF_PREFERENCE");
    }
}
