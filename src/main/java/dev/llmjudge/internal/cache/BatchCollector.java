package dev.llmjudge.internal.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmjudge.internal.RunWide;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The requests of {@code llmjudge.cache.mode=collect}: each verdict not recorded becomes one line
 * of {@value #REQUESTS}, the batch input file ({@code custom_id} the cache key, {@code method}
 * {@code POST}, {@code url} {@value #CHAT_COMPLETIONS}, {@code body} exactly what the live judge
 * would send), and one line of {@value #CASES} with what recording its reply needs
 * ({@link BatchCase}). A key is written once, however many threads or JVMs collect it: each
 * append holds this JVM's lock and a file lock on {@value #LOCK}, and first reads the lines
 * written since it last looked. Every line is redacted of known API keys.
 */
public final class BatchCollector {
    /** The batch input file, as uploaded. */
    public static final String REQUESTS = "requests.jsonl";
    /** What recording each reply needs, one {@link BatchCase} a line. */
    public static final String CASES = "cases.jsonl";
    /** The file whose lock the JVMs appending to the two files take turns by. */
    static final String LOCK = ".collect.lock";
    /** The endpoint every collected request is for. */
    public static final String CHAT_COMPLETIONS = "/v1/chat/completions";
    /** The reason a collected check's test is aborted with. */
    public static final String COLLECTED = "collected for batch judging";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** The batch request of one check: the body the live judge would send, and how its reply is read and recorded. */
    public record Entry(String body, String model, Map<String, Object> parameters, int choices, int topLogprobs) {
        public Entry {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(model, "model");
        }
    }

    /** Builds the batch request of a check, or none when the check is not judged by the chat model (an embedding metric). */
    @FunctionalInterface
    public interface Requests {
        /** The request's batch entry, or empty when it is judged where it is (not by a chat model). */
        Optional<Entry> of(JudgeRequest request, JudgeFingerprint fingerprint);
    }

    /** This JVM's turn at appending, whichever collector appends; it also guards each collector's {@code known} and {@code readUpTo}. */
    private static final class Appending {
        final ReentrantLock lock = new ReentrantLock();
    }

    private final Path dir;
    private final Requests requests;
    private final Set<String> known = new HashSet<>();
    private long readUpTo;

    public BatchCollector(Path dir, Requests requests) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.requests = Objects.requireNonNull(requests, "requests");
    }

    public Path dir() {
        return dir;
    }

    /**
     * Writes the batch request of {@code request} under {@code key} (once per key) and returns the error that aborts its
     * check; empty when the request is not for the chat model and is to be judged where it is.
     */
    Optional<JudgeException> collect(JudgeRequest request, JudgeFingerprint fingerprint, String key) {
        Optional<Entry> entry = requests.of(request, fingerprint);
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        if (!Secrets.redact(entry.get().body()).equals(entry.get().body())) {
            // A batch file may not hold the key, and a batch judging the masked request would record, under this request's
            // key, a verdict on a request it never saw (an answer that leaks the key, judged as if it did not).
            return Optional.of(new JudgeException(Reason.INVALID_INPUT, "cannot collect the check on metric '" + request.metric().name()
                    + "' (key " + key + ") for batch judging: its case holds an API key, which no batch file may hold, and a batch"
                    + " judging it with the key masked would record a verdict on a request it never saw. Nothing was collected: judge"
                    + " this check live (llmjudge.cache.mode=auto), or keep the key out of the system under test's answer."));
        }
        boolean written = append(key, requestLine(key, entry.get()), caseLine(key, request, entry.get()));
        return Optional.of(new JudgeException(Reason.COLLECTED, COLLECTED + ": metric '" + request.metric().name() + "', key " + key
                + (written ? "" : " (already collected)") + ", in " + dir.resolve(REQUESTS) + ". Judge the batch with"
                + " dev.llmjudge.batch.BatchJudging submit, then run again to replay the verdicts."));
    }

    private static String requestLine(String key, Entry entry) {
        ObjectNode line = JSON.createObjectNode();
        line.put("custom_id", key);
        line.put("method", "POST");
        line.put("url", CHAT_COMPLETIONS);
        try {
            line.set("body", JSON.readTree(entry.body()));
            return Secrets.redact(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the batch request of " + key, e);
        }
    }

    private static String caseLine(String key, JudgeRequest request, Entry entry) {
        try {
            return Secrets.redact(JSON.writeValueAsString(BatchCase.of(key, request, entry)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the batch case of " + key, e);
        }
    }

    /** Appends the two lines unless the key was collected already; returns whether they were written. */
    private boolean append(String key, String requestLine, String caseLine) {
        ReentrantLock jvmLock = RunWide.get(Appending.class, Appending::new).lock;
        jvmLock.lock();
        try {
            Files.createDirectories(dir);
            try (FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = lockChannel.lock()) {
                readNewKeys();
                if (!known.add(key)) {
                    return false;
                }
                // The case first: a request whose case is missing could not be recorded, a case without its request is unused.
                appendLine(dir.resolve(CASES), caseLine);
                appendLine(dir.resolve(REQUESTS), requestLine);
                readUpTo = Files.size(dir.resolve(REQUESTS));
                return true;
            }
        } catch (IOException e) {
            throw new JudgeException(Reason.CACHE_IO, "cannot write the batch requests in " + dir.toAbsolutePath() + " (" + e
                    + "): make it writable or point llmjudge.batch.dir at a writable directory", e);
        } finally {
            jvmLock.unlock();
        }
    }

    /** Reads the keys of the request lines written since this collector last looked (by any JVM). */
    private void readNewKeys() throws IOException {
        Path file = dir.resolve(REQUESTS);
        if (!Files.exists(file)) {
            known.clear();
            readUpTo = 0;
            return;
        }
        long size = Files.size(file);
        if (size < readUpTo) {
            // The file was taken away by the batch command and a new one begun.
            known.clear();
            readUpTo = 0;
        }
        if (size == readUpTo) {
            return;
        }
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate((int) (size - readUpTo));
            channel.position(readUpTo);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // reads until the buffer is full
            }
            bytes = buffer.array();
        }
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                JsonNode id = JSON.readTree(line).get("custom_id");
                if (id != null) {
                    known.add(id.asText());
                }
            }
        }
        readUpTo = size;
    }

    private static void appendLine(Path file, String line) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }
}
