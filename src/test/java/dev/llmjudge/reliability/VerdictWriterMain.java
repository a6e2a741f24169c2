package dev.llmjudge.reliability;

import dev.llmjudge.internal.cache.CacheKeys;
import dev.llmjudge.internal.cache.VerdictStore;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.testsupport.TestRuntimes;
import dev.llmjudge.internal.openai.OpenAiJudge;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A writer of verdict files run in a second JVM by the cache durability tests, and the cases
 * and verdicts those tests write. The keys are the ones a runtime with model
 * {@value #MODEL} computes, so a later run reads what the writers wrote.
 *
 * <p>Usage: {@code VerdictWriterMain <dir> <writer> rounds <n> <shared cases> <own cases>} writes
 * every round, after a {@code GO} line on standard input; {@code VerdictWriterMain <dir> <writer>
 * loop <cases> <justification chars>} writes until killed, printing {@code WROTE} after each.
 */
public final class VerdictWriterMain {
    static final String MODEL = "judge-test-model";
    private static final OpenAiJudge KEYS = new OpenAiJudge(TestRuntimes.judge(MODEL), null);

    private VerdictWriterMain() {
    }

    public static void main(String[] args) throws IOException {
        VerdictStore store = new VerdictStore(Path.of(args[0]));
        String writer = args[1];
        if (args[2].equals("rounds")) {
            readyThenAwaitGo();
            writeRounds(store, writer, Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            System.out.println("DONE");
        } else {
            List<String> cases = cases("crash", Integer.parseInt(args[3]));
            int size = Integer.parseInt(args[4]);
            for (int round = 0; ; round++) {
                for (String c : cases) {
                    write(store, c, writer, round, size);
                    System.out.println("WROTE");
                    System.out.flush();
                }
            }
        }
    }

    /** Prints {@code READY}, then waits for a {@code GO} line on standard input. */
    static void readyThenAwaitGo() throws IOException {
        System.out.println("READY");
        System.out.flush();
        String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (!"GO".equals(go)) {
            throw new IllegalStateException("expected GO, got " + go);
        }
    }

    /** Writes, round after round, every shared case and the writer's own cases. */
    static void writeRounds(VerdictStore store, String writer, int rounds, int shared, int own) {
        List<String> cases = new ArrayList<>(cases("shared", shared));
        cases.addAll(cases(writer, own));
        for (int round = 0; round < rounds; round++) {
            for (String c : cases) {
                write(store, c, writer, round, 2_000);
            }
        }
    }

    static List<String> cases(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(prefix + "-" + i);
        }
        return names;
    }

    /** The similarity request of a named case. */
    static JudgeRequest request(String caseName) {
        return new JudgeRequest(Metrics.answerSimilarity(), EvaluationCase.ofAnswer("The answer of " + caseName + ".")
                .withGroundTruth("The ground truth of " + caseName + "."));
    }

    /** The cache key a runtime with model {@value #MODEL} uses for a named case. */
    static String key(String caseName) {
        JudgeRequest request = request(caseName);
        return new CacheKeys().key(request.metric(), KEYS.fingerprint(request));
    }

    /** The justification a writer records: who wrote it in which round, padded to {@code size} characters, ending in "end". */
    static String justification(String writer, int round, int size) {
        String head = "written by " + writer + " in round " + round + " ";
        return head + "x".repeat(Math.max(0, size - head.length() - 3)) + "end";
    }

    static Verdict write(VerdictStore store, String caseName, String writer, int round, int size) {
        JudgeRequest request = request(caseName);
        Verdict verdict = new Verdict(request.metric().name(), request.metric().version(), 1 + round % 5, 1, 5,
                justification(writer, round, size), MODEL, Map.of("temperature", 0.0), null, false, null, Duration.ofMillis(5),
                new TokenUsage(100, 20));
        return store.write(verdict, request, key(caseName));
    }

    /** Starts this class in a new JVM with the test class path; its standard error goes to {@code errors}. */
    static Process start(Path errors, String... args) throws IOException {
        return startJvm(VerdictWriterMain.class, errors, List.of(args));
    }

    /** Starts {@code main} in a new JVM with the test class path; its standard error goes to {@code errors}. */
    static Process startJvm(Class<?> main, Path errors, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectError(errors.toFile()).start();
    }
}
