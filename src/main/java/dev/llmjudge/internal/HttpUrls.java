package dev.llmjudge.internal;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The judge endpoint's URL, checked before the OpenAI client is given it: the client takes any text, and fails on a URL
 * without a scheme or host with "host must not be null", or on one that is not http only at the first request.
 */
public final class HttpUrls {
    /** What an endpoint must be, for messages. */
    public static final String EXPECTED = "an http or https URL such as https://api.openai.com/v1 or http://localhost:11434/v1";
    private static final int MAX_PORT = 65_535;

    private HttpUrls() {
    }

    /**
     * Whether {@code text} is an absolute {@code http} or {@code https} URL with a host, and a port from 1 to 65535 if it
     * has one: {@code http://localhost:11434/v1} is; {@code localhost:11434/v1} (no scheme), {@code ftp://example.com/v1}
     * and {@code not a url} are not.
     */
    public static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) && uri.getHost() != null
                    && (uri.getPort() == -1 || uri.getPort() >= 1 && uri.getPort() <= MAX_PORT);
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
