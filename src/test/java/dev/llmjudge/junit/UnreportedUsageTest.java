package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server that sends no {@code usage} in its replies (as some OpenAI-compatible servers do), one that sends a {@code usage}
 * that cannot be read, or a reply that is no chat completion: the report says the usage is unknown, never that the calls cost
 * 0 tokens and $0.00, and a verdict replayed later says so too.
 */
class UnreportedUsageTest {
    /** A priced model, so that a call's cost would be shown if its tokens were known. */
    private static final String MODEL = "gpt-4.1";

    @TempDir
    Path cache;

    @TempDir
    Path reports;

    private Map<String, String> params(OpenAiCompatibleServer server) {
        return params(server, reports);
    }

    private Map<String, String> params(OpenAiCompatibleServer server, Path reportDir) {
        return FixtureRuns.params(server, cache, reportDir, MODEL);
    }

    @Test
    void should_report_verdicts_without_usage_as_usage_not_reported_rather_than_as_free() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(request -> FixtureRuns.BY_MARKER.apply(request).withoutUsage());

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(server), Fixtures.ReportEntries.class);

            assertThat(server.requestCount()).isEqualTo(2);
            RunReport.Totals totals = JsonReport.read(reports.resolve("report.json")).totals();
            assertThat(totals.judged()).isEqualTo(2);
            assertThat(totals.estimatedCostUsd()).as("a cost of unknown tokens is unknown, not $0.00").isNull();
            assertThat(run.console()).contains("0 tokens (usage not reported by the server for 2 replies), cost unknown")
                    .doesNotContain("$0.00");
            JsonNode rows = new ObjectMapper().readTree(reports.resolve("report.json").toFile()).path("rows");
            assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row.path("unreportedReplies").asInt()).isEqualTo(1));
            String html = Files.readString(reports.resolve("report.html"));
            assertThat(html).contains("usage not reported by the server").doesNotContain("0\u00a0tokens</span>");
            assertThat(Files.readString(reports.resolve("summary.md"))).contains(
                    "0 tokens (usage not reported by the server for 2 replies) · cost unknown",
                    "per judged verdict: usage not reported by the server");
        }
    }

    @Test
    void should_report_errors_after_replies_without_usage_as_billed_with_usage_not_reported() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(r -> Reply.content("I cannot decide.").withoutUsage());

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(server), Fixtures.ReportEntries.class);

            assertThat(server.requestCount()).as("each check asked twice, an invalid reply each time").isEqualTo(4);
            RunReport report = JsonReport.read(reports.resolve("report.json"));
            assertThat(report.rows()).hasSize(2).allSatisfy(row -> {
                assertThat(row.errorReason()).isEqualTo("INVALID_REPLY");
                assertThat(row.score()).as("a judge failure is never a score").isNull();
                assertThat(row.judgeModel()).isEqualTo(MODEL);
            });
            assertThat(report.totals().verdicts()).isZero();
            assertThat(report.totals().estimatedCostUsd()).isNull();
            assertThat(run.console()).contains("2 errors", "0 tokens (usage not reported by the server for 4 replies), cost unknown");
        }
    }

    /** The malformed {@code usage} blocks a faulty server may send, each as an edit of a well-formed reply's body. */
    static Stream<Arguments> malformedUsage() {
        return Stream.of(
                Arguments.of("completion_tokens left out", (Consumer<ObjectNode>) body -> usage(body).remove("completion_tokens")),
                Arguments.of("prompt_tokens left out", (Consumer<ObjectNode>) body -> usage(body).remove("prompt_tokens")),
                Arguments.of("prompt_tokens not a number", (Consumer<ObjectNode>) body -> usage(body).put("prompt_tokens", "n/a")),
                Arguments.of("completion_tokens negative", (Consumer<ObjectNode>) body -> usage(body).put("completion_tokens", -30)),
                Arguments.of("cached_tokens not a number",
                        (Consumer<ObjectNode>) body -> usage(body).putObject("prompt_tokens_details").put("cached_tokens", "n/a")),
                Arguments.of("usage not an object", (Consumer<ObjectNode>) body -> body.put("usage", "unknown")));
    }

    private static ObjectNode usage(ObjectNode body) {
        return (ObjectNode) body.get("usage");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedUsage")
    void should_give_the_verdicts_of_replies_whose_usage_cannot_be_read_and_count_them_as_usage_not_reported(String what,
            Consumer<ObjectNode> malformed) throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(request -> FixtureRuns.BY_MARKER.apply(request).edited(malformed));

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(server), Fixtures.ReportEntries.class);

            assertThat(server.requestCount()).as("a verdict in the reply is not asked for again").isEqualTo(2);
            RunReport report = JsonReport.read(reports.resolve("report.json"));
            assertThat(report.rows()).hasSize(2).allSatisfy(row -> {
                assertThat(row.errorReason()).as("a malformed usage is no judge failure").isNull();
                assertThat(row.unreportedReplies()).isEqualTo(1);
            });
            assertThat(report.rows()).extracting(row -> row.score()).containsExactlyInAnyOrder(5, 2);
            assertThat(report.totals().judged()).isEqualTo(2);
            assertThat(report.totals().errors()).isZero();
            assertThat(report.totals().estimatedCostUsd()).isNull();
            assertThat(run.console()).contains("0 errors", "0 tokens (usage not reported by the server for 2 replies), cost unknown")
                    .doesNotContain("$0.00");
        }
    }

    @Test
    void should_count_the_tokens_of_a_reply_whose_total_tokens_is_missing_as_reported() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(request -> FixtureRuns.BY_MARKER.apply(request).edited(body -> usage(body).remove("total_tokens")));

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(server), Fixtures.ReportEntries.class);

            assertThat(server.requestCount()).isEqualTo(2);
            assertThat(run.console()).as("the total is the sum of the prompt's and the reply's tokens")
                    .contains("0 errors", "300 tokens, <$0.01").doesNotContain("not reported");
        }
    }

    @Test
    void should_count_a_reply_that_is_no_chat_completion_as_one_whose_usage_was_not_reported() throws IOException {
        try (OpenAiCompatibleServer server = FixtureRuns.markerJudge()) {
            server.enqueue(Reply.raw(200, "text/html", "<html><body><form action=\"/login\">Sign in</form></body></html>"));

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(server), Fixtures.ReportEntries.class);

            assertThat(server.requestCount()).as("the sign-in page, then a verdict for each check").isEqualTo(3);
            RunReport report = JsonReport.read(reports.resolve("report.json"));
            assertThat(report.totals().judged()).isEqualTo(2);
            assertThat(report.rows()).extracting(row -> row.unreportedReplies()).containsExactlyInAnyOrder(0, 1);
            assertThat(report.totals().tokens()).isEqualTo(300);
            assertThat(report.totals().estimatedCostUsd()).as("the page was an answer of unknown cost").isNull();
            assertThat(run.console()).contains("300 tokens (usage not reported by the server for 1 reply), cost unknown")
                    .doesNotContain("<$0.01");
            assertThat(Files.readString(reports.resolve("summary.md")))
                    .contains("300 tokens (usage not reported by the server for 1 reply) · cost unknown");
        }
    }

    @Test
    void should_say_the_cost_is_unknown_everywhere_when_only_some_replies_came_without_usage() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(request -> request.promptText().contains("[score=2]") ? FixtureRuns.BY_MARKER.apply(request).withoutUsage()
                    : FixtureRuns.BY_MARKER.apply(request));

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(server), Fixtures.ReportEntries.class);

            assertThat(server.requestCount()).isEqualTo(2);
            assertThat(run.console()).contains("150 tokens (usage not reported by the server for 1 reply), cost unknown")
                    .doesNotContain("<$0.01");
            JsonNode totals = new ObjectMapper().readTree(reports.resolve("report.json").toFile()).path("totals");
            assertThat(totals.path("tokens").asLong()).isEqualTo(150);
            assertThat(totals.path("unreportedReplies").asInt()).isEqualTo(1);
            assertThat(totals.path("estimatedCostUsd").isNull() || totals.path("estimatedCostUsd").isMissingNode())
                    .as("no cost in report.json: %s", totals).isTrue();
            assertThat(Files.readString(reports.resolve("summary.md")))
                    .contains("150 tokens (usage not reported by the server for 1 reply) · cost unknown");
            assertThat(Files.readString(reports.resolve("report.html"))).contains("<dt>Estimated cost</dt><dd>unknown</dd>");
        }
    }

    @Test
    void should_still_say_the_usage_was_not_reported_when_the_verdicts_are_replayed() throws IOException {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(request -> FixtureRuns.BY_MARKER.apply(request).withoutUsage());
            LauncherRuns.run(Map.of(), params(server), Fixtures.ReportEntries.class);
            Path replayed = reports.resolve("replayed");
            Map<String, String> replay = params(server, replayed);
            replay.put(LlmJudgeConfig.CACHE_MODE, "replay");

            LauncherRuns.Run run = LauncherRuns.run(Map.of(), replay, Fixtures.ReportEntries.class);

            assertThat(server.requestCount()).as("the second run replays both verdicts").isEqualTo(2);
            assertThat(run.console()).contains("2 cached").contains("0 tokens, $0.00").doesNotContain("not reported");
            String html = Files.readString(replayed.resolve("report.html"));
            assertThat(html).as("a replayed verdict tells what it was billed when judged").contains("usage not reported by the server")
                    .doesNotContain("0\u00a0tokens</span>");
        }
    }

    @Test
    void should_report_usage_as_before_when_the_server_sends_it() throws IOException {
        try (OpenAiCompatibleServer server = FixtureRuns.markerJudge()) {
            LauncherRuns.Run run = LauncherRuns.run(Map.of(), params(server), Fixtures.ReportEntries.class);

            assertThat(run.console()).contains("300 tokens, <$0.01").doesNotContain("not reported");
            JsonNode rows = new ObjectMapper().readTree(reports.resolve("report.json").toFile()).path("rows");
            assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row.has("unreportedReplies")).isFalse());
            assertThat(Files.readString(reports.resolve("report.html"))).contains("150\u00a0tokens</span>")
                    .doesNotContain("usage not reported");
        }
    }
}
