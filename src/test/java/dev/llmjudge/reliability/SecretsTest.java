package dev.llmjudge.reliability;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static dev.llmjudge.junit.JudgeAssertions.assertThatJudge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.check.CalibrationOutcome;
import dev.llmjudge.internal.check.CalibrationRecorder;
import dev.llmjudge.internal.report.CalibrationEntry;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.report.HtmlReportWriter;
import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.MarkdownSummary;
import dev.llmjudge.internal.report.RunReport;
import dev.llmjudge.internal.report.RunReports;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Received;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A canary API key, given in code, goes through a success, a failure and every error path,
 * with a server that echoes the key back in every reply it can. Afterwards no file written
 * (verdicts, and the HTML, JSON and Markdown reports of those checks), no log line, no console
 * output, no exception message or stack trace and no recorded check holds the key.
 */
class SecretsTest extends LoopbackJudgeTest {
    private static final String CANARY = "sk-canary-" + UUID.randomUUID();

    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logLines.add(formatter.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level rootLevel;
    private PrintStream out;
    private PrintStream err;

    @BeforeEach
    void captureLogsAndConsole() {
        Logger root = Logger.getLogger("");
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
        out = System.out;
        err = System.err;
        System.setOut(new PrintStream(tee(out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(tee(err), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreLogsAndConsole() {
        Logger root = Logger.getLogger("");
        root.removeHandler(capture);
        root.setLevel(rootLevel);
        System.setOut(out);
        System.setErr(err);
    }

    private OutputStream tee(OutputStream original) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                original.write(b);
                synchronized (console) {
                    console.write(b);
                }
            }
        };
    }

    /** What a hostile or careless server does with the key: quotes the request's Authorization header back. */
    private static String echo(Received request) {
        return "Incorrect API key provided: " + request.header("Authorization");
    }

    private Throwable run(Map<String, String> settings, String answer, Function<Received, Reply> reply) {
        server.otherwise(reply);
        Map<String, String> all = new HashMap<>(settings);
        all.put(LlmJudgeConfig.REPORT_DIR, tempDir.resolve("report").toString());
        LlmJudgeRuntime runtime = harness.runtime(settings.getOrDefault(LlmJudgeConfig.JUDGE_BASE_URL, server.baseUrl()), all, CANARY);
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            assertThatAnswer(answer).isSimilarTo(JudgeHarness.GROUND_TRUTH).withScoreAtLeast(4);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    void canary_key_never_reaches_a_file_a_log_line_or_an_exception() throws IOException {
        Map<String, Throwable> outcomes = new LinkedHashMap<>();
        outcomes.put("verdict echoing the key", run(Map.of(), "Paris.", r -> Reply.verdict(5, echo(r))));
        outcomes.put("low score echoing the key", run(Map.of(), "Lyon.", r -> Reply.verdict(2, echo(r))));
        for (int status : new int[] {400, 401, 403, 404, 429, 500, 503}) {
            outcomes.put("HTTP " + status, run(Map.of(), "Paris " + status + ".", r -> Reply.error(status, echo(r))));
        }
        outcomes.put("proxy page", run(Map.of(), "Paris, proxy.", r -> Reply.raw(502, "text/html", "<html>" + echo(r) + "</html>")));
        outcomes.put("HTML with 200", run(Map.of(), "Paris, html.", r -> Reply.raw(200, "text/html", "<p>" + echo(r) + "</p>")));
        outcomes.put("prose reply", run(Map.of(), "Paris, prose.", r -> Reply.content(echo(r))));
        outcomes.put("refusal", run(Map.of(), "Paris, refusal.", r -> Reply.completion(null, echo(r), "stop")));
        outcomes.put("truncated", run(Map.of(), "Paris, cut.", r -> Reply.completion("{\"justification\": \"" + echo(r), null, "length")));
        outcomes.put("timeout", run(Map.of(LlmJudgeConfig.JUDGE_TIMEOUT, "200ms"), "Paris, slow.",
                r -> Reply.verdict(5, echo(r)).afterMillis(2_000)));
        outcomes.put("connection refused", run(Map.of(LlmJudgeConfig.JUDGE_BASE_URL, "http://127.0.0.1:" + JudgeHarness.closedPort() + "/v1"),
                "Paris, refused.", r -> Reply.verdict(5, "unused")));
        outcomes.put("not recorded", run(Map.of(LlmJudgeConfig.CACHE_MODE, "replay"), "Paris, replay.", r -> Reply.verdict(5, "unused")));
        outcomes.put("budget", run(Map.of(LlmJudgeConfig.BUDGET_MAX_CALLS, "1"), "Paris, budget.", r -> Reply.verdict(5, echo(r))));
        outcomes.put("input too large", run(Map.of(LlmJudgeConfig.JUDGE_MAX_INPUT_TOKENS, "50"), "Paris, large.",
                r -> Reply.verdict(5, "unused")));
        Path corrupt = Path.of(harness.checks.get(0).verdict().cacheFile());
        Files.writeString(corrupt, "{\"schema\": \"llm-judge-verdict/1\", \"key\": ");
        outcomes.put("corrupt file, judged again", run(Map.of(), "Paris.", r -> Reply.verdict(5, echo(r))));

        // The run's reports, from every check made, as the report listener writes them.
        Path reportDir = tempDir.resolve("report");
        RunReport report = RunReports.build(harness.rows(), null, Instant.now());
        HtmlReportWriter.write(report, reportDir.resolve("report.html"));
        JsonReport.write(report, "canary-run", reportDir.resolve("report.json"));
        MarkdownSummary.write(report, reportDir.resolve("report.html"), reportDir.resolve("summary.md"));

        // The key was really sent, and really echoed: the checks below can fail.
        assertThat(server.requests()).anyMatch(r -> ("Bearer " + CANARY).equals(r.header("Authorization")));
        assertThat(outcomes.get("verdict echoing the key")).isNull();
        assertThat(outcomes.get("low score echoing the key")).isInstanceOf(AssertionError.class);
        assertThat(outcomes.values().stream().filter(t -> t instanceof JudgeException)).hasSizeGreaterThanOrEqualTo(15);

        outcomes.forEach((scenario, thrown) -> {
            if (thrown != null) {
                assertThat(stackTrace(thrown)).as("exception, causes and stack trace of: %s", scenario).doesNotContain(CANARY);
            }
        });
        for (CheckOutcome check : harness.checks) {
            if (check instanceof CheckOutcome.Errored error) {
                assertThat(error.message()).doesNotContain(CANARY);
            } else {
                assertThat(check.verdict().justification()).doesNotContain(CANARY).contains("[REDACTED]");
            }
        }
        List<Path> written = JudgeHarness.filesUnder(tempDir);
        assertThat(written).as("verdict files and the three reports were written").anyMatch(p -> p.toString().endsWith(".json"))
                .contains(reportDir.resolve("report.html"), reportDir.resolve("report.json"), reportDir.resolve("summary.md"));
        assertThat(logLines).as("the corrupt file was logged").anyMatch(line -> line.contains(corrupt.toString()));
        for (Path file : written) {
            assertThat(new String(Files.readAllBytes(file), StandardCharsets.UTF_8)).as("file %s", file).doesNotContain(CANARY);
        }
        for (String line : logLines) {
            assertThat(line).as("log line").doesNotContain(CANARY);
        }
        synchronized (console) {
            assertThat(console.toString(StandardCharsets.UTF_8)).as("console output").doesNotContain(CANARY);
        }
        assertThat(harness.runtime(server.baseUrl(), Map.of(), CANARY).config().toString()).doesNotContain(CANARY);
    }

    @Test
    void a_cause_whose_message_holds_the_key_is_replaced_by_a_redacted_copy() {
        Throwable thrown = run(Map.of(), "Paris.", r -> Reply.error(401, echo(r)));

        assertThat(thrown).isInstanceOf(JudgeException.class);
        assertThat(thrown.getCause()).isInstanceOf(Secrets.RedactedException.class);
        Secrets.RedactedException cause = (Secrets.RedactedException) thrown.getCause();
        assertThat(cause.originalClass()).isEqualTo("com.openai.errors.UnauthorizedException");
        assertThat(cause.getMessage()).contains("Incorrect API key provided: Bearer [REDACTED]");
        assertThat(cause.getStackTrace()).isNotEmpty();
    }

    @Test
    void a_cause_without_a_key_is_kept_as_is() {
        Throwable thrown = run(Map.of(), "Paris.", r -> Reply.error(401, "Incorrect API key provided."));

        assertThat(thrown.getCause()).isInstanceOf(com.openai.errors.UnauthorizedException.class);
    }

    @Test
    void a_key_in_a_labelled_rows_id_reaches_no_report_file() throws IOException {
        server.otherwise(r -> Reply.verdict(r.promptText().contains("[score=1]") ? 1 : 5, "Scored as the marker asks."));
        Path labels = tempDir.resolve("labels.jsonl");
        Files.writeString(labels, "{\"id\": \"row-" + CANARY + "\", \"answer\": \"Lyon. [score=1]\", \"ground_truth\": \"Paris.\","
                + " \"human_score\": 5}\n{\"id\": \"row-2\", \"answer\": \"Paris. [score=5]\", \"ground_truth\": \"Paris.\", \"human_score\": 5}\n");
        List<CalibrationOutcome> published = new CopyOnWriteArrayList<>();
        Consumer<CalibrationOutcome> listener = published::add;
        CalibrationRecorder.addListener(listener);
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(harness.runtime(server.baseUrl(), Map.of(), CANARY))) {
            assertThatJudge(Metrics.answerSimilarity()).againstHumanLabels(labels.toString()).hasExactAgreementAtLeast(0.5);
        } finally {
            CalibrationRecorder.removeListener(listener);
        }

        // Published when it starts and when it ends: the report shows the last.
        RunReport report = RunReports.build(harness.rows(), List.of(CalibrationEntry.of(published.get(published.size() - 1))), null, Instant.now());
        assertThat(report.calibrations()).singleElement().satisfies(c -> assertThat(c.disagreements()).hasSize(1));
        Path reportDir = tempDir.resolve("report");
        HtmlReportWriter.write(report, reportDir.resolve("report.html"));
        JsonReport.write(report, "canary-run", reportDir.resolve("report.json"));
        MarkdownSummary.write(report, reportDir.resolve("report.html"), reportDir.resolve("summary.md"));

        for (String file : List.of("report.html", "report.json", "summary.md")) {
            assertThat(Files.readString(reportDir.resolve(file))).as(file).doesNotContain(CANARY);
        }
        assertThat(Files.readString(reportDir.resolve("report.html"))).contains("row-[REDACTED]");
        assertThat(Files.readString(reportDir.resolve("report.json"))).contains("\"id\" : \"row-[REDACTED]\"");
    }

    private static String stackTrace(Throwable t) {
        StringWriter text = new StringWriter();
        t.printStackTrace(new PrintWriter(text));
        return text + "\n" + t;
    }

}
