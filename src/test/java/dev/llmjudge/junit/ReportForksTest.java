package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.ReportRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three JVMs of one run (Surefire forks) write their parts of the report at the same time, each
 * several times: they take turns on a lock between processes, and the report written last holds
 * every row of every fork, once.
 */
class ReportForksTest {
    private static final int FORKS = 3;
    private static final int ROWS = 40;
    private static final int WRITES = 5;

    @TempDir
    Path tempDir;

    @Test
    @Timeout(180)
    void three_forks_writing_at_once_take_turns_and_leave_a_report_with_every_row_of_every_fork() throws Exception {
        Path dir = tempDir.resolve("llm-judge");
        List<Process> forks = new ArrayList<>();
        List<BufferedReader> out = new ArrayList<>();
        try {
            for (int f = 0; f < FORKS; f++) {
                Process p = ReportPartWriterMain.start(tempDir.resolve("fork" + f + ".err"), dir.toString(), "run-forks", "fork" + f,
                        "" + ROWS, "" + WRITES);
                forks.add(p);
                out.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (int f = 0; f < FORKS; f++) {
                assertThat(out.get(f).readLine()).as("fork%d started; its errors: %s", f, errors(f)).isEqualTo("READY");
            }
            // While another process holds the report lock, no fork writes anything.
            Path parts = Files.createDirectories(dir.resolve("parts"));
            try (FileChannel channel = FileChannel.open(parts.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                for (Process p : forks) {
                    OutputStream in = p.getOutputStream();
                    in.write("GO\n".getBytes(StandardCharsets.UTF_8));
                    in.flush();
                }
                Thread.sleep(1_000);
                assertThat(forks).allMatch(Process::isAlive);
                assertThat(dir.resolve("report.json")).doesNotExist();
                assertThat(parts.resolve("run-forks")).doesNotExist();
            }
            for (int f = 0; f < FORKS; f++) {
                assertThat(out.get(f).readLine()).as("fork%d finished; its errors: %s", f, errors(f)).isEqualTo("DONE");
                assertThat(forks.get(f).waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(forks.get(f).exitValue()).isZero();
            }
        } finally {
            forks.forEach(Process::destroyForcibly);
        }

        List<String> expected = new ArrayList<>();
        for (int f = 0; f < FORKS; f++) {
            ReportPartWriterMain.rows("fork" + f, ROWS).forEach(r -> expected.add(r.testName()));
        }
        List<ReportRow> rows = JsonReport.read(dir.resolve("report.json")).rows();
        assertThat(rows).extracting(ReportRow::testName).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Files.readString(dir.resolve("report.html"))).contains("fork0 answer 39", "fork1 answer 39", "fork2 answer 39");
        assertThat(Files.readString(dir.resolve("summary.md"))).startsWith("## LLM judge: " + FORKS * ROWS + " verdicts");
    }

    private String errors(int fork) throws IOException {
        Path file = tempDir.resolve("fork" + fork + ".err");
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
