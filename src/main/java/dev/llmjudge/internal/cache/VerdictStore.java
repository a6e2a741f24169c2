package dev.llmjudge.internal.cache;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.internal.AtomicFiles;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.Metric;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileLockInterruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * Recorded verdicts on disk, one pretty-printed JSON file each at {@code <dir>/<metric>/<key>.json}
 * ({@link VerdictFile}), written atomically and redacted. The hidden files beside them (a
 * killed writer's temporary files, claim files) are never read as verdicts, and stale ones are
 * swept by a later write.
 */
public final class VerdictStore {
    /** The format tag written into every verdict file. */
    public static final String SCHEMA = "llm-judge-verdict/1";

    /** A score is read only from a JSON integer, never from text or a fraction. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .withCoercionConfig(LogicalType.Integer, integers -> integers.setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .build();
    private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    /** Age after which a leftover temporary or claim file is taken to be a dead writer's. */
    static final Duration STALE_TEMPORARY_FILE = Duration.ofMinutes(10);

    private final Path dir;
    /** Per metric directory: the keys listed on first use, plus those this store wrote since. */
    private final ConcurrentMap<String, Set<String>> recordedKeys = new ConcurrentHashMap<>();
    private final Set<Path> swept = ConcurrentHashMap.newKeySet();

    public VerdictStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Where the verdict for {@code key} of {@code metric} is (or would be) stored. */
    public Path fileFor(Metric metric, String key) {
        return dir.resolve(metric.name()).resolve(key + ".json");
    }

    /** The recorded verdict, marked as cached; throws {@link CorruptVerdictException} for a file that holds none. */
    public Optional<Verdict> read(Metric metric, String key) {
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
        return Optional.of(decode(bytes, file, metric, key));
    }

    /**
     * Whether a verdict file for {@code key} exists, from one listing of the metric's directory kept
     * up to date with this store's writes: a hint for judging ahead; {@link #read} is the authority.
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

    static Verdict decode(byte[] bytes, Path file, Metric metric, String key) {
        VerdictFile read;
        try {
            read = JSON.readValue(bytes, VerdictFile.class);
        } catch (JsonMappingException e) {
            throw new CorruptVerdictException(file, misfit(e));
        } catch (IOException e) {
            throw new CorruptVerdictException(file, notJson(e));
        }
        if (read == null || !SCHEMA.equals(read.schema())) {
            throw new CorruptVerdictException(file, "it is not a " + SCHEMA + " document");
        }
        if (!key.equals(read.key())) {
            throw new CorruptVerdictException(file, "its key does not match its file name");
        }
        if (read.score() == null) {
            throw new CorruptVerdictException(file, "its score is not an integer");
        }
        String model = read.judge() == null ? null : read.judge().model();
        if (model == null || model.isBlank() || read.justification() == null) {
            throw new CorruptVerdictException(file, "it has no judge model or no justification");
        }
        int score = read.score();
        if (score < metric.minScore() || score > metric.maxScore()) {
            throw new CorruptVerdictException(file, "its score " + score + " is outside " + metric.minScore() + ".." + metric.maxScore());
        }
        String version = read.metric() == null || read.metric().version() == null ? metric.version() : read.metric().version();
        VerdictFile.Usage usage = read.usage() == null ? new VerdictFile.Usage(0, 0) : read.usage();
        Duration latency = Duration.ofMillis(read.latencyMillis() == null ? 0 : read.latencyMillis());
        return new Verdict(metric.name(), version, score, metric.minScore(), metric.maxScore(), read.justification(), model,
                read.judge().parameters(), key, true, file.toString(), latency, new TokenUsage(usage.promptTokens(), usage.completionTokens()));
    }

    /** What is wrong with a document that does not bind to {@link VerdictFile}: the member, and what Jackson found there. */
    private static String misfit(JsonMappingException e) {
        String member = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        if (member.isEmpty() || member.equals("schema")) {
            return "it is not a " + SCHEMA + " document";
        }
        if (member.equals("score")) {
            return "its score is not an integer";
        }
        // Data binding reports a document that breaks off, or is not JSON further on, at the member it was reading.
        if (e.getCause() instanceof StreamReadException broken && !(broken instanceof InputCoercionException)) {
            return notJson(broken);
        }
        return "its " + member + " is malformed (" + e.getOriginalMessage() + ")";
    }

    /** Says that a document is not JSON, where and why, without Jackson's account of the source (the message names the file). */
    private static String notJson(IOException e) {
        if (!(e instanceof JsonProcessingException problem)) {
            return "it is not valid JSON (" + e.getMessage() + ")";
        }
        String why = problem.getOriginalMessage().replaceAll(" \\([^()]*\\[Source: [^\\]]*\\]\\)", "");
        JsonLocation where = problem.getLocation();
        return "it is not valid JSON (" + why + (where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr()) + ")";
    }

    /** Records a verdict atomically, replacing any earlier one; returns it marked with its key and file. */
    public Verdict write(Verdict verdict, JudgeRequest request, String key) {
        Path file = fileFor(request.metric(), key);
        byte[] bytes = encode(verdict, request, key);
        Path parent = file.getParent();
        try {
            Files.createDirectories(parent);
            removeStaleLeftovers(parent);
            AtomicFiles.write(file, bytes);
            rewritten(request.metric(), key);
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
        return verdict.withCacheEntry(key, file.toString(), false);
    }

    /** Claims {@code key} for judging and recording it, waiting while another holds it ({@link VerdictClaim}). */
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

    /** Keeps the listing of {@link #isRecorded} up to date. */
    private void rewritten(Metric metric, String key) {
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

    /** Deletes, once per directory, stale temporary files and claim files no one holds: a write in progress elsewhere is younger. */
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

    /** The verdict file of {@code verdict}, recorded under {@code key} for {@code request}. */
    static byte[] encode(Verdict verdict, JudgeRequest request, String key) {
        Map<String, String> evaluationCase = new LinkedHashMap<>();
        for (Field field : Field.values()) {
            if (request.metric().requires(field)) {
                evaluationCase.put(field.jsonName(), Secrets.redact(request.evaluationCase().get(field)));
            }
        }
        VerdictFile file = new VerdictFile(SCHEMA, key, new VerdictFile.MetricVersion(verdict.metric(), verdict.metricVersion()),
                new VerdictFile.JudgeUsed(verdict.judgeModel(), verdict.parameters()), verdict.score(),
                new VerdictFile.Scale(verdict.minScore(), verdict.maxScore()), Secrets.redact(verdict.justification()), evaluationCase,
                new VerdictFile.Usage(verdict.usage().promptTokens(), verdict.usage().completionTokens()), verdict.latency().toMillis(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        try {
            return (PRETTY.writeValueAsString(file) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise verdict", e);
        }
    }
}
