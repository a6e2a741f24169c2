package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.junit.fixtures.Fixtures;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * A system under test that puts the judge's API key in its answers (and a dataset that puts it
 * in the question, the ground truth and the context), with a judge whose justifications quote
 * the whole prompt back: the key reaches no assertion message, exception, report entry, report
 * file or part, verdict file, console line or log line.
 */
class SecretInAnswerTest {
    private static final String KEY = Fixtures.LEAKED_KEY;
    private static final Pattern MARKER = Pattern.compile("\\[score=(\\d)]");

    @TempDir
    Path cache;

    @TempDir
    Path reports;

    @Test
    void a_key_in_the_answer_question_ground_truth_and_context_reaches_nothing_the_library_writes_or_throws() throws IOException {
        List<String> entries = new CopyOnWriteArrayList<>();
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        TestExecutionListener observer = new TestExecutionListener() {
            @Override
            public void reportingEntryPublished(TestIdentifier test, ReportEntry entry) {
                entries.add(entry.getKeyValuePairs().toString());
            }

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                result.getThrowable().ifPresent(thrown::add);
            }
        };
        List<String> logLines = new CopyOnWriteArrayList<>();
        Handler logs = new Handler() {
            private final SimpleFormatter formatter = new SimpleFormatter();

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
        Logger root = Logger.getLogger("");
        Level level = root.getLevel();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        LauncherRuns.Run run;
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            // A judge that quotes the whole prompt, key and all, in its justification.
            server.otherwise(r -> {
                Matcher marker = MARKER.matcher(r.promptText());
                return Reply.verdict(marker.find() ? Integer.parseInt(marker.group(1)) : 5, "The case reads: " + r.promptText());
            });
            root.setLevel(Level.ALL);
            logs.setLevel(Level.ALL);
            root.addHandler(logs);
            System.setOut(new PrintStream(tee(out, console), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(tee(err, console), true, StandardCharsets.UTF_8));
            Map<String, String> params = new HashMap<>(FixtureRuns.params(server, cache));
            params.put("llmjudge.report.dir", reports.toString());
            params.put("llmjudge.report.run-id", "leaky-build");
            run = LauncherRuns.run(Map.of(), params, List.of(observer), Fixtures.LeakyBot.class, Fixtures.LeakyBotReplayed.class);

            // The key was really in what the bot said and in what the judge was sent and said back: the checks below can fail.
            assertThat(server.requests()).anyMatch(r -> r.body().contains(KEY));
        } finally {
            root.removeHandler(logs);
            root.setLevel(level);
            System.setOut(out);
            System.setErr(err);
        }

        assertThat(run.summary().getTestsSucceededCount()).isEqualTo(1);
        assertThat(run.summary().getTestsFailedCount()).isEqualTo(5);
        assertThat(thrown).hasSize(5).anyMatch(t -> t instanceof AssertionError && t.getMessage().contains("to score at least 4"))
                .anyMatch(t -> t.getMessage().contains("never stated its threshold"))
                .anyMatch(t -> t.getMessage().contains("no recorded verdict"));
        for (Throwable t : thrown) {
            assertThat(stackTrace(t)).as("what a failed test threw").doesNotContain(KEY).contains("[REDACTED]");
        }
        assertThat(entries).as("report entries").isNotEmpty().noneMatch(e -> e.contains(KEY)).anyMatch(e -> e.contains("[REDACTED]"));
        List<Path> written;
        try (Stream<Path> files = Stream.concat(Files.walk(reports), Files.walk(cache))) {
            written = files.filter(Files::isRegularFile).toList();
        }
        assertThat(written).as("the report files, a part and the verdict files")
                .contains(reports.resolve("report.html"), reports.resolve("report.json"), reports.resolve("summary.md"))
                .anyMatch(p -> p.startsWith(reports.resolve("parts")))
                .anyMatch(p -> p.startsWith(cache));
        for (Path file : written) {
            assertThat(Files.readString(file, StandardCharsets.UTF_8)).as("file %s", file).doesNotContain(KEY);
        }
        assertThat(Files.readString(reports.resolve("report.json"))).contains("[REDACTED]");
        assertThat(run.console()).doesNotContain(KEY).contains("llm-judge:");
        assertThat(console.toString(StandardCharsets.UTF_8)).as("console").doesNotContain(KEY);
        assertThat(logLines).as("log lines").noneMatch(line -> line.contains(KEY));
    }

    private static OutputStream tee(OutputStream original, ByteArrayOutputStream copy) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                original.write(b);
                synchronized (copy) {
                    copy.write(b);
                }
            }
        };
    }

    private static String stackTrace(Throwable t) {
        StringWriter text = new StringWriter();
        t.printStackTrace(new PrintWriter(text));
        return text + "\n" + t;
    }
}
