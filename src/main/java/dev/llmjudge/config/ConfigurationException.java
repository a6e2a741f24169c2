package dev.llmjudge.config;

/**
 * A configuration value is unknown or malformed. The message names the key, quotes the
 * value and says what is expected. The JUnit extension rethrows it as an
 * {@code ExtensionConfigurationException}.
 */
public class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigurationException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }
}
