package dev.llmjudge.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.internal.cache.VerdictStore;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sixteen threads and two other JVMs write the same and different verdict keys at once, while
 * readers read: no reader ever sees part of a file, and afterwards every verdict is whole,
 * every key has exactly one file and no writer's last write is lost.
 */
class CacheConcurrencyTest {
    private static final int THREADS = 16;
    private static final int JVMS = 2;
    private static final int ROUNDS = 8;
    private static final int SHARED = 6;
    private static final int OWN = 2;
    private static final int SIZE = 2_000;
    private static final Metric METRIC = Metrics.answerSimilarity();

    @TempDir
    Path tempDir;

    @Test
    @Timeout(180)
    void sixteen_threads_and_two_jvms_write_same_and_different_keys() throws Exception {
        Path dir = tempDir.resolve("verdicts");
        VerdictStore store = new VerdictStore(dir);
        List<String> writers = new ArrayList<>();
        List<Process> jvms = new ArrayList<>();
        List<BufferedReader> jvmOut = new ArrayList<>();
        for (int j = 0; j < JVMS; j++) {
            String name = "jvm-" + j;
            writers.add(name);
            Process p = VerdictWriterMain.start(tempDir.resolve(name + ".err"), dir.toString(), name, "rounds", "" + ROUNDS, "" + SHARED,
                    "" + OWN);
            jvms.add(p);
            jvmOut.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 2);
        try {
            for (int j = 0; j < JVMS; j++) {
                assertThat(jvmOut.get(j).readLine()).as("jvm-%d started; its errors: %s", j, errors(j)).isEqualTo("READY");
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> writing = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String name = "thread-" + t;
                writers.add(name);
                writing.add(pool.submit(() -> {
                    go.await();
                    VerdictWriterMain.writeRounds(store, name, ROUNDS, SHARED, OWN);
                    return null;
                }));
            }
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger wholeReads = new AtomicInteger();
            List<String> badReads = new CopyOnWriteArrayList<>();
            List<Future<?>> reading = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                reading.add(pool.submit(() -> {
                    go.await();
                    while (!done.get()) {
                        for (String c : VerdictWriterMain.cases("shared", SHARED)) {
                            try {
                                Optional<Verdict> v = store.read(METRIC, VerdictWriterMain.key(c));
                                if (v.isPresent()) {
                                    if (isWhole(v.get())) {
                                        wholeReads.incrementAndGet();
                                    } else {
                                        badReads.add(c + ": " + v.get().justification().length() + " characters");
                                    }
                                }
                            } catch (RuntimeException e) {
                                badReads.add(c + ": " + e);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Process p : jvms) {
                OutputStream in = p.getOutputStream();
                in.write("GO\n".getBytes(StandardCharsets.UTF_8));
                in.flush();
            }
            go.countDown();
            for (Future<?> f : writing) {
                f.get(120, TimeUnit.SECONDS);
            }
            for (int j = 0; j < JVMS; j++) {
                assertThat(jvmOut.get(j).readLine()).as("jvm-%d finished; its errors: %s", j, errors(j)).isEqualTo("DONE");
                assertThat(jvms.get(j).waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(jvms.get(j).exitValue()).isZero();
            }
            done.set(true);
            for (Future<?> f : reading) {
                f.get(60, TimeUnit.SECONDS);
            }

            assertThat(badReads).as("reads during the writes").isEmpty();
            assertThat(wholeReads.get()).as("readers saw verdicts while they were being rewritten").isPositive();
        } finally {
            pool.shutdownNow();
            jvms.forEach(Process::destroyForcibly);
        }

        List<String> cases = new ArrayList<>(VerdictWriterMain.cases("shared", SHARED));
        writers.forEach(w -> cases.addAll(VerdictWriterMain.cases(w, OWN)));
        try (Stream<Path> files = Files.list(dir.resolve(METRIC.name()))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("one file per key, and no temporary file left behind")
                    .containsExactlyInAnyOrderElementsOf(cases.stream().map(c -> VerdictWriterMain.key(c) + ".json").toList());
        }
        for (String c : cases) {
            Verdict v = store.read(METRIC, VerdictWriterMain.key(c)).orElseThrow();
            assertThat(isWhole(v)).as("verdict of %s is whole", c).isTrue();
            String owner = c.substring(0, c.lastIndexOf('-'));
            if (owner.equals("shared")) {
                assertThat(v.justification()).matches("written by (thread-\\d+|jvm-\\d) in round \\d .*");
            } else {
                assertThat(v.justification()).as("the last write of %s survives", owner)
                        .startsWith("written by " + owner + " in round " + (ROUNDS - 1) + " ");
            }
        }
    }

    private static boolean isWhole(Verdict v) {
        return v.justification().length() == SIZE && v.justification().endsWith("end");
    }

    private String errors(int jvm) {
        try {
            return Files.readString(tempDir.resolve("jvm-" + jvm + ".err"));
        } catch (IOException e) {
            return "(none)";
        }
    }
}
