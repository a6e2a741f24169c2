package dev.llmjudge.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files and batches endpoints of the OpenAI API on 127.0.0.1, closely enough for openai-java:
 * {@code POST /v1/files} (multipart upload), {@code GET /v1/files/{id}} and its {@code /content},
 * {@code POST /v1/batches}, {@code GET /v1/batches} (every batch on one page, newest first),
 * {@code GET /v1/batches/{id}} and {@code POST /v1/batches/{id}/cancel};
 * and {@code /v1/chat/completions}, answered with a verdict and counted, to show that a replay
 * makes no call. Each batch walks through a scripted list of statuses, one per retrieve; on a
 * finished status its output file holds the reply {@link #replies} gives each request (a reply
 * other than HTTP 200 goes to the error file, as the API does), for an {@code expired} or
 * {@code cancelled} batch only the first {@link #partial} requests. The next create can be made
 * to fail after it made its batch, or before ({@link #delayNextCreate}, {@link #failNextCreate}).
 *
 * <pre>{@code
 * try (OpenAiBatchServer server = OpenAiBatchServer.start()) {
 *     server.script("validating", "in_progress", "completed");
 *     // point the batch command at server.baseUrl()
 * }
 * }</pre>
 */
public final class OpenAiBatchServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");

    /** A request as received: method, path and body. */
    public record Received(String method, String path, String body) {
    }

    /** One created batch: its input, its remaining statuses, and where it is. */
    private static final class Batch {
        final String id;
        final String inputFileId;
        final List<String> script;
        final int partial;
        String status;
        int step;
        String outputFileId;
        String errorFileId;
        long completed;
        long failed;
        final long total;

        Batch(String id, String inputFileId, List<String> script, int partial, long total) {
            this.id = id;
            this.inputFileId = inputFileId;
            this.script = new ArrayList<>(script);
            this.partial = partial;
            this.total = total;
            this.status = script.get(0);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Received> received = new ArrayList<>();
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Map<String, Batch> batches = new LinkedHashMap<>();
    private List<String> script = List.of("validating", "in_progress", "finalizing", "completed");
    private int partial = Integer.MAX_VALUE;
    private Function<JsonNode, Reply> replies = body -> Reply.verdict(5, "The answer conveys the same meaning as the ground truth.");
    private Duration nextCreateDelay = Duration.ZERO;
    private int nextCreateStatus;
    private boolean nextCreateMakesBatch;

    private OpenAiBatchServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a server on 127.0.0.1 on a free port. */
    public static OpenAiBatchServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "openai-batch-test-server");
                t.setDaemon(true);
                return t;
            });
            OpenAiBatchServer s = new OpenAiBatchServer(http, executor);
            http.createContext("/", s::handle);
            http.setExecutor(executor);
            http.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the loopback batch server", e);
        }
    }

    /** The base URL to give the SDK, e.g. {@code http://127.0.0.1:54321/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The statuses the next batches created walk through, one per retrieve, the first on creation. */
    public synchronized OpenAiBatchServer script(String... statuses) {
        this.script = List.of(statuses);
        return this;
    }

    /** How many requests an {@code expired} or {@code cancelled} batch has judged; the rest are in its error file or nowhere. */
    public synchronized OpenAiBatchServer partial(int requests) {
        this.partial = requests;
        return this;
    }

    /** The reply to each request of a batch, given its body; a status other than 200 puts the request in the error file. */
    public synchronized OpenAiBatchServer replies(Function<JsonNode, Reply> reply) {
        this.replies = reply;
        return this;
    }

    /** Has the next create make its batch, then reply only after {@code delay}: a client that gives up sooner sees no reply. */
    public synchronized OpenAiBatchServer delayNextCreate(Duration delay) {
        this.nextCreateDelay = delay;
        return this;
    }

    /**
     * Has the next create answer HTTP {@code status} instead of the batch, having made the batch all the same
     * ({@code makesBatch}, as a gateway's 502 after the server acted) or not.
     */
    public synchronized OpenAiBatchServer failNextCreate(int status, boolean makesBatch) {
        this.nextCreateStatus = status;
        this.nextCreateMakesBatch = makesBatch;
        return this;
    }

    /** Makes a batch of the uploaded file {@code inputFileId} as a create would (one that reached the server late, say); returns its id. */
    public synchronized String createBatch(String inputFileId) {
        String id = "batch_" + (batches.size() + 1);
        batches.put(id, new Batch(id, inputFileId, script, partial, lines(files.get(inputFileId)).size()));
        return id;
    }

    /** Every request received so far. */
    public synchronized List<Received> requests() {
        return List.copyOf(received);
    }

    /** How many requests went to {@code method path} (a path prefix such as {@code /v1/batches}). */
    public synchronized long count(String method, String pathPrefix) {
        return received.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).count();
    }

    /** The content of an uploaded input file. */
    public synchronized String file(String id) {
        return new String(files.get(id), StandardCharsets.UTF_8);
    }

    /** The ids of the files uploaded for batches, in order. */
    public synchronized List<String> uploads() {
        return batches.values().stream().map(b -> b.inputFileId).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Answer answer;
            synchronized (this) {
                received.add(new Received(method, path, method.equals("POST") && path.equals("/v1/files") ? "(upload)"
                        : new String(body, StandardCharsets.UTF_8)));
                answer = answer(method, path, body, exchange.getRequestHeaders().getFirst("Content-Type"));
            }
            if (!answer.delay().isZero()) {
                try {
                    Thread.sleep(answer.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        } finally {
            exchange.close();
        }
    }

    private record Answer(int status, String contentType, byte[] body, Duration delay) {
        Answer(int status, String contentType, byte[] body) {
            this(status, contentType, body, Duration.ZERO);
        }

        static Answer json(JsonNode node) {
            return new Answer(200, "application/json", node.toString().getBytes(StandardCharsets.UTF_8));
        }

        static Answer notFound(String what) {
            ObjectNode error = JSON.createObjectNode();
            error.putObject("error").put("message", "No such " + what).put("type", "invalid_request_error");
            return new Answer(404, "application/json", error.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private Answer answer(String method, String path, byte[] body, String contentType) throws IOException {
        if (method.equals("POST") && path.equals("/v1/chat/completions")) {
            Reply reply = replies.apply(JSON.readTree(body));
            return new Answer(reply.status(), "application/json", reply.body().getBytes(StandardCharsets.UTF_8));
        }
        if (method.equals("POST") && path.equals("/v1/files")) {
            String id = "file-" + (files.size() + 1);
            byte[] content = uploadedFile(body, contentType);
            files.put(id, content);
            return Answer.json(fileObject(id, content.length, "batch"));
        }
        Matcher file = Pattern.compile("/v1/files/([^/]+)(/content)?").matcher(path);
        if (method.equals("GET") && file.matches()) {
            byte[] content = files.get(file.group(1));
            if (content == null) {
                return Answer.notFound("file " + file.group(1));
            }
            return file.group(2) != null ? new Answer(200, "application/octet-stream", content)
                    : Answer.json(fileObject(file.group(1), content.length, "batch_output"));
        }
        if (method.equals("POST") && path.equals("/v1/batches")) {
            JsonNode create = JSON.readTree(body);
            String input = create.path("input_file_id").asText();
            if (!files.containsKey(input) || !"/v1/chat/completions".equals(create.path("endpoint").asText())) {
                return Answer.notFound("input file " + input + " for endpoint " + create.path("endpoint").asText());
            }
            int failWith = nextCreateStatus;
            Duration delay = nextCreateDelay;
            nextCreateStatus = 0;
            nextCreateDelay = Duration.ZERO;
            if (failWith != 0 && !nextCreateMakesBatch) {
                return serverError(failWith);
            }
            String id = "batch_" + (batches.size() + 1);
            Batch batch = new Batch(id, input, script, partial, lines(files.get(input)).size());
            batches.put(id, batch);
            if (failWith != 0) {
                return serverError(failWith);
            }
            Answer created = Answer.json(batchObject(batch));
            return new Answer(created.status(), created.contentType(), created.body(), delay);
        }
        if (method.equals("GET") && path.equals("/v1/batches")) {
            ObjectNode list = JSON.createObjectNode();
            list.put("object", "list");
            List<Batch> newestFirst = new ArrayList<>(batches.values());
            Collections.reverse(newestFirst);
            ArrayNode data = list.putArray("data");
            newestFirst.forEach(batch -> data.add(batchObject(batch)));
            if (newestFirst.isEmpty()) {
                list.putNull("first_id");
                list.putNull("last_id");
            } else {
                list.put("first_id", newestFirst.get(0).id);
                list.put("last_id", newestFirst.get(newestFirst.size() - 1).id);
            }
            list.put("has_more", false);
            return Answer.json(list);
        }
        Matcher batchPath = Pattern.compile("/v1/batches/([^/]+)(/cancel)?").matcher(path);
        if (batchPath.matches()) {
            Batch batch = batches.get(batchPath.group(1));
            if (batch == null) {
                return Answer.notFound("batch " + batchPath.group(1));
            }
            if (batchPath.group(2) != null && method.equals("POST")) {
                batch.status = "cancelling";
                batch.script.clear();
                batch.script.add("cancelling");
                batch.script.add("cancelled");
                batch.step = 0;
                return Answer.json(batchObject(batch));
            }
            if (method.equals("GET")) {
                advance(batch);
                return Answer.json(batchObject(batch));
            }
        }
        return Answer.notFound("route " + method + " " + path);
    }

    private static Answer serverError(int status) {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("message", "The server had an error while processing your request.").put("type", "server_error");
        return new Answer(status, "application/json", error.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The next status of the batch's script; on a finished one, its output and error files. */
    private void advance(Batch batch) throws IOException {
        if (batch.step < batch.script.size() - 1) {
            batch.step++;
        }
        batch.status = batch.script.get(batch.step);
        if (batch.status.equals("in_progress")) {
            batch.completed = Math.min(batch.total, batch.completed + Math.max(1, batch.total / 3));
        }
        boolean finished = List.of("completed", "expired", "cancelled", "failed").contains(batch.status);
        if (!finished || batch.outputFileId != null || batch.errorFileId != null || batch.status.equals("failed")) {
            return;
        }
        int judged = batch.status.equals("completed") ? Integer.MAX_VALUE : batch.partial;
        StringBuilder output = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        batch.completed = 0;
        int n = 0;
        for (String line : lines(files.get(batch.inputFileId))) {
            JsonNode request = JSON.readTree(line);
            n++;
            ObjectNode result = JSON.createObjectNode();
            result.put("id", "batch_req_" + n);
            result.put("custom_id", request.path("custom_id").asText());
            if (n > judged) {
                if (batch.status.equals("expired")) {
                    result.putNull("response");
                    result.putObject("error").put("code", "batch_expired").put("message", "This request could not be executed before the"
                            + " completion window expired.");
                    errors.append(result).append('\n');
                    batch.failed++;
                }
                continue;
            }
            Reply reply = replies.apply(request.path("body"));
            ObjectNode response = result.putObject("response");
            response.put("status_code", reply.status());
            response.put("request_id", "req_" + n);
            response.set("body", parsedOrText(reply.body()));
            result.putNull("error");
            if (reply.status() == 200) {
                output.append(result).append('\n');
                batch.completed++;
            } else {
                errors.append(result).append('\n');
                batch.failed++;
            }
        }
        if (output.length() > 0) {
            batch.outputFileId = "file-" + (files.size() + 1);
            files.put(batch.outputFileId, output.toString().getBytes(StandardCharsets.UTF_8));
        }
        if (errors.length() > 0) {
            batch.errorFileId = "file-" + (files.size() + 1);
            files.put(batch.errorFileId, errors.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static JsonNode parsedOrText(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    private static List<String> lines(byte[] content) {
        return new String(content, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    private static ObjectNode fileObject(String id, long bytes, String purpose) {
        ObjectNode file = JSON.createObjectNode();
        file.put("id", id);
        file.put("object", "file");
        file.put("bytes", bytes);
        file.put("created_at", 1_700_000_000L);
        file.put("filename", id + ".jsonl");
        file.put("purpose", purpose);
        file.put("status", "processed");
        return file;
    }

    private static ObjectNode batchObject(Batch batch) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", batch.id);
        node.put("object", "batch");
        node.put("endpoint", "/v1/chat/completions");
        node.put("input_file_id", batch.inputFileId);
        node.put("completion_window", "24h");
        node.put("status", batch.status);
        node.put("created_at", 1_700_000_000L);
        if (batch.status.equals("failed")) {
            ObjectNode errors = node.putObject("errors");
            errors.put("object", "list");
            errors.putArray("data").addObject().put("code", "invalid_request").put("message", "The input file is not valid.");
        } else {
            node.putNull("errors");
        }
        if (batch.outputFileId != null) {
            node.put("output_file_id", batch.outputFileId);
        } else {
            node.putNull("output_file_id");
        }
        if (batch.errorFileId != null) {
            node.put("error_file_id", batch.errorFileId);
        } else {
            node.putNull("error_file_id");
        }
        ObjectNode counts = node.putObject("request_counts");
        counts.put("total", batch.total);
        counts.put("completed", batch.completed);
        counts.put("failed", batch.failed);
        node.putNull("metadata");
        return node;
    }

    /** The content of the multipart part named {@code file}. */
    private static byte[] uploadedFile(byte[] body, String contentType) {
        Matcher m = BOUNDARY.matcher(contentType == null ? "" : contentType);
        if (!m.find()) {
            throw new IllegalStateException("the upload is not multipart: " + contentType);
        }
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delimiter = "--" + m.group(1);
        for (String part : text.split(Pattern.quote(delimiter))) {
            int headersEnd = part.indexOf("\r\n\r\n");
            if (headersEnd > 0 && part.substring(0, headersEnd).contains("name=\"file\"")) {
                String content = part.substring(headersEnd + 4);
                if (content.endsWith("\r\n")) {
                    content = content.substring(0, content.length() - 2);
                }
                return content.getBytes(StandardCharsets.ISO_8859_1);
            }
        }
        throw new IllegalStateException("the upload has no part named file");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
