package dev.llmjudge.cache;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JsonText;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.PromptRenderer;
import dev.llmjudge.judge.Secrets;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.Metric;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLockInterruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Recorded verdicts on disk: one pretty-printed JSON file per verdict at
 * {@code <dir>/<metric>/<key>.json}, fields in a fixed order, meant to be committed and read
 * in pull requests.
 *
 * <p>Writes are atomic: the file is written under a temporary name in the same directory,
 * forced to disk and renamed over the target, so no reader (another thread, another Surefire
 * fork, a later run after a crash) ever sees half a file. Temporary files are never read, and
 * those a killed writer left behind are removed by a later write once they are stale. A key
 * being judged is claimed through a hidden file beside its verdict file,
 * {@code .<key>.claim}, never read as a verdict either. Every text written passes through
 * {@link Secrets#redact(String)}.
 *
 * <pre>{@code
 * VerdictStore store = new VerdictStore(Path.of("src/test/llm-judge"));
 * Optional<Verdict> recorded = store.read(metric, key);
 * }</pre>
 */
public final class VerdictStore {
    /** The format tag written into every verdict file. */
    public static final String SCHEMA = "llm-judge-verdict/1";

    /** Members of a verdict file written for reviewers, not read back: the bulk of a file is the case's text. */
    private static final Set<String> NOT_READ_BACK = Set.of("case", "scale", "judged_at");

    /** What writing needs, loaded on the first write only. */
    private static final class Writing {
        static final ObjectMapper JSON = new ObjectMapper();
        static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n")));
    }

    /** Age after which a leftover temporary file, or a claim file no one holds, is taken to be from a writer that died. */
    static final Duration STALE_TEMPORARY_FILE = Duration.ofMinutes(10);

    private final Path dir;
    /** Per metric directory: the keys listed on first use, plus those this store wrote since. */
    private final ConcurrentMap<String, Set<String>> recordedKeys = new ConcurrentHashMap<>();
    private final Set<Path> swept = ConcurrentHashMap.newKeySet();

    /**
     * Verdict files of one metric a store reads one by one before it reads the rest of that metric's directory
     * ahead: a run that replays a few verdicts never pays for reading a large cache, a run that replays many stops
     * reading files.
     */
    static final int READ_AHEAD_AFTER = 100;
    /** Per metric name, the verdict files this store has read one by one. */
    private final ConcurrentMap<String, AtomicInteger> filesRead = new ConcurrentHashMap<>();

    /** Most verdict files read ahead for one metric; a larger cache is read file by file as checks need them. */
    static final int MAX_READ_AHEAD = 50_000;
    /** Verdict files read ahead, decoded, per metric directory (shared by every store of that directory in this JVM). */
    private static final ConcurrentMap<Path, ReadAhead> READ_AHEAD = new ConcurrentHashMap<>();

    /** The verdict files of one metric's directory, read and decoded by a background thread. */
    static final class ReadAhead {
        /** Key to what its file holds. */
        final ConcurrentMap<String, Recorded> recorded = new ConcurrentHashMap<>();
        /** Keys this JVM recorded since the read-ahead started: their files are read again, never taken from here. */
        private final Set<String> written = ConcurrentHashMap.newKeySet();
        final CountDownLatch done = new CountDownLatch(1);

        /** Keeps what the background thread read, unless this JVM has recorded the key since (it may have read the old file). */
        void offer(String key, Recorded read) {
            recorded.put(key, read);
            if (written.contains(key)) {
                recorded.remove(key, read);
            }
        }

        /** Forgets a key this JVM has just recorded, now and if the background thread reads its old file later. */
        void written(String key) {
            written.add(key);
            recorded.remove(key);
        }
    }

    /**
     * What a verdict file holds that a check reads back, checked except against the metric (its
     * score range), which only the check knows.
     */
    record Recorded(int score, String justification, String model, Map<String, Object> parameters, String metricVersion, long latencyMillis,
            long promptTokens, long completionTokens) {
        Verdict toVerdict(Metric metric, String key, String file) {
            return new Verdict(metric.name(), metricVersion == null ? metric.version() : metricVersion, score, metric.minScore(),
                    metric.maxScore(), justification, model, parameters, key, true, file, Duration.ofMillis(latencyMillis),
                    new TokenUsage(promptTokens, completionTokens));
        }
    }

    /** {@link #dir} made absolute, once: the read-ahead of a directory is shared under this name. */
    private final Path root;
    /** Per metric name, the text of its directory, so that a replayed verdict names its file without path arithmetic. */
    private final ConcurrentMap<String, String> metricDirs = new ConcurrentHashMap<>();
    /** Per metric name, the read-ahead of its directory, once one was started. */
    private final ConcurrentMap<String, ReadAhead> readAheads = new ConcurrentHashMap<>();

    public VerdictStore(Path dir) {
        this.dir = dir;
        this.root = dir.toAbsolutePath().normalize();
    }

    /**
     * Starts reading the recorded verdicts of every metric directory in background threads (see
     * {@link #readAheadInBackground(String)}).
     */
    public void readAheadInBackground() {
        try (DirectoryStream<Path> metrics = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path metricDir : metrics) {
                readAheadInBackground(metricDir.getFileName().toString());
            }
        } catch (IOException e) {
            // No directory yet, or an unreadable one: read() reads file by file and reports what it meets.
        }
    }

    /**
     * Starts reading every recorded verdict of one metric in a background thread, once per
     * metric directory and JVM, so that a check finds its verdict in memory instead of reading
     * and parsing a file while it runs. {@link #read} starts it by itself once it has read
     * {@value #READ_AHEAD_AFTER} files of the metric. Files written later by this JVM replace what
     * was read; a file another process changes during the run is read as it was when the run
     * started. Corrupt or unreadable files are left to {@link #read}, which reports them with
     * their path.
     */
    public void readAheadInBackground(String metricName) {
        readAheads.computeIfAbsent(metricName, name -> READ_AHEAD.computeIfAbsent(root.resolve(name), metricDir -> {
            ReadAhead readAhead = new ReadAhead();
            Thread thread = new Thread(() -> readAll(metricDir, readAhead), "llm-judge-verdict-read-ahead");
            thread.setDaemon(true);
            thread.start();
            return readAhead;
        }));
    }

    private static void readAll(Path metricDir, ReadAhead readAhead) {
        int count = 0;
        // The sampling parameters repeat across a run's verdicts: held once each.
        Map<Map<String, Object>, Map<String, Object>> parameters = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(metricDir, "[!.]*.json")) {
            for (Path file : files) {
                if (count++ >= MAX_READ_AHEAD) {
                    return;
                }
                try {
                    String name = file.getFileName().toString();
                    String key = name.substring(0, name.length() - ".json".length());
                    readAhead.offer(key, recorded(JsonText.parse(Files.readString(file, StandardCharsets.UTF_8), NOT_READ_BACK), file, key,
                            parameters));
                } catch (IOException | RuntimeException e) {
                    // Left to read(), which reports a corrupt or unreadable file with its path when a check needs it.
                }
            }
        } catch (IOException | RuntimeException e) {
            // No directory yet, or an unreadable one: read() reads file by file and reports what it meets.
        } finally {
            readAhead.done.countDown();
        }
    }

    /** Waits until every read-ahead this store started or joined has finished (for tests). */
    void awaitReadAhead() throws InterruptedException {
        for (ReadAhead readAhead : readAheads.values()) {
            readAhead.done.await();
        }
    }

    public Path dir() {
        return dir;
    }

    /** Where the verdict for {@code key} of {@code metric} is (or would be) stored. */
    public Path fileFor(Metric metric, String key) {
        return dir.resolve(metric.name()).resolve(key + ".json");
    }

    /**
     * Reads a recorded verdict.
     *
     * @return the verdict, marked as cached, or empty when none is recorded
     * @throws CorruptVerdictException when the file exists but is not a valid verdict
     * @throws JudgeException ({@link Reason#CACHE_IO}) when the file cannot be read
     */
    public Optional<Verdict> read(Metric metric, String key) {
        ReadAhead ahead = readAheadOf(metric.name());
        if (ahead != null) {
            Recorded recorded = ahead.recorded.get(key);
            if (recorded != null) {
                if (outsideScale(recorded.score(), metric)) {
                    throw new CorruptVerdictException(fileFor(metric, key), scaleProblem(recorded.score(), metric));
                }
                return Optional.of(recorded.toVerdict(metric, key, fileName(metric, key)));
            }
        }
        Path file = fileFor(metric, key);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new JudgeException(Reason.CACHE_IO, "cannot read verdict file " + file + " (" + e + "): " + notADirectory(file)
                    .map(f -> f + " is a file, not a directory: point llmjudge.cache.dir at a directory")
                    .orElse("check the permissions of " + dir.toAbsolutePath() + " (llmjudge.cache.dir)"), e);
        }
        if (filesRead.computeIfAbsent(metric.name(), name -> new AtomicInteger()).incrementAndGet() == READ_AHEAD_AFTER) {
            readAheadInBackground(metric.name());
        }
        return Optional.of(decode(bytes, file, metric, key));
    }

    /** The read-ahead of a metric's directory, if one was started (by this store or another store of the same directory). */
    private ReadAhead readAheadOf(String metricName) {
        ReadAhead ahead = readAheads.get(metricName);
        if (ahead == null && !READ_AHEAD.isEmpty()) {
            ahead = READ_AHEAD.get(root.resolve(metricName));
            if (ahead != null) {
                readAheads.putIfAbsent(metricName, ahead);
            }
        }
        return ahead;
    }

    /** {@code fileFor(metric, key).toString()}, without resolving paths on every replayed check. */
    private String fileName(Metric metric, String key) {
        String metricDir = metricDirs.computeIfAbsent(metric.name(), name -> dir.resolve(name).toString());
        return metricDir + File.separator + key + ".json";
    }

    private static boolean outsideScale(int score, Metric metric) {
        return score < metric.minScore() || score > metric.maxScore();
    }

    private static String scaleProblem(int score, Metric metric) {
        return "its score " + score + " is outside " + metric.minScore() + ".." + metric.maxScore();
    }

    /**
     * Whether a verdict file for {@code key} exists, answered from one listing of the metric's
     * directory (taken on first use, then kept up to date with this store's own writes) rather
     * than from the file system each time. A hint for deciding what to judge ahead: a file
     * another process writes later is not seen, and {@link #read} stays the authority.
     */
    public boolean isRecorded(Metric metric, String key) {
        return recordedKeys.computeIfAbsent(metric.name(), this::listKeys).contains(key);
    }

    private Set<String> listKeys(String metricName) {
        Set<String> keys = ConcurrentHashMap.newKeySet();
        Path metricDir = dir.resolve(metricName);
        if (!Files.isDirectory(metricDir)) {
            return keys;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(metricDir, "[!.]*.json")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                keys.add(name.substring(0, name.length() - ".json".length()));
            }
        } catch (IOException e) {
            // An unreadable directory holds nothing we can use; read() reports the problem when a check needs a verdict.
            keys.clear();
        }
        return keys;
    }

    /**
     * Reads a verdict file. Parsed without a JSON library ({@link JsonText}), so a run that only
     * replays verdicts does not pay for loading one.
     */
    static Verdict decode(byte[] bytes, Path file, Metric metric, String key) {
        Object parsed;
        try {
            parsed = JsonText.parse(new String(bytes, StandardCharsets.UTF_8), NOT_READ_BACK);
        } catch (IllegalArgumentException e) {
            throw new CorruptVerdictException(file, "it is not valid JSON (" + e.getMessage() + ")");
        }
        return decodeParsed(parsed, file, metric, key);
    }

    private static Verdict decodeParsed(Object parsed, Path file, Metric metric, String key) {
        Recorded recorded = recorded(parsed, file, key, null);
        if (outsideScale(recorded.score(), metric)) {
            throw new CorruptVerdictException(file, scaleProblem(recorded.score(), metric));
        }
        return recorded.toVerdict(metric, key, file.toString());
    }

    /**
     * Checks a parsed verdict file, except for the score range, and takes what a check reads back.
     *
     * @param shared sampling parameters seen before, to hold each distinct set once; {@code null} to keep none
     */
    private static Recorded recorded(Object parsed, Path file, String key, Map<Map<String, Object>, Map<String, Object>> shared) {
        if (!(parsed instanceof Map<?, ?> root) || !SCHEMA.equals(text(root.get("schema")))) {
            throw new CorruptVerdictException(file, "it is not a " + SCHEMA + " document");
        }
        if (!key.equals(text(root.get("key")))) {
            throw new CorruptVerdictException(file, "its key does not match its file name");
        }
        if (!(root.get("score") instanceof Integer score)) {
            throw new CorruptVerdictException(file, "its score is not an integer");
        }
        Map<?, ?> judge = object(root.get("judge"));
        String model = text(judge.get("model"));
        if (model == null || model.isBlank() || !(root.get("justification") instanceof String justification)) {
            throw new CorruptVerdictException(file, "it has no judge model or no justification");
        }
        Map<String, Object> read = new LinkedHashMap<>();
        object(judge.get("parameters")).forEach((name, value) ->
                read.put((String) name, value instanceof Number ? value : value instanceof Map || value instanceof List ? "" : String.valueOf(value)));
        // Sorted and unmodifiable once, in the form every Verdict made from it keeps without copying.
        Map<String, Object> parameters = Verdict.sortedParameters(read);
        if (shared != null) {
            parameters = shared.computeIfAbsent(parameters, p -> p);
        }
        String version = text(object(root.get("metric")).get("version"));
        Map<?, ?> usage = object(root.get("usage"));
        return new Recorded(score, justification, model, parameters, version, whole(root.get("latency_ms")), whole(usage.get("prompt_tokens")),
                whole(usage.get("completion_tokens")));
    }

    /** A scalar as text ({@code null} for null, objects and arrays), as a tree's {@code asText} would give it. */
    private static String text(Object value) {
        return value == null || value instanceof Map || value instanceof List ? null : String.valueOf(value);
    }

    private static Map<?, ?> object(Object value) {
        return value instanceof Map<?, ?> map ? map : Map.of();
    }

    private static long whole(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    /**
     * Records a verdict atomically, replacing any earlier one for the same key.
     *
     * @return the verdict marked with its key and file
     * @throws JudgeException ({@link Reason#CACHE_IO}) when the directory cannot be written
     */
    public Verdict write(Verdict verdict, JudgeRequest request, String key) {
        Path file = fileFor(request.metric(), key);
        byte[] bytes = encode(verdict, request, key);
        Path parent = file.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            removeStaleLeftovers(parent);
            tmp = parent.resolve("." + key + "." + UUID.randomUUID() + ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            rewritten(request.metric(), key);
        } catch (IOException e) {
            throw cannotWrite(file, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: temporary files are never read as verdicts
                }
            }
        }
        return verdict.withCacheEntry(key, file.toString(), false);
    }

    /**
     * Claims {@code key} of {@code metric} for judging and recording it, waiting while another
     * thread, runtime or process holds the claim (see {@link VerdictClaim}). Close the claim once
     * the verdict is recorded or judging failed. A verdict file another holder wrote while this
     * one waited is read from the file afterwards, never from what was read ahead.
     *
     * @throws JudgeException ({@link Reason#CACHE_IO}) when the claim file cannot be created, as
     *     the verdict file could not be; ({@link Reason#NETWORK}) when interrupted while waiting
     */
    VerdictClaim claim(Metric metric, String key) {
        Path file = fileFor(metric, key);
        try {
            VerdictClaim claim = VerdictClaim.take(file);
            if (claim.verdictWrittenWhileWaiting()) {
                rewritten(metric, key);
            }
            return claim;
        } catch (InterruptedException | ClosedByInterruptException | FileLockInterruptionException e) {
            Thread.currentThread().interrupt();
            throw new JudgeException(Reason.NETWORK, "interrupted while waiting for another thread or process to record " + file, e);
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    /** Keeps what this store knows of a metric's directory up to date after the verdict file of {@code key} was written. */
    private void rewritten(Metric metric, String key) {
        ReadAhead ahead = readAheadOf(metric.name());
        if (ahead != null) {
            ahead.written(key);
        }
        Set<String> known = recordedKeys.get(metric.name());
        if (known != null) {
            known.add(key);
        }
    }

    private JudgeException cannotWrite(Path file, IOException e) {
        Optional<Path> blocker = notADirectory(file);
        if (blocker.isPresent()) {
            return new JudgeException(Reason.CACHE_IO, "cannot write verdict file " + file + ": the cache directory "
                    + dir.toAbsolutePath() + " (llmjudge.cache.dir) cannot be created because " + blocker.get()
                    + " is a file, not a directory. Point llmjudge.cache.dir at a directory, or move that file away.", e);
        }
        return new JudgeException(Reason.CACHE_IO, "cannot write verdict file " + file + " (" + e.getClass().getSimpleName() + ": "
                + e.getMessage() + "): make " + dir.toAbsolutePath() + " writable, point llmjudge.cache.dir at a writable directory,"
                + " or use llmjudge.cache.mode=replay to read a committed cache without writing", e);
    }

    /**
     * Deletes temporary files that a writer killed mid-write left behind, and claim files that
     * a killed JVM left (neither is ever read as a verdict). Only files older than
     * {@link #STALE_TEMPORARY_FILE} go, so a write in progress in another JVM is left alone, and
     * a claim file only if no one holds it. Once per directory and store.
     */
    private void removeStaleLeftovers(Path metricDir) {
        if (!swept.add(metricDir)) {
            return;
        }
        Instant cutoff = Instant.now().minus(STALE_TEMPORARY_FILE);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(metricDir, ".*.{tmp,claim}")) {
            for (Path leftover : leftovers) {
                try {
                    if (Files.getLastModifiedTime(leftover).toInstant().isBefore(cutoff)) {
                        if (leftover.getFileName().toString().endsWith(".claim")) {
                            VerdictClaim.deleteIfUnclaimed(leftover);
                        } else {
                            Files.deleteIfExists(leftover);
                        }
                    }
                } catch (IOException ignored) {
                    // best effort: another writer may be removing it
                }
            }
        } catch (IOException ignored) {
            // best effort: leftovers are never read as verdicts
        }
    }

    /** The first part of the path to {@code file} that exists but is not a directory, if any. */
    private static Optional<Path> notADirectory(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path current = absolute.getRoot();
        Path parent = absolute.getParent();
        for (Path name : parent == null ? absolute : parent) {
            current = current == null ? name : current.resolve(name);
            if (!Files.exists(current)) {
                return Optional.empty();
            }
            if (!Files.isDirectory(current)) {
                return Optional.of(current);
            }
        }
        return Optional.empty();
    }

    static byte[] encode(Verdict verdict, JudgeRequest request, String key) {
        ObjectNode root = Writing.JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("key", key);
        ObjectNode metric = root.putObject("metric");
        metric.put("name", verdict.metric());
        metric.put("version", verdict.metricVersion());
        ObjectNode judge = root.putObject("judge");
        judge.put("model", verdict.judgeModel());
        ObjectNode params = judge.putObject("parameters");
        verdict.parameters().forEach(params::putPOJO);
        root.put("score", verdict.score());
        ObjectNode scale = root.putObject("scale");
        scale.put("min", verdict.minScore());
        scale.put("max", verdict.maxScore());
        root.put("justification", Secrets.redact(verdict.justification()));
        ObjectNode c = root.putObject("case");
        EvaluationCase evaluationCase = request.evaluationCase();
        for (Field field : Field.values()) {
            if (request.metric().requires(field)) {
                c.put(PromptRenderer.jsonName(field), Secrets.redact(evaluationCase.get(field)));
            }
        }
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", verdict.usage().promptTokens());
        usage.put("completion_tokens", verdict.usage().completionTokens());
        root.put("latency_ms", verdict.latency().toMillis());
        root.put("judged_at", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        try {
            return (Writing.PRETTY.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise verdict", e);
        }
    }
}
