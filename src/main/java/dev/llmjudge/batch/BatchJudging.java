package dev.llmjudge.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.llmjudge.config.BatchConfig;
import dev.llmjudge.config.ConfigSources;
import dev.llmjudge.config.ConfigurationException;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.AtomicFiles;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.cache.BatchCase;
import dev.llmjudge.internal.cache.BatchCollector;
import dev.llmjudge.internal.cache.VerdictStore;
import dev.llmjudge.internal.openai.OpenAiBatches;
import dev.llmjudge.internal.report.Pricing;
import dev.llmjudge.internal.report.RunReports;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Judges the requests a run collected ({@code llmjudge.cache.mode=collect}) through the OpenAI
 * Batch API, and records the verdicts in the verdict cache, so that the next ordinary run replays
 * them. It takes the keys as a run does ({@code -D} system properties,
 * {@code junit-platform.properties}, {@code LLMJUDGE_*} variables, and {@code -D<key>=<value>}
 * arguments, which win), and the API key and endpoint the openai-java way
 * ({@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL} or {@code llmjudge.judge.base-url}).
 *
 * <pre>
 * java -cp "$(cat target/llm-judge-classpath.txt)" dev.llmjudge.batch.BatchJudging submit
 * </pre>
 *
 * <p>{@code submit} moves the collected {@code requests.jsonl} and {@code cases.jsonl} of
 * {@code llmjudge.batch.dir} into a run directory beside them (so that a new collect starts
 * afresh), leaves out keys already recorded, splits the rest into batches of at most
 * {@code llmjudge.batch.max-requests} requests and {@code llmjudge.batch.max-bytes} bytes,
 * uploads each ({@code purpose=batch}), creates its batch, and polls every
 * {@code llmjudge.batch.poll-interval}, printing a progress line per batch (status, completed and
 * failed counts, elapsed time). A finished batch's output and error files are downloaded, every
 * reply read by the same parser as a live call, and each valid verdict recorded, marked with its
 * batch id; an invalid or failed line is listed with its reason and recorded nowhere. The
 * command's state ({@value BatchState#FILE}) is written after every step: {@code resume} (or
 * {@code submit} again) after a killed command polls the batches it had created, uploading
 * nothing twice; {@code cancel} cancels them and records what they had judged. A batch is never
 * created twice from one file: after a create whose reply was lost, and on resuming a part
 * uploaded without a batch, the provider's batches are listed and the one of that file taken.
 *
 * <p>Exit status: {@value #RECORDED} every request's verdict is recorded, {@value #SOME_FAILED}
 * some were not (each listed; collect again and submit to retry them), {@value #USAGE} bad usage
 * or configuration.
 */
public final class BatchJudging {
    /** The exit status when every collected request's verdict is recorded: {@value}. */
    public static final int RECORDED = 0;
    /** The exit status when some requests got no verdict (each listed with its reason), or the endpoint failed: {@value}. */
    public static final int SOME_FAILED = 1;
    /** The exit status of bad usage or configuration: {@value}. */
    public static final int USAGE = 2;

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("'run-'yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private static final String USAGE_TEXT = String.join("\n",
            "usage: BatchJudging submit|resume|cancel [-Dllmjudge.<key>=<value>...]",
            "  judges the requests collected by llmjudge.cache.mode=collect through the OpenAI Batch API and records the verdicts",
            "  submit   uploads the collected requests, creates the batches and waits for them (resumes a batch under way)",
            "  resume   waits for the batches of a killed command, uploading nothing again",
            "  cancel   cancels the batches under way and records what they had judged",
            "  -Dkey=value  a configuration key, e.g. -Dllmjudge.batch.poll-interval=10s (also read from -D system properties",
            "               and LLMJUDGE_* variables); the API key comes from OPENAI_API_KEY",
            "  exit status: 0 all recorded, 1 some requests got no verdict (listed), 2 bad usage");

    private final LlmJudgeConfig config;
    private final OpenAiBatches batches;
    private final PrintStream out;
    private final PrintStream err;
    private final LongSupplier clock;
    private final Path dir;
    private final VerdictStore store;
    private final long started;

    private BatchJudging(LlmJudgeConfig config, OpenAiBatches batches, PrintStream out, PrintStream err, LongSupplier clock) {
        this.config = config;
        this.batches = batches;
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.dir = config.batch().dir();
        this.store = new VerdictStore(config.cache().dir());
        this.started = clock.getAsLong();
    }

    /** Runs the command line {@code args}; exits with its status when it is not {@value #RECORDED}. */
    public static void main(String[] args) {
        int status = run(List.of(args), System.getenv(), System.out, System.err, null);
        if (status != RECORDED) {
            System.exit(status);
        }
    }

    /**
     * Runs the command, reading {@code LLMJUDGE_*} from {@code environment}, with {@code apiKey} given in code (never
     * written anywhere) or {@code null} for {@code OPENAI_API_KEY}; returns the exit status.
     */
    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err, String apiKey) {
        // Known before anything is printed: a key given by mistake as an argument or a value is then never echoed.
        Secrets.register(apiKey);
        if (args.isEmpty() || args.contains("--help") || args.contains("-h")) {
            (args.isEmpty() ? err : out).println(USAGE_TEXT);
            return args.isEmpty() ? USAGE : RECORDED;
        }
        String command = args.get(0);
        Map<String, String> settings = new LinkedHashMap<>();
        for (String arg : args.subList(1, args.size())) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("-D") || eq < 3) {
                err.println("llm-judge batch: unexpected argument '" + Secrets.redactSetting(arg) + "': give configuration keys as -Dllmjudge.<key>=<value>\n"
                        + USAGE_TEXT);
                return USAGE;
            }
            settings.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        if (!List.of("submit", "resume", "cancel").contains(command)) {
            err.println("llm-judge batch: unknown command '" + command + "': use submit, resume or cancel\n" + USAGE_TEXT);
            return USAGE;
        }
        LlmJudgeConfig config;
        try {
            config = LlmJudgeConfig.resolve(ConfigSources.commandLine(settings, environment));
        } catch (ConfigurationException e) {
            err.println("llm-judge batch: " + e.getMessage());
            return USAGE;
        }
        try (OpenAiBatches client = new OpenAiBatches(config.judge(), apiKey)) {
            return new BatchJudging(config, client, out, err, System::nanoTime).run(command);
        }
    }

    private int run(String command) {
        try {
            Optional<BatchState> underWay = BatchState.read(dir);
            BatchState state;
            if (underWay.isPresent()) {
                state = underWay.get();
                out.println("llm-judge batch: resuming the batches of " + dir.resolve(state.run()) + " (" + BatchState.FILE + ")");
            } else if (command.equals("submit")) {
                Optional<BatchState> prepared = prepare();
                if (prepared.isEmpty()) {
                    return RECORDED;
                }
                state = prepared.get();
            } else {
                err.println("llm-judge batch: no batch is under way in " + dir.toAbsolutePath() + " (no " + BatchState.FILE
                        + "): collect with llmjudge.cache.mode=collect, then run submit");
                return USAGE;
            }
            if (command.equals("cancel")) {
                state = cancel(state);
            }
            return finish(poll(submit(state)));
        } catch (JudgeException e) {
            err.println("llm-judge batch: " + e.getMessage() + "\nThe batches created so far are kept in " + dir.resolve(BatchState.FILE)
                    + ": run resume to go on.");
            return SOME_FAILED;
        } catch (BatchState.Unreadable e) {
            err.println("llm-judge batch: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("llm-judge batch: " + Secrets.redact(e.toString()) + " in " + dir.toAbsolutePath()
                    + ": make llmjudge.batch.dir readable and writable, then run resume");
            return SOME_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("llm-judge batch: interrupted; run resume to go on");
            return SOME_FAILED;
        }
    }

    /**
     * Moves the collected files into a new run directory and writes its parts; empty when nothing is collected or every
     * collected verdict is already recorded.
     */
    private Optional<BatchState> prepare() throws IOException {
        Path requests = dir.resolve(BatchCollector.REQUESTS);
        if (!Files.exists(requests)) {
            out.println("llm-judge batch: nothing to judge: no " + requests + "; collect first with llmjudge.cache.mode=collect");
            return Optional.empty();
        }
        String name = RUN_NAME.format(Instant.now());
        Path run = dir.resolve(name);
        for (int i = 2; Files.exists(run); i++) {
            run = dir.resolve(name + "-" + i);
        }
        Files.createDirectories(run);
        // Moved first: a collect run started meanwhile begins new files, and nothing collected is taken twice.
        Files.move(requests, run.resolve(BatchCollector.REQUESTS), StandardCopyOption.ATOMIC_MOVE);
        Path cases = dir.resolve(BatchCollector.CASES);
        if (Files.exists(cases)) {
            Files.move(cases, run.resolve(BatchCollector.CASES), StandardCopyOption.ATOMIC_MOVE);
        }
        Map<String, BatchCase> collected = cases(run);
        List<String> lines = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int recorded = 0;
        int unreadable = 0;
        for (String line : Files.readAllLines(run.resolve(BatchCollector.REQUESTS), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String key = customId(line);
            if (key == null || !collected.containsKey(key)) {
                unreadable++;
                err.println("llm-judge batch: left out a collected line without a custom_id and its case (a collect run killed while"
                        + " writing it?): " + Secrets.redact(line.length() > 120 ? line.substring(0, 120) + "..." : line));
                continue;
            }
            if (!seen.add(key)) {
                continue;
            }
            BatchCase c = collected.get(key);
            if (store.isRecorded(c.asMetric(), key) && store.holdsVerdict(c.asMetric(), key)) {
                recorded++;
                continue;
            }
            lines.add(line);
        }
        List<BatchState.Part> parts = split(run, lines);
        BatchState state = new BatchState(dir.relativize(run).toString(), parts);
        out.println("llm-judge batch: " + lines.size() + " requests to judge in " + parts.size() + (parts.size() == 1 ? " batch" : " batches")
                + (recorded > 0 ? ", " + recorded + " already recorded" : "") + (unreadable > 0 ? ", " + unreadable + " unreadable lines left out" : "")
                + " (" + run + ")");
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        state.write(dir.resolve(BatchState.FILE));
        return Optional.of(state);
    }

    /** Writes the lines into part files of at most {@code max-requests} lines and {@code max-bytes} bytes. */
    private List<BatchState.Part> split(Path run, List<String> lines) throws IOException {
        BatchConfig limits = config.batch();
        List<BatchState.Part> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        int count = 0;
        long bytes = 0;
        for (String line : lines) {
            long size = line.getBytes(StandardCharsets.UTF_8).length + 1L;
            if (size > limits.maxBytes()) {
                throw new IOException("one collected request is " + size + " bytes, more than llmjudge.batch.max-bytes (" + limits.maxBytes() + ")");
            }
            if (count > 0 && (count == limits.maxRequests() || bytes + size > limits.maxBytes())) {
                parts.add(writePart(run, parts.size() + 1, part, count));
                part.setLength(0);
                count = 0;
                bytes = 0;
            }
            part.append(line).append('\n');
            count++;
            bytes += size;
        }
        if (count > 0) {
            parts.add(writePart(run, parts.size() + 1, part, count));
        }
        return parts;
    }

    private static BatchState.Part writePart(Path run, int number, CharSequence content, int count) throws IOException {
        String name = "part-" + number + ".jsonl";
        AtomicFiles.write(run.resolve(name), content.toString().getBytes(StandardCharsets.UTF_8));
        return new BatchState.Part(name, count, null, null, null, false);
    }

    /**
     * Uploads and creates what is not yet, saving the state after each step. A part uploaded by an earlier command but without
     * a batch may have had one made by a create whose reply never came: the batches are listed first, and such a batch is taken
     * instead of making a second one.
     */
    private BatchState submit(BatchState state) throws IOException {
        Path run = dir.resolve(state.run());
        for (int i = 0; i < state.parts().size(); i++) {
            BatchState.Part part = state.parts().get(i);
            boolean uploadedEarlier = part.fileId() != null;
            if (!uploadedEarlier) {
                part = part.withFileId(batches.upload(run.resolve(part.input())));
                state = save(state.with(i, part));
            }
            if (part.batchId() == null) {
                Optional<OpenAiBatches.Status> found = uploadedEarlier ? batches.find(part.fileId()) : Optional.empty();
                OpenAiBatches.Status created = found.isPresent() ? found.get() : batches.create(part.fileId());
                part = part.withBatch(created.id(), created.status());
                state = save(state.with(i, part));
                String how = found.isPresent() ? "found " + created.id() + ", created earlier from " + part.fileId() + ","
                        : "created " + created.id();
                out.println("llm-judge batch: " + how + " for " + part.requests() + " requests (" + part.input() + ")");
            }
        }
        return state;
    }

    private BatchState cancel(BatchState state) throws IOException {
        for (int i = 0; i < state.parts().size(); i++) {
            BatchState.Part part = state.parts().get(i);
            if (part.batchId() != null && !part.recorded()) {
                OpenAiBatches.Status status = batches.cancel(part.batchId());
                out.println("llm-judge batch: cancelling " + part.batchId() + ": " + status.status());
                state = save(state.with(i, part.withBatch(part.batchId(), status.status())));
            }
        }
        return state;
    }

    /** Polls every unrecorded batch until each is finished and recorded; returns the lines that got no verdict. */
    private Outcome poll(BatchState state) throws IOException, InterruptedException {
        Outcome outcome = new Outcome();
        Path run = dir.resolve(state.run());
        Map<String, BatchCase> collected = cases(run);
        while (true) {
            for (int i = 0; i < state.parts().size(); i++) {
                BatchState.Part part = state.parts().get(i);
                if (part.recorded()) {
                    continue;
                }
                OpenAiBatches.Status status = batches.retrieve(part.batchId());
                out.println(progress(status));
                if (status.finished()) {
                    record(run, part, status, collected, outcome);
                    state = save(state.with(i, part.recordedAs(status.status())));
                } else if (!status.status().equals(part.status())) {
                    state = save(state.with(i, part.withBatch(part.batchId(), status.status())));
                }
            }
            if (state.done()) {
                Files.move(dir.resolve(BatchState.FILE), run.resolve(BatchState.FILE), StandardCopyOption.REPLACE_EXISTING);
                return outcome;
            }
            Thread.sleep(Math.max(1, config.batch().pollInterval().toMillis()));
        }
    }

    /** {@code llm-judge batch: batch_abc in_progress, 1200/2000 completed, 3 failed, 42s elapsed}. */
    private String progress(OpenAiBatches.Status status) {
        long elapsed = Duration.ofNanos(clock.getAsLong() - started).toSeconds();
        return "llm-judge batch: " + status.id() + " " + status.status() + ", " + status.completed() + "/" + status.total() + " completed, "
                + status.failed() + " failed, " + elapsed + "s elapsed";
    }

    /** What the batches came to. */
    private static final class Outcome {
        int recorded;
        int alreadyRecorded;
        /** The tokens the batches billed, for verdicts recorded or not, but for the replies without usage. */
        long tokens;
        /** The replies whose output line had no {@code usage}: their tokens are unknown, and so is the cost. */
        int unreportedReplies;
        /**
         * What the batches billed at the batch rate, cached prompt tokens at the cached rate; {@code null} once a price is unknown
         * or a reply came without usage.
         */
        Double costUsd = 0.0;
        final List<String> failed = new ArrayList<>();

        void billed(String model, TokenUsage usage) {
            tokens += usage.totalTokens();
            unreportedReplies += usage.unreportedReplies();
            if (!usage.reported()) {
                costUsd = null;
            } else if (usage.totalTokens() > 0) {
                Optional<Double> usd = Pricing.estimateUsd(model, usage.promptTokens(), usage.cachedPromptTokens(),
                        usage.completionTokens(), true);
                costUsd = costUsd == null || usd.isEmpty() ? null : costUsd + usd.get();
            }
        }
    }

    /** Reads a finished batch's output and error files, records each valid verdict, and lists every other request. */
    private void record(Path run, BatchState.Part part, OpenAiBatches.Status status, Map<String, BatchCase> collected, Outcome outcome)
            throws IOException {
        Set<String> answered = new HashSet<>();
        if (status.outputFileId().isPresent()) {
            for (String line : batches.content(status.outputFileId().get()).split("\n")) {
                if (!line.isBlank()) {
                    answered.add(recordLine(line, part.batchId(), collected, outcome));
                }
            }
        }
        if (status.errorFileId().isPresent()) {
            for (String line : batches.content(status.errorFileId().get()).split("\n")) {
                if (!line.isBlank()) {
                    JsonNode node = JSON.readTree(line);
                    String key = node.path("custom_id").asText("?");
                    answered.add(key);
                    if (recordedMeanwhile(key, collected)) {
                        outcome.alreadyRecorded++;
                    } else {
                        outcome.failed.add(key + ": " + failure(node));
                    }
                }
            }
        }
        for (String line : Files.readAllLines(run.resolve(part.input()), StandardCharsets.UTF_8)) {
            String key = line.isBlank() ? null : customId(line);
            if (key != null && !answered.contains(key) && !recordedMeanwhile(key, collected)) {
                outcome.failed.add(key + ": not judged: batch " + part.batchId() + " ended " + status.status() + " before this request");
            }
        }
    }

    /**
     * Whether the collected request {@code key} has a verdict recorded since it was collected (by a live run, say): then
     * nothing is missing, whatever the batch made of it, and what it replied is not read.
     */
    private boolean recordedMeanwhile(String key, Map<String, BatchCase> collected) {
        BatchCase c = collected.get(key);
        return c != null && store.holdsVerdict(c.asMetric(), key);
    }

    /**
     * Records the verdict of one output line unless a verdict for its key is recorded already; returns its key. What the
     * batch billed for the line counts in the outcome's tokens and cost whether or not its verdict is recorded.
     */
    private String recordLine(String line, String batchId, Map<String, BatchCase> collected, Outcome outcome) throws IOException {
        JsonNode node = JSON.readTree(line);
        String key = node.path("custom_id").asText("?");
        JsonNode response = node.path("response");
        BatchCase c = collected.get(key);
        if (c == null) {
            outcome.failed.add(key + ": no collected case has this custom_id");
            return key;
        }
        if (node.path("error").isObject() || response.path("status_code").asInt(0) != 200) {
            noVerdict(key, failure(node), collected, outcome);
            return key;
        }
        Verdict verdict;
        try {
            verdict = OpenAiBatches.verdict(c, response.path("body").toString(), batchId);
        } catch (JudgeException e) {
            outcome.billed(c.model(), e.spent());
            noVerdict(key, e.getMessage(), collected, outcome);
            return key;
        }
        outcome.billed(verdict.judgeModel(), verdict.usage());
        if (store.writeUnlessRecorded(verdict, c.asRequest(), key)) {
            outcome.recorded++;
        } else {
            outcome.alreadyRecorded++;
        }
        return key;
    }

    /** A line without a verdict: nothing is missing if its key has a verdict recorded since it was collected, else it failed. */
    private void noVerdict(String key, String why, Map<String, BatchCase> collected, Outcome outcome) {
        if (recordedMeanwhile(key, collected)) {
            outcome.alreadyRecorded++;
        } else {
            outcome.failed.add(key + ": " + why);
        }
    }

    /** Why an error-file or failed output line has no verdict: its error, else its response's status and message. */
    private static String failure(JsonNode node) {
        JsonNode error = node.path("error");
        if (error.isObject()) {
            return "the batch reports " + error.path("code").asText("an error") + ": " + error.path("message").asText("");
        }
        JsonNode response = node.path("response");
        return "the request failed with HTTP " + response.path("status_code").asText("?") + ": "
                + response.path("body").path("error").path("message").asText(response.path("body").toString());
    }

    private int finish(Outcome outcome) {
        for (String failed : outcome.failed) {
            err.println("llm-judge batch: no verdict for " + Secrets.redact(failed));
        }
        out.println("llm-judge batch: " + outcome.recorded + " verdicts recorded in " + store.dir()
                + (outcome.alreadyRecorded > 0 ? ", " + outcome.alreadyRecorded + " already recorded" : "") + ", " + outcome.tokens
                + " tokens billed" + RunReports.unreported(outcome.unreportedReplies) + ", " + RunReports.cost(outcome.costUsd)
                + " at the batch rate, " + outcome.failed.size()
                + " without a verdict" + (outcome.failed.isEmpty() ? "" : " (listed above; collect again and submit to retry them)"));
        return outcome.failed.isEmpty() ? RECORDED : SOME_FAILED;
    }

    private BatchState save(BatchState state) throws IOException {
        state.write(dir.resolve(BatchState.FILE));
        return state;
    }

    private static Map<String, BatchCase> cases(Path run) throws IOException {
        Map<String, BatchCase> cases = new LinkedHashMap<>();
        Path file = run.resolve(BatchCollector.CASES);
        if (!Files.exists(file)) {
            return cases;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                try {
                    BatchCase c = JSON.readValue(line, BatchCase.class);
                    cases.putIfAbsent(c.customId(), c);
                } catch (IOException e) {
                    // A line cut short by a killed collect run: its request is left out as unreadable.
                }
            }
        }
        return cases;
    }

    private static String customId(String line) {
        try {
            JsonNode id = JSON.readTree(line).get("custom_id");
            return id == null ? null : id.asText();
        } catch (IOException e) {
            return null;
        }
    }
}
