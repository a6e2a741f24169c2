package dev.llmjudge.reliability;

import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A second JVM judging named cases (see {@link VerdictWriterMain#request}) through a runtime in
 * {@code auto} mode pointed at a loopback server, for the tests of a verdict cache shared by
 * processes.
 *
 * <p>Usage: {@code JudgingMain <base url> <cache dir> <threads> <case>...}: prints {@code READY},
 * waits for a {@code GO} line on standard input, judges every case once on that many threads,
 * printing {@code OK <case> <cached>} or {@code ERROR <case> <reason>} for each, then {@code DONE}.
 */
public final class JudgingMain {
    private JudgingMain() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[2]);
        List<String> cases = List.of(args).subList(3, args.length);
        try (LlmJudgeRuntime runtime = LlmJudgeRuntime.builder().config(JudgeHarness.config(args[0], Path.of(args[1]), Map.of()))
                .apiKey("test-key").build()) {
            VerdictWriterMain.readyThenAwaitGo();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<String>> outcomes = new ArrayList<>();
            for (String c : cases) {
                outcomes.add(pool.submit(() -> {
                    try {
                        Verdict v = runtime.judge().judge(VerdictWriterMain.request(c));
                        return "OK " + c + " " + v.cached();
                    } catch (JudgeException e) {
                        return "ERROR " + c + " " + e.reason();
                    }
                }));
            }
            for (Future<String> outcome : outcomes) {
                System.out.println(outcome.get());
            }
            pool.shutdown();
            System.out.println("DONE");
            System.out.flush();
        }
    }

    /** Starts this class in a new JVM with the test class path; its standard error goes to {@code errors}. */
    static Process start(Path errors, String baseUrl, Path cacheDir, int threads, List<String> cases) throws IOException {
        List<String> args = new ArrayList<>(List.of(baseUrl, cacheDir.toString(), String.valueOf(threads)));
        args.addAll(cases);
        return VerdictWriterMain.startJvm(JudgingMain.class, errors, args);
    }
}
