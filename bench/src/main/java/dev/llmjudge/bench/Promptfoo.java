package dev.llmjudge.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmjudge.bench.fixtures.Rows;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * promptfoo, pinned, installed from npm under {@code bench/target/promptfoo}, run on the same rows
 * against the same kind of loopback judge: the {@code echo} provider returns each row's prediction
 * and one {@code llm-rubric} assertion per case asks the grader (an {@code openai:chat} provider
 * pointed at the loopback server) whether it matches the ground truth.
 */
final class Promptfoo {
    static final String VERSION = "0.121.20";
    private static final long INSTALL_MINUTES = 10;
    private static final long RUN_MINUTES = 5;

    /** How promptfoo is started. */
    enum Form {
        /** As the issue measured it and as its documentation runs it: {@code npx promptfoo eval}, its table and its results database written. */
        NPX("npx promptfoo eval"),
        /** Its quickest: the installed binary, with {@code --no-write --no-share --no-table --no-progress-bar}. */
        QUICKEST("promptfoo eval --no-write");

        final String label;

        Form(String label) {
            this.label = label;
        }
    }

    private final Path executable;
    private final Path installDir;

    private Promptfoo(Path executable, Path installDir) {
        this.executable = executable;
        this.installDir = installDir;
    }

    /** promptfoo installed (once) under {@code dir}; empty, with why, when npm is absent or the install fails. */
    static Optional<Promptfoo> install(Path dir, List<String> why) throws InterruptedException {
        Path bin = dir.resolve("node_modules").resolve(".bin").resolve("promptfoo");
        if (!Files.isExecutable(bin) || !installedVersion(dir).equals(VERSION)) {
            Optional<Path> npm = onPath("npm");
            if (npm.isEmpty()) {
                why.add("npm is not on the PATH: install Node.js and npm to run promptfoo side by side");
                return Optional.empty();
            }
            try {
                Files.createDirectories(dir);
                Process install = new ProcessBuilder(npm.get().toString(), "install", "--prefix", dir.toString(), "--no-audit", "--no-fund",
                        "promptfoo@" + VERSION).redirectErrorStream(true).redirectOutput(dir.resolve("npm-install.log").toFile()).start();
                if (!install.waitFor(INSTALL_MINUTES, TimeUnit.MINUTES)) {
                    install.destroyForcibly();
                    why.add("npm install promptfoo@" + VERSION + " took more than " + INSTALL_MINUTES + " minutes (offline?)");
                    return Optional.empty();
                }
                if (install.exitValue() != 0 || !Files.isExecutable(bin)) {
                    why.add("npm install promptfoo@" + VERSION + " failed (offline?), see " + dir.resolve("npm-install.log"));
                    return Optional.empty();
                }
            } catch (IOException e) {
                why.add("npm install promptfoo@" + VERSION + " could not run: " + e.getMessage());
                return Optional.empty();
            }
        }
        return Optional.of(new Promptfoo(bin, dir));
    }

    private static String installedVersion(Path dir) {
        Path pkg = dir.resolve("node_modules").resolve("promptfoo").resolve("package.json");
        try {
            return Files.exists(pkg) ? Bench.JSON.readTree(pkg.toFile()).path("version").asText() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static Optional<Path> onPath(String command) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, command);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Writes the evaluation of {@code rows} rows graded by {@code model} at {@code baseUrl} (with Jackson) and returns its file. */
    static Path writeConfig(Path dir, int rows, String model, String baseUrl) throws IOException {
        ObjectNode config = Bench.JSON.createObjectNode();
        config.put("description", "llm-judge-junit benchmark, side by side");
        config.putArray("prompts").add("{{prediction}}");
        config.putArray("providers").add("echo");
        ObjectNode grader = config.putObject("defaultTest").putObject("options").putObject("provider");
        grader.put("id", "openai:chat:" + model);
        grader.putObject("config").put("apiBaseUrl", baseUrl);
        ArrayNode tests = config.putArray("tests");
        for (int i = 1; i <= rows; i++) {
            ObjectNode test = tests.addObject();
            test.putObject("vars").put("question", Rows.question(i)).put("ground_truth", Rows.groundTruth(i)).put("prediction",
                    Rows.prediction(i));
            test.putArray("assert").addObject().put("type", "llm-rubric")
                    .put("value", "The output conveys the same meaning as the reference answer: {{ground_truth}}");
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("promptfooconfig.json");
        Bench.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
        return file;
    }

    /** What one run took, JVM-less: process start to exit. */
    record Run(double wallMillis, int exitCode, String output) {
    }

    /** Runs {@code promptfoo eval} on {@code config} as a whole process; {@code cache}: promptfoo's disk cache on (else {@code --no-cache}). */
    Run eval(Form form, Path config, int concurrency, boolean cache, Path home) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (form == Form.NPX) {
            // The locally installed package (--no: never one from the registry).
            command.addAll(List.of(onPath("npx").orElseThrow(() -> new IllegalStateException("npx is not on the PATH")).toString(), "--prefix",
                    installDir.toString(), "--no", "promptfoo", "eval", "-c", config.toString(), "--max-concurrency", String.valueOf(concurrency)));
        } else {
            command.addAll(List.of(executable.toString(), "eval", "-c", config.toString(), "--max-concurrency", String.valueOf(concurrency),
                    "--no-table", "--no-progress-bar", "--no-share", "--no-write"));
        }
        if (!cache) {
            command.add("--no-cache");
        }
        Path log = home.resolve("promptfoo-" + form.name().toLowerCase(Locale.ROOT) + "-" + (cache ? "cached" : "no-cache") + "-"
                + System.nanoTime() + ".log");
        Files.createDirectories(home);
        ProcessBuilder builder = new ProcessBuilder(command).directory(config.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("OPENAI_") || k.startsWith("PROMPTFOO_"));
        env.put("OPENAI_API_KEY", ChildJvm.PLACEHOLDER_API_KEY);
        // Its files under the benchmark's work directory; nothing sent anywhere but the loopback server.
        env.put("PROMPTFOO_CONFIG_DIR", home.resolve("config").toString());
        env.put("PROMPTFOO_CACHE_PATH", home.resolve("cache").toString());
        env.put("PROMPTFOO_DISABLE_TELEMETRY", "1");
        env.put("PROMPTFOO_DISABLE_UPDATE", "1");
        env.put("PROMPTFOO_DISABLE_REMOTE_GENERATION", "true");
        env.put("PROMPTFOO_DISABLE_SHARING", "1");
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(RUN_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("promptfoo took more than " + RUN_MINUTES + " minutes; see " + log);
        }
        double wall = (System.nanoTime() - start) / 1e6;
        return new Run(wall, process.exitValue(), Files.readString(log));
    }
}
