package dev.llmjudge.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a replayed check adds to a test: {@value #ROWS} recorded verdicts replayed through a
 * {@link CachingJudge} in each of {@value #JVMS} fresh JVMs ({@link ReplayCostMain}), against
 * the same rows checked with a plain assertion. Takes some seconds and depends on the machine,
 * so it runs only when asked:
 *
 * <pre>
 * mvn -B -o test -Dtest=ReplayCostTest -Dreplay.cost=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "replay.cost", matches = "true")
class ReplayCostTest {
    static final int ROWS = 2_000;
    static final int JVMS = 5;
    /** Most a replayed check may add to a test, on median. */
    static final double BOUND_MICROS = 100;

    private static final Pattern FIGURES = Pattern.compile("REPLAY_COST plain=(\\d+) judged=(\\d+) judged_p90=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void should_add_little_to_a_test_per_replayed_check() throws Exception {
        ReplayCostMain.record(dir, ROWS);

        List<double[]> runs = new ArrayList<>();
        for (int i = 0; i < JVMS; i++) {
            double[] run = replayInNewJvm();
            runs.add(run);
            System.out.printf(Locale.ROOT, "replay cost, JVM %d: plain %.1f us, judged %.1f us (p90 %.1f us), added %.1f us%n", i + 1,
                    run[0], run[1], run[2], run[1] - run[0]);
        }
        double added = median(runs.stream().mapToDouble(r -> r[1] - r[0]).toArray());
        System.out.printf(Locale.ROOT, "replay cost: added per check, median of %d JVMs of %d checks: %.1f us (%d cores)%n", JVMS, ROWS,
                added, Runtime.getRuntime().availableProcessors());

        assertThat(added).isLessThanOrEqualTo(BOUND_MICROS);
    }

    /** Plain, judged and judged p90 medians of one fresh JVM, in microseconds. */
    private double[] replayInNewJvm() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ReplayCostMain.class.getName(), dir.toString(), String.valueOf(ROWS))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        Matcher m = FIGURES.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return new double[] {Long.parseLong(m.group(1)) / 1000.0, Long.parseLong(m.group(2)) / 1000.0, Long.parseLong(m.group(3)) / 1000.0};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
