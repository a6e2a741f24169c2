package dev.llmjudge.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.internal.openai.PromptRenderer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * An OpenAI-compatible chat completions server on 127.0.0.1, for tests of the judge path over
 * a real socket. Replies are scripted: queued replies are used first, then the fallback.
 *
 * <pre>{@code
 * try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
 *     server.enqueue(Reply.verdict(5, "Same meaning."));
 *     // point the judge at server.baseUrl()
 * }
 * }</pre>
 */
public final class OpenAiCompatibleServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Without TCP_NODELAY the JDK server's header and body writes meet the client's delayed ACK: ~40 ms per reply.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** A request as the server received it. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("request body is not JSON: " + body, e);
            }
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /** The case data of the user message: the JSON object between the untrusted-data delimiters, e.g. {@code answer_a}. */
        public JsonNode caseData() {
            String user = json().path("messages").get(1).path("content").asText();
            int open = user.indexOf(PromptRenderer.DATA_OPEN);
            int close = user.indexOf(PromptRenderer.DATA_CLOSE);
            if (open < 0 || close < open) {
                throw new IllegalStateException("the user message holds no case data: " + user);
            }
            try {
                return JSON.readTree(user.substring(open + PromptRenderer.DATA_OPEN.length(), close));
            } catch (IOException e) {
                throw new IllegalStateException("the case data is not JSON: " + user, e);
            }
        }

        /** The system message followed by the user message. */
        public String promptText() {
            StringBuilder sb = new StringBuilder();
            for (JsonNode m : json().path("messages")) {
                sb.append(m.path("content").asText()).append('\n');
            }
            return sb.toString();
        }
    }

    /** One sample of a reply with logprobs: the score and justification it writes, and the probability of each level at its score. */
    public record Scored(int score, String justification, Map<Integer, Double> levels) {
    }

    /** A scripted reply: HTTP status, headers, body, and how long to wait first. */
    public record Reply(int status, Map<String, String> headers, String body, long delayMillis) {

        /** A chat completion whose content is the JSON verdict. */
        public static Reply verdict(int score, String justification) {
            ObjectNode content = JSON.createObjectNode();
            content.put("justification", justification);
            content.put("score", score);
            return content(content.toString());
        }

        /** A chat completion with the given message content and finish_reason "stop". */
        public static Reply content(String content) {
            return completion(content, null, "stop");
        }

        /** A chat completion with one choice per score, each a JSON verdict: what a server that honours {@code n} returns. */
        public static Reply verdicts(int... scores) {
            List<String> contents = new ArrayList<>();
            for (int score : scores) {
                ObjectNode content = JSON.createObjectNode();
                content.put("justification", "Sample " + (contents.size() + 1) + " scores " + score + ".");
                content.put("score", score);
                contents.add(content.toString());
            }
            return choices(contents);
        }

        /** A chat completion with one choice per content, each with finish_reason "stop". */
        public static Reply choices(List<String> contents) {
            ObjectNode root = completionWithoutChoices();
            ArrayNode choices = root.putArray("choices");
            for (String content : contents) {
                addChoice(choices, content, null, "stop");
            }
            return new Reply(200, Map.of("Content-Type", "application/json"), root.toString(), 0);
        }

        /**
         * A chat completion with one choice per sample, each with {@code logprobs.content}: what an
         * endpoint returns that was asked for {@code logprobs} with {@code top_logprobs}. The content is
         * {@code {"justification":"…","score":4}}, cut into tokens at word boundaries, with the score's
         * digits a token of their own; the score's token has one alternative per level of the sample's
         * distribution (its probability as given) and one that is no level ({@code "four"}).
         */
        public static Reply withLogprobs(Scored... samples) {
            return withLogprobs(String::valueOf, samples);
        }

        /** The same, each level written as {@code levelToken} spells it at the score's token, e.g. {@code " 4"} or {@code "4}"}. */
        public static Reply withLogprobs(IntFunction<String> levelToken, Scored... samples) {
            ObjectNode root = completionWithoutChoices();
            ArrayNode choices = root.putArray("choices");
            for (Scored sample : samples) {
                ObjectNode verdict = JSON.createObjectNode();
                verdict.put("justification", sample.justification());
                verdict.put("score", 0);
                String compact = verdict.toString();
                String prefix = compact.substring(0, compact.lastIndexOf('0'));
                String scoreToken = levelToken.apply(sample.score());
                String suffix = scoreToken.endsWith("}") ? "" : "}";
                ObjectNode choice = addChoice(choices, prefix + scoreToken + suffix, null, "stop");
                ArrayNode content = choice.putObject("logprobs").putArray("content");
                for (String token : words(prefix)) {
                    addToken(content, token, 0.0).putArray("top_logprobs").add(alternative(token, 0.0));
                }
                ArrayNode alternatives = addToken(content, scoreToken, logOf(sample.levels().getOrDefault(sample.score(), 0.0)))
                        .putArray("top_logprobs");
                sample.levels().forEach((level, p) -> alternatives.add(alternative(levelToken.apply(level), logOf(p))));
                alternatives.add(alternative("four", Math.log(0.01)));
                if (!suffix.isEmpty()) {
                    addToken(content, suffix, 0.0).putArray("top_logprobs").add(alternative(suffix, 0.0));
                }
            }
            return new Reply(200, Map.of("Content-Type", "application/json"), root.toString(), 0);
        }

        /** The natural log of a probability, and the API's {@code -9999} for none. */
        private static double logOf(double p) {
            return p > 0 ? Math.log(p) : -9999.0;
        }

        /** Text cut into runs of word characters and runs of the others, as a tokenizer might. */
        private static List<String> words(String text) {
            List<String> tokens = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\w+|\\W+").matcher(text);
            while (m.find()) {
                tokens.add(m.group());
            }
            return tokens;
        }

        private static ObjectNode addToken(ArrayNode content, String token, double logprob) {
            ObjectNode entry = alternative(token, logprob);
            content.add(entry);
            return entry;
        }

        private static ObjectNode alternative(String token, double logprob) {
            ObjectNode entry = JSON.createObjectNode();
            entry.put("token", token);
            entry.put("logprob", logprob);
            ArrayNode bytes = entry.putArray("bytes");
            for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
                bytes.add(b & 0xff);
            }
            return entry;
        }

        /** A chat completion with full control of content, refusal and finish_reason. */
        public static Reply completion(String content, String refusal, String finishReason) {
            ObjectNode root = completionWithoutChoices();
            addChoice(root.putArray("choices"), content, refusal, finishReason);
            return new Reply(200, Map.of("Content-Type", "application/json"), root.toString(), 0);
        }

        private static ObjectNode completionWithoutChoices() {
            ObjectNode root = JSON.createObjectNode();
            root.put("id", "chatcmpl-test");
            root.put("object", "chat.completion");
            root.put("created", 1_700_000_000L);
            root.put("model", "test-model");
            ObjectNode usage = root.putObject("usage");
            usage.put("prompt_tokens", 120);
            usage.put("completion_tokens", 30);
            usage.put("total_tokens", 150);
            return root;
        }

        private static ObjectNode addChoice(ArrayNode choices, String content, String refusal, String finishReason) {
            ObjectNode choice = choices.addObject();
            choice.put("index", choices.size() - 1);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            if (content == null) {
                message.putNull("content");
            } else {
                message.put("content", content);
            }
            if (refusal == null) {
                message.putNull("refusal");
            } else {
                message.put("refusal", refusal);
            }
            choice.put("finish_reason", finishReason);
            return choice;
        }

        /** An error reply with an OpenAI-style JSON error body. */
        public static Reply error(int status, String message) {
            ObjectNode root = JSON.createObjectNode();
            ObjectNode error = root.putObject("error");
            error.put("message", message);
            error.put("type", "invalid_request_error");
            error.putNull("param");
            error.putNull("code");
            return new Reply(status, Map.of("Content-Type", "application/json"), root.toString(), 0);
        }

        /** A raw reply (e.g. an HTML error page from a proxy). */
        public static Reply raw(int status, String contentType, String body) {
            return new Reply(status, Map.of("Content-Type", contentType), body, 0);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> h = new java.util.LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, h, body, delayMillis);
        }

        /**
         * The same chat completion reporting this usage, {@code cachedTokens} as
         * {@code usage.prompt_tokens_details.cached_tokens} (what a provider read from its prompt cache).
         */
        public Reply withUsage(long promptTokens, long cachedTokens, long completionTokens) {
            try {
                ObjectNode root = (ObjectNode) JSON.readTree(body);
                ObjectNode usage = root.putObject("usage");
                usage.put("prompt_tokens", promptTokens);
                usage.put("completion_tokens", completionTokens);
                usage.put("total_tokens", promptTokens + completionTokens);
                usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
                return new Reply(status, headers, root.toString(), delayMillis);
            } catch (IOException e) {
                throw new IllegalStateException("not a JSON reply: " + body, e);
            }
        }

        /** The same chat completion without {@code usage}: what some OpenAI-compatible servers send. */
        public Reply withoutUsage() {
            try {
                ObjectNode root = (ObjectNode) JSON.readTree(body);
                root.remove("usage");
                return new Reply(status, headers, root.toString(), delayMillis);
            } catch (IOException e) {
                throw new IllegalStateException("not a JSON reply: " + body, e);
            }
        }

        /**
         * The same chat completion with its body changed by {@code edit}, e.g. a {@code usage} a faulty server sends:
         * {@code reply.edited(body -> ((ObjectNode) body.get("usage")).remove("completion_tokens"))}.
         */
        public Reply edited(java.util.function.Consumer<ObjectNode> edit) {
            try {
                ObjectNode root = (ObjectNode) JSON.readTree(body);
                edit.accept(root);
                return new Reply(status, headers, root.toString(), delayMillis);
            } catch (IOException e) {
                throw new IllegalStateException("not a JSON reply: " + body, e);
            }
        }

        public Reply afterMillis(long millis) {
            return new Reply(status, headers, body, millis);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    // Not copy-on-write: a benchmark records thousands of requests, and copying the list on each would dominate.
    private final List<Received> received = new ArrayList<>();
    private final ConcurrentLinkedQueue<Reply> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Function<Received, Reply> fallback = r -> Reply.verdict(5, "The answer conveys the same meaning as the ground truth.");

    private OpenAiCompatibleServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a server on 127.0.0.1 on a free port. */
    public static OpenAiCompatibleServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "openai-compatible-test-server");
                t.setDaemon(true);
                return t;
            });
            OpenAiCompatibleServer s = new OpenAiCompatibleServer(http, executor);
            http.createContext("/", s::handle);
            http.setExecutor(executor);
            http.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the loopback test server", e);
        }
    }

    /** The base URL to give the SDK, e.g. {@code http://127.0.0.1:54321/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Queues replies, used in order before the fallback. */
    public OpenAiCompatibleServer enqueue(Reply... replies) {
        queue.addAll(List.of(replies));
        return this;
    }

    /** Sets the reply used when the queue is empty. */
    public OpenAiCompatibleServer otherwise(Function<Received, Reply> reply) {
        this.fallback = reply;
        return this;
    }

    /** Every request received so far, in order. */
    public List<Received> requests() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    public int requestCount() {
        synchronized (received) {
            return received.size();
        }
    }

    /** The largest number of requests that were in progress at the same time. */
    public int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    /** Starts counting {@link #maxConcurrentRequests()} afresh. */
    public void resetMaxConcurrentRequests() {
        maxInFlight.set(0);
    }

    public Received lastRequest() {
        synchronized (received) {
            if (received.isEmpty()) {
                throw new AssertionError("the test server received no request");
            }
            return received.get(received.size() - 1);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        boolean counted = true;
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body);
            synchronized (received) {
                received.add(request);
            }
            Reply reply = queue.poll();
            if (reply == null) {
                reply = fallback.apply(request);
            }
            if (reply.delayMillis() > 0) {
                Thread.sleep(reply.delayMillis());
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            // No longer in flight once answered: counted later, a client that already has its reply and sends the next
            // request could be seen as two requests at once.
            inFlight.decrementAndGet();
            counted = false;
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (counted) {
                inFlight.decrementAndGet();
            }
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
