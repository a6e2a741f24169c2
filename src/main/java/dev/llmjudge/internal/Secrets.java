package dev.llmjudge.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Keeps API keys out of every text the library writes or throws: the environment's, and those given in code. */
public final class Secrets {
    private static final String MASK = "[REDACTED]";
    /** The keys given in code. */
    private static final class Registered extends CopyOnWriteArrayList<String> {
    }
    private static final int MAX_CHAIN = 32;
    /**
     * The shortest text taken for a key: {@value}. Every provider's keys are far longer; a shorter one is a placeholder for a
     * local server ({@code none}, {@code ollama}), and masking it would mask that word in every answer and justification.
     */
    static final int SHORTEST_KEY = 8;
    /** The user info of a URL, {@code user:password@} in {@code https://user:password@host/v1}: up to the last {@code @} before the path. */
    private static final Pattern URL_USER_INFO = Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.-]*://)[^/?#\\s]*@");

    private Secrets() {
    }

    private static Registered registered() {
        return RunWide.get(Registered.class, Registered::new);
    }

    /**
     * Registers a key given programmatically (not through the environment) so that it is redacted too; one shorter than
     * {@value #SHORTEST_KEY} characters is a placeholder, and is not.
     */
    public static void register(String secret) {
        if (secret != null && secret.length() >= SHORTEST_KEY) {
            registered().addIfAbsent(secret);
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
     * A configured value as a message quotes it: {@link #redact redacted}, and the user info of any URL in it masked, since
     * it may be a password or a key ({@code https://user:secret@host/v1} reads {@code https://[REDACTED]@host/v1}).
     */
    public static String redactSetting(String value) {
        return value == null ? null : URL_USER_INFO.matcher(redact(value)).replaceAll("$1" + MASK + "@");
    }

    /** The assertion failure, or a copy without known API keys in its message (a description may hold one) and the same stack trace. */
    public static AssertionError redactFailure(AssertionError failure) {
        String message = failure.getMessage();
        String clean = redact(message);
        if (clean == null || clean.equals(message)) {
            return failure;
        }
        AssertionError copy = new AssertionError(clean);
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    /** The exception, or a copy of its chain with redacted messages (same classes named, same stack traces) if one holds a key. */
    public static Throwable redact(Throwable error) {
        return error == null || !mentionsSecret(error, 0) ? error : redactedCopy(error, 0);
    }

    private static boolean mentionsSecret(Throwable t, int depth) {
        if (t == null || depth > MAX_CHAIN) {
            return false;
        }
        String text = String.valueOf(t.getMessage());
        return known().stream().anyMatch(text::contains) || Arrays.stream(t.getSuppressed()).anyMatch(s -> mentionsSecret(s, depth + 1))
                || t.getCause() != t && mentionsSecret(t.getCause(), depth + 1);
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
        List<String> all = new ArrayList<>(registered());
        Stream.of(System.getenv("OPENAI_API_KEY"), System.getProperty("openai.apiKey"), System.getenv("AZURE_OPENAI_KEY"),
                System.getProperty("azure.openai.key"), System.getenv("OPENAI_ADMIN_KEY"), System.getProperty("openai.adminKey")).filter(key -> key != null && key.length() >= SHORTEST_KEY && !all.contains(key)).forEach(all::add);
        // Longest first: a key that begins with another known key would otherwise keep its tail.
        all.sort(Comparator.comparingInt(String::length).reversed());
        return all;
    }
}
