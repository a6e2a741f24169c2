package dev.llmjudge.internal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps API keys out of messages: every text the library puts in an exception, a log line,
 * a report or a verdict file that could echo a server's words passes through
 * {@link #redact(String)}.
 */
public final class Secrets {
    private static final String MASK = "[REDACTED]";
    /** The keys given in code, shared by the run ({@link RunWide}). */
    private static final class Registered {
        final List<String> keys = new CopyOnWriteArrayList<>();
    }
    private static final int MAX_CHAIN = 32;

    private Secrets() {
    }

    private static List<String> registered() {
        return RunWide.get(Registered.class, Registered::new).keys;
    }

    /** Registers a key given programmatically (not through the environment) so that it is redacted too. */
    public static void register(String secret) {
        if (secret != null && secret.length() >= 4 && !registered().contains(secret)) {
            registered().add(secret);
        }
    }

    /** The text with every known API key replaced by {@value #MASK}. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : known()) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    /**
     * The exception, or, when a message anywhere in its chain of causes holds a known API key,
     * a copy of the chain with those messages redacted (same classes named, same stack traces).
     */
    public static Throwable redact(Throwable error) {
        if (error == null || !mentionsSecret(error, 0)) {
            return error;
        }
        return redactedCopy(error, 0);
    }

    private static boolean mentionsSecret(Throwable t, int depth) {
        if (t == null || depth > MAX_CHAIN) {
            return false;
        }
        String text = String.valueOf(t.getMessage());
        for (String secret : known()) {
            if (text.contains(secret)) {
                return true;
            }
        }
        for (Throwable s : t.getSuppressed()) {
            if (mentionsSecret(s, depth + 1)) {
                return true;
            }
        }
        return t.getCause() != t && mentionsSecret(t.getCause(), depth + 1);
    }

    private static Throwable redactedCopy(Throwable t, int depth) {
        Throwable cause = t.getCause() == null || t.getCause() == t || depth >= MAX_CHAIN ? null : redactedCopy(t.getCause(), depth + 1);
        RedactedException copy = new RedactedException(t.getClass().getName(), redact(t.getMessage()), cause);
        copy.setStackTrace(t.getStackTrace());
        for (Throwable s : t.getSuppressed()) {
            copy.addSuppressed(redactedCopy(s, depth + 1));
        }
        return copy;
    }

    /** Stands in for an exception whose message held an API key: names the original class, keeps its stack trace. */
    public static final class RedactedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final String originalClass;

        RedactedException(String originalClass, String message, Throwable cause) {
            super(message, cause);
            this.originalClass = originalClass;
        }

        /** The class name of the exception this one stands in for. */
        public String originalClass() {
            return originalClass;
        }

        @Override
        public String toString() {
            return originalClass + " (redacted)" + (getMessage() == null ? "" : ": " + getMessage());
        }
    }

    private static List<String> known() {
        List<String> all = new java.util.ArrayList<>(registered());
        for (String candidate : new String[] {System.getenv("OPENAI_API_KEY"), System.getProperty("openai.apiKey"),
            System.getenv("AZURE_OPENAI_KEY"), System.getProperty("azure.openai.key")}) {
            if (candidate != null && candidate.length() >= 4 && !all.contains(candidate)) {
                all.add(Objects.requireNonNull(candidate));
            }
        }
        return all;
    }
}
