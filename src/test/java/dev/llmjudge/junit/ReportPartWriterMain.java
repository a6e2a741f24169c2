package dev.llmjudge.junit;

import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.internal.report.RowBuilder;
import dev.llmjudge.internal.report.RunHeader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A test JVM of a multi-fork run, started by {@link ReportForksTest}: after a {@code GO} line on
 * standard input it writes its part of the run's report several times, each time with more
 * rows, as a fork's report listener does after each test plan.
 *
 * <p>Usage: {@code ReportPartWriterMain <report dir> <run id> <fork name> <rows> <writes>}.
 */
public final class ReportPartWriterMain {
    private ReportPartWriterMain() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        String runId = args[1];
        String fork = args[2];
        int rows = Integer.parseInt(args[3]);
        int writes = Integer.parseInt(args[4]);
        System.out.println("READY");
        System.out.flush();
        String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (!"GO".equals(go)) {
            throw new IllegalStateException("expected GO, got " + go);
        }
        ReportOutput.Options options = new ReportOutput.Options(dir, RunHeader.of(runId), fork, Optional.empty(), Optional.empty(), Optional.empty());
        for (int w = 1; w <= writes; w++) {
            if (ReportOutput.write(rows(fork, rows * w / writes), options).isEmpty()) {
                throw new IllegalStateException(fork + " could not write the report");
            }
        }
        System.out.println("DONE");
    }

    /** The rows fork {@code fork} has after {@code count} checks. */
    static List<ReportRow> rows(String fork, int count) {
        List<ReportRow> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String test = fork + "Test > case" + i + "()";
            rows.add(RowBuilder.row().withTestId("[engine:junit-jupiter]/[class:" + fork + "Test]/[method:case" + i + "()]").withTestName(test)
                    .withCaseKey("class:" + fork + "Test/method:case" + i + "()").withQuestion("Q" + i + "?").withAnswer(fork + " answer " + i)
                    .withJudgeModel("loopback-judge").withCached(true).withLatencyMillis(1L).withPromptTokens(0L).withCompletionTokens(0L)
                    .withAt(Instant.now().toString()).build());
        }
        return rows;
    }

    static Process start(Path errors, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), ReportPartWriterMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(errors.toFile()).start();
    }
}
