package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a replayed check adds to a test: {@value #ROWS} recorded verdicts replayed through a
 * {@link CachingJudge} in each of {@value #JVMS} fresh JVMs ({@link ReplayCostMain}), against
 * the same rows checked with a plain assertion, and the same {@value #ROWS} again
 * {@value #PASSES} times over in each JVM for the JIT-warm figure. It prints the figures; it
 * takes some seconds and depends on the machine, so it runs only when asked:
 *
 * <pre>
 * mvn -B -o test -Dtest=ReplayCostTest -Dreplay.cost=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "replay.cost", matches = "true")
class ReplayCostTest {
    static final int ROWS = 2_000;
    static final int JVMS = 5;
    static final int PASSES = 10;

    private static final Pattern FIGURES = Pattern.compile(
            "REPLAY_COST pass=(\\d+) plain=(\\d+) judged=(\\d+) judged_p90=(\\d+) plain_cpu=(\\d+) judged_cpu=(\\d+)");

    /** One pass of one JVM, in microseconds. */
    private record Pass(int pass, double plain, double judged, double judgedP90, double plainCpu, double judgedCpu) {
        double added() {
            return judged - plain;
        }

        double addedCpu() {
            return judgedCpu - plainCpu;
        }
    }

    @TempDir
    Path dir;

    @Test
    void should_print_what_a_replayed_check_adds_to_a_test() throws Exception {
        ReplayCostMain.record(dir, ROWS);

        List<Pass> first = new ArrayList<>();
        List<Pass> last = new ArrayList<>();
        for (int i = 0; i < JVMS; i++) {
            List<Pass> passes = replayInNewJvm();
            first.add(passes.get(0));
            last.add(passes.get(1));
            for (Pass p : passes) {
                System.out.printf(Locale.ROOT, "replay cost, JVM %d pass %d: plain %.1f us, judged %.1f us (p90 %.1f us), added %.1f us;"
                        + " thread CPU added %.1f us%n", i + 1, p.pass(), p.plain(), p.judged(), p.judgedP90(), p.added(), p.addedCpu());
            }
        }
        System.out.printf(Locale.ROOT, "replay cost, added per check, median of %d JVMs (%d cores): first %d checks %.1f us (thread CPU %.1f us);"
                + " pass %d, JIT-warm, %.1f us (thread CPU %.1f us)%n", JVMS, Runtime.getRuntime().availableProcessors(), ROWS,
                median(first, Pass::added), median(first, Pass::addedCpu), PASSES, median(last, Pass::added), median(last, Pass::addedCpu));
    }

    /** The first and the last pass of one fresh JVM. */
    private List<Pass> replayInNewJvm() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ReplayCostMain.class.getName(), dir.toString(), String.valueOf(ROWS),
                String.valueOf(PASSES)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        List<Pass> passes = new ArrayList<>();
        Matcher m = FIGURES.matcher(output);
        while (m.find()) {
            passes.add(new Pass(Integer.parseInt(m.group(1)), micros(m.group(2)), micros(m.group(3)), micros(m.group(4)), micros(m.group(5)),
                    micros(m.group(6))));
        }
        assertThat(passes).as(output).hasSize(2);
        return passes;
    }

    private static double micros(String nanos) {
        return Long.parseLong(nanos) / 1000.0;
    }

    private static double median(List<Pass> passes, ToDoubleFunction<Pass> figure) {
        double[] sorted = passes.stream().mapToDouble(figure).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
