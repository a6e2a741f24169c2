package dev.llmjudge.judge;

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
    private static final List<String> EXTRA = new CopyOnWriteArrayList<>();

    private Secrets() {
    }

    /** Registers a key given programmatically (not through the environment) so that it is redacted too. */
    public static void register(String secret) {
        if (secret != null && secret.length() >= 4 && !EXTRA.contains(secret)) {
            EXTRA.add(secret);
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

    private static List<String> known() {
        List<String> all = new java.util.ArrayList<>(EXTRA);
        for (String candidate : new String[] {System.getenv("OPENAI_API_KEY"), System.getProperty("openai.apiKey"),
            System.getenv("AZURE_OPENAI_KEY"), System.getProperty("azure.openai.key")}) {
            if (candidate != null && candidate.length() >= 4 && !all.contains(candidate)) {
                all.add(Objects.requireNonNull(candidate));
            }
        }
        return all;
    }
}
