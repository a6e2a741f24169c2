package dev.llmjudge.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@link FixtureMain} in a fresh JVM with the benchmark's class path, and reads its {@code FIGURE} lines. */
final class ChildJvm {
    /** A placeholder the OpenAI client needs to start; the loopback server ignores it. */
    static final String PLACEHOLDER_API_KEY = "bench-placeholder-key";
    private static final long TIMEOUT_MINUTES = 5;

    /** What a child printed, and how long it took from start to exit. */
    record Result(double wallMillis, long startEpochMillis, int exitCode, Map<String, String> figures, String stdout, String stderr) {
        double number(String figure) {
            String value = figures.get(figure);
            if (value == null) {
                throw new IllegalStateException("the child printed no figure " + figure + "; its output:\n" + stdout + stderr);
            }
            return Double.parseDouble(value);
        }
    }

    private ChildJvm() {
    }

    /** The benchmark's class path with absolute entries, since a child runs in its own working directory. */
    private static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(Path.of(entry).toAbsolutePath().toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    static Result run(Path workDir, List<String> jvmOptions, Map<String, String> properties, String... fixtureClasses)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        // For diagnosis, e.g. -Dbench.child.options="-XX:StartFlightRecording=filename=child.jfr"; not set in the published runs.
        String extra = System.getProperty("bench.child.options", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(absoluteClassPath());
        command.add(FixtureMain.class.getName());
        for (String fixture : fixtureClasses) {
            command.add(fixture);
        }
        Files.createDirectories(workDir);
        Path out = workDir.resolve("child-stdout.txt");
        Path err = workDir.resolve("child-stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        // Only what the benchmark sets: no LLMJUDGE_* or OPENAI_* from the caller's shell.
        builder.environment().keySet().removeIf(k -> k.startsWith("LLMJUDGE_") || k.startsWith("OPENAI_") || k.startsWith("AZURE_OPENAI"));
        builder.environment().put("OPENAI_API_KEY", PLACEHOLDER_API_KEY);
        long startEpochMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("a child JVM took more than " + TIMEOUT_MINUTES + " minutes: " + String.join(" ", command));
        }
        double wallMillis = (System.nanoTime() - start) / 1e6;
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Map<String, String> figures = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("FIGURE ")) {
                int eq = line.indexOf('=');
                figures.put(line.substring("FIGURE ".length(), eq), line.substring(eq + 1).strip());
            }
        }
        Result result = new Result(wallMillis, startEpochMillis, process.exitValue(), figures, stdout, stderr);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("a child JVM failed (exit " + result.exitCode() + ") in " + workDir + ":\n" + stdout + stderr);
        }
        return result;
    }
}
