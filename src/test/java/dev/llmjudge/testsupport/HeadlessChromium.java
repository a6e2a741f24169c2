package dev.llmjudge.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's headless Chromium, driven over the Chrome DevTools Protocol with the JDK's WebSocket
 * client: nothing is downloaded at run time and no driver binary is involved. One browser holds
 * one page; it records every request the page makes and every console error, and every wait is
 * bounded by the timeout given at start.
 *
 * <pre>{@code
 * HeadlessChromium.assumeInstalled();
 * try (HeadlessChromium browser = HeadlessChromium.start(tempDir, Duration.ofSeconds(30))) {
 *     browser.navigate(file.toUri().toString());
 *     int rows = browser.evaluate("document.querySelectorAll('tr').length").asInt();
 * }
 * }</pre>
 */
public final class HeadlessChromium implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final String NOT_INSTALLED = "chromium not installed: apt-get install chromium chromium-driver";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final Duration timeout;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JsonNode>> awaitedEvents = new ConcurrentHashMap<>();
    private final List<String> requests = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private HeadlessChromium(Process process, Path log, Duration timeout, URI page) throws IOException, InterruptedException {
        this.process = process;
        this.log = log;
        this.timeout = timeout;
        this.socket = await(HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout).buildAsync(page, new Listener()),
                "connect to the page's DevTools socket");
        send("Network.enable", JSON.createObjectNode());
        send("Page.enable", JSON.createObjectNode());
        send("Runtime.enable", JSON.createObjectNode());
        send("Log.enable", JSON.createObjectNode());
    }

    /** Whether Debian's Chromium is installed where this class looks for it. */
    public static boolean isInstalled() {
        return Files.isExecutable(CHROMIUM);
    }

    /**
     * Skips the calling test (or, from {@code @BeforeAll}, its class) when Chromium is missing;
     * under {@code CI=true} a missing Chromium fails instead, so CI cannot pass without running
     * the browser tests.
     */
    public static void assumeInstalled() {
        if (isInstalled()) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(NOT_INSTALLED + " (CI=true: browser tests must run in CI; .ci/install-chromium.sh installs it)");
        }
        Assumptions.abort(NOT_INSTALLED);
    }

    /** Starts a fresh browser with its own profile under {@code workDir} and an empty page. */
    public static HeadlessChromium start(Path workDir, Duration timeout) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
        Path log = workDir.resolve(profile.getFileName() + ".log");
        // The flags keep a sandboxed, offline machine quiet: no background, component or sync traffic.
        Process process = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            URI page = pageSocket(process, profile, log, timeout);
            return new HeadlessChromium(process, log, timeout, page);
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            kill(process, process.descendants().toList());
            throw e;
        }
    }

    /** Loads {@code url} and waits for its load event (scripts at the end of the body have run by then). */
    public void navigate(String url) throws IOException, InterruptedException {
        synchronized (this) {
            requests.clear();
            problems.clear();
        }
        CompletableFuture<JsonNode> loaded = new CompletableFuture<>();
        awaitedEvents.put("Page.loadEventFired", loaded);
        JsonNode result = send("Page.navigate", JSON.createObjectNode().put("url", url));
        if (result.hasNonNull("errorText")) {
            throw new IOException("cannot load " + url + ": " + result.get("errorText").asText());
        }
        await(loaded, "load " + url);
    }

    /** The value of a JavaScript expression in the page, a promise's once settled (returned by value, so JSON-able results only). */
    public JsonNode evaluate(String expression) throws IOException, InterruptedException {
        JsonNode result = send("Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IOException("JavaScript failed: " + result.get("exceptionDetails") + " in: " + expression);
        }
        JsonNode value = result.path("result").path("value");
        return value.isMissingNode() ? JSON.nullNode() : value;
    }

    /** Lays the page out at this size in CSS pixels, as a window of that size would. */
    public void resize(int width, int height) throws IOException, InterruptedException {
        send("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    /** A PNG of the page's area from ({@code x}, {@code y}), {@code width} by {@code height} CSS pixels, beyond the window if need be. */
    public byte[] screenshot(double x, double y, double width, double height) throws IOException, InterruptedException {
        ObjectNode clip = JSON.createObjectNode().put("x", x).put("y", y).put("width", width).put("height", height).put("scale", 1);
        ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        params.set("clip", clip);
        return Base64.getDecoder().decode(send("Page.captureScreenshot", params).path("data").asText());
    }

    /** A PNG of the area of the first element {@code selector} matches, the page scrolled as need be. */
    public byte[] screenshotOf(String selector) throws IOException, InterruptedException {
        JsonNode box = evaluate("(() => { const e = document.querySelector(" + JSON.writeValueAsString(selector) + ");"
                + " if (!e) return null; const r = e.getBoundingClientRect();"
                + " return {x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height}; })()");
        if (box.isNull()) {
            throw new IOException("no element matches " + selector);
        }
        return screenshot(box.get("x").asDouble(), box.get("y").asDouble(), Math.max(1, box.get("width").asDouble()),
                Math.max(1, box.get("height").asDouble()));
    }

    /** Every URL the page requested since the last navigation, the page's own URL included. */
    public synchronized List<String> requestedUrls() {
        return List.copyOf(requests);
    }

    /** Uncaught exceptions, console errors and browser log errors (a CSP violation is one) since the last navigation. */
    public synchronized List<String> consoleProblems() {
        return List.copyOf(problems);
    }

    /** Closes the browser and ends every process it started. */
    @Override
    public void close() {
        List<ProcessHandle> family = process.descendants().toList();
        try {
            send("Browser.close", JSON.createObjectNode());
        } catch (IOException | RuntimeException e) {
            // the browser may close the socket before it answers
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.abort();
        kill(process, family);
    }

    private static void kill(Process process, List<ProcessHandle> family) {
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static URI pageSocket(Process process, Path profile, Path log, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path portFile = profile.resolve("DevToolsActivePort");
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("chromium exited with " + process.exitValue() + " before it could be driven:\n" + tail(log));
            }
            List<String> lines = Files.exists(portFile) ? Files.readAllLines(portFile) : List.of();
            if (lines.size() >= 2) {
                HttpRequest list = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lines.get(0).trim() + "/json/list")).timeout(timeout).build();
                JsonNode targets = JSON.readTree(http.send(list, HttpResponse.BodyHandlers.ofString()).body());
                for (JsonNode t : targets) {
                    if ("page".equals(t.path("type").asText()) && t.hasNonNull("webSocketDebuggerUrl")) {
                        return URI.create(t.get("webSocketDebuggerUrl").asText());
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new IOException("chromium showed no page to drive within " + timeout + ":\n" + tail(log));
    }

    private JsonNode send(String method, ObjectNode params) throws IOException, InterruptedException {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        synchronized (socket) {
            await(socket.sendText(JSON.writeValueAsString(message), true), "send " + method);
        }
        JsonNode answer = await(reply, method);
        if (answer.has("error")) {
            throw new IOException(method + " failed: " + answer.get("error"));
        }
        return answer.path("result");
    }

    private <T> T await(CompletionStage<T> stage, String what) throws IOException, InterruptedException {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("chromium did not " + what + " within " + timeout + ":\n" + tail(log), e);
        } catch (ExecutionException e) {
            throw new IOException("chromium could not " + what + ": " + e.getCause(), e.getCause());
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no browser log: " + e.getMessage() + ")";
        }
    }

    private void onMessage(JsonNode message) {
        if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
            if (reply != null) {
                reply.complete(message);
            }
            return;
        }
        String method = message.path("method").asText();
        JsonNode params = message.path("params");
        synchronized (this) {
            switch (method) {
                case "Network.requestWillBeSent" -> requests.add(params.path("request").path("url").asText());
                case "Runtime.exceptionThrown" -> problems.add("exception: " + params.path("exceptionDetails"));
                case "Runtime.consoleAPICalled" -> {
                    if ("error".equals(params.path("type").asText())) {
                        problems.add("console.error: " + params.path("args"));
                    }
                }
                case "Log.entryAdded" -> {
                    if ("error".equals(params.path("entry").path("level").asText())) {
                        problems.add("log: " + params.path("entry").path("text").asText());
                    }
                }
                default -> {
                    // other events are not recorded
                }
            }
        }
        CompletableFuture<JsonNode> awaited = awaitedEvents.remove(method);
        if (awaited != null) {
            awaited.complete(params);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    onMessage(JSON.readTree(text));
                } catch (IOException e) {
                    synchronized (HeadlessChromium.this) {
                        problems.add("unreadable DevTools message: " + e.getMessage());
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            onError(webSocket, new IOException("the DevTools socket closed (" + statusCode + " " + reason + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            pending.values().forEach(f -> f.completeExceptionally(error));
            awaitedEvents.values().forEach(f -> f.completeExceptionally(error));
        }
    }
}
