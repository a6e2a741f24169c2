package dev.llmjudge.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bare HTTP/1.1 server on 127.0.0.1 for faults a well-behaved HTTP server cannot produce:
 * a connection reset in the middle of a reply, a connection closed without a reply, a reply
 * that trickles in byte by byte. Each connection serves one request (then closes) with the
 * next scripted {@link Behaviour}, else the fallback.
 *
 * <p>Everything is bounded: a trickle stops after {@link #MAX_TRICKLE_MILLIS}, sockets time out
 * after {@link #SOCKET_TIMEOUT_MILLIS}, and {@link #close()} ends every connection.
 *
 * <pre>{@code
 * try (RawSocketServer server = RawSocketServer.start()) {
 *     server.enqueue(Behaviour.resetMidResponse(), Behaviour.respond(Reply.verdict(5, "Same.")));
 *     // point the judge at server.baseUrl()
 * }
 * }</pre>
 */
public final class RawSocketServer implements AutoCloseable {
    /** Longest a trickling reply goes on. */
    public static final long MAX_TRICKLE_MILLIS = 10_000;
    /** Read timeout of every accepted socket. */
    public static final int SOCKET_TIMEOUT_MILLIS = 10_000;

    /** What the server does with one request, once it has read it. */
    @FunctionalInterface
    public interface Behaviour {
        void serve(Socket socket, OutputStream out) throws IOException, InterruptedException;

        /** A complete reply, as OpenAiCompatibleServer would send it. */
        static Behaviour respond(OpenAiCompatibleServer.Reply reply) {
            return (socket, out) -> out.write(head(reply, reply.body().getBytes(StandardCharsets.UTF_8).length));
        }

        /** Status line, headers and the first bytes of the body, then a TCP reset (RST). */
        static Behaviour resetMidResponse() {
            return (socket, out) -> {
                OpenAiCompatibleServer.Reply reply = OpenAiCompatibleServer.Reply.verdict(5, "A reply that never arrives whole.");
                byte[] full = head(reply, reply.body().getBytes(StandardCharsets.UTF_8).length);
                out.write(full, 0, full.length - reply.body().length() / 2);
                out.flush();
                socket.setSoLinger(true, 0);
                socket.close();
            };
        }

        /** Reads the request and closes the connection without a byte of reply. */
        static Behaviour closeWithoutReply() {
            return (socket, out) -> socket.close();
        }

        /** A complete, valid reply sent one byte every {@code millisPerByte}, until it is done or the client gives up. */
        static Behaviour trickle(OpenAiCompatibleServer.Reply reply, long millisPerByte) {
            return (socket, out) -> {
                byte[] all = head(reply, reply.body().getBytes(StandardCharsets.UTF_8).length);
                long deadline = System.currentTimeMillis() + MAX_TRICKLE_MILLIS;
                for (int i = 0; i < all.length && System.currentTimeMillis() < deadline; i++) {
                    out.write(all[i]);
                    out.flush();
                    Thread.sleep(millisPerByte);
                }
            };
        }

        private static byte[] head(OpenAiCompatibleServer.Reply reply, int contentLength) {
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(reply.status()).append(" Scripted\r\n");
            reply.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Content-Length: ").append(contentLength).append("\r\nConnection: close\r\n\r\n");
            return (head + reply.body()).getBytes(StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket serverSocket;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "raw-socket-test-server");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Behaviour> queue = new ConcurrentLinkedQueue<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Behaviour fallback = Behaviour.respond(OpenAiCompatibleServer.Reply.verdict(5, "Same meaning."));

    private RawSocketServer(ServerSocket serverSocket) {
        this.serverSocket = serverSocket;
        executor.execute(this::acceptLoop);
    }

    /** Starts a server on 127.0.0.1 on a free port. */
    public static RawSocketServer start() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            return new RawSocketServer(socket);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the raw loopback test server", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + serverSocket.getLocalPort() + "/v1";
    }

    /** Queues behaviours, used in order (one per request) before the fallback. */
    public RawSocketServer enqueue(Behaviour... behaviours) {
        queue.addAll(List.of(behaviours));
        return this;
    }

    /** Sets what the server does once the queue is empty. */
    public RawSocketServer otherwise(Behaviour behaviour) {
        this.fallback = behaviour;
        return this;
    }

    /** Requests read in full so far. */
    public int requestCount() {
        return requests.get();
    }

    private void acceptLoop() {
        while (!serverSocket.isClosed()) {
            try {
                Socket socket = serverSocket.accept();
                open.add(socket);
                executor.execute(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            } catch (RuntimeException e) {
                return; // executor shut down
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
            if (!readRequest(socket.getInputStream())) {
                return;
            }
            requests.incrementAndGet();
            Behaviour behaviour = queue.poll();
            OutputStream out = socket.getOutputStream();
            (behaviour == null ? fallback : behaviour).serve(socket, out);
            if (!socket.isClosed()) {
                out.flush();
            }
        } catch (SocketException e) {
            // the client gave up (timeout) or the server is closing: expected in fault tests
        } catch (IOException e) {
            // same
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(socket);
        }
    }

    /** Reads one request (headers and a Content-Length or chunked body); false when the client closed first. */
    private static boolean readRequest(InputStream in) throws IOException {
        String headers = readHead(in);
        if (headers == null) {
            return false;
        }
        int contentLength = 0;
        boolean chunked = false;
        for (String line : headers.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                contentLength = Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            while (true) {
                String size = readLine(in);
                int n = Integer.parseInt(size.split(";")[0].strip(), 16);
                in.readNBytes(n + 2);
                if (n == 0) {
                    return true;
                }
            }
        }
        return in.readNBytes(contentLength).length == contentLength;
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        executor.shutdownNow();
    }
}
