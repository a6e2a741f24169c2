package dev.llmjudge.config;

import dev.llmjudge.internal.Secrets;

/**
 * A configuration value is unknown or malformed. The message names the key, quotes the
 * value and says what is expected. The JUnit extension rethrows it as an
 * {@code ExtensionConfigurationException}.
 */
public class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigurationException(String key, String message) {
        this(key, message, null);
    }

    public ConfigurationException(String key, String message, Throwable cause) {
        super(message, cause);
        this.key = key;
    }

    /** The configuration key at fault; {@code null} when no key is (an unreadable {@code junit-platform.properties}). */
    public String key() {
        return key;
    }

    /**
     * A value that its key's parser rejects, e.g. {@code invalid value 'sometimes' for llmjudge.cache.mode: expected one of ...};
     * the value is quoted without a known API key or the credentials of a URL ({@link Secrets#redactSetting}).
     */
    static ConfigurationException malformed(String key, String value, String expected) {
        return new ConfigurationException(key, "invalid value '" + Secrets.redactSetting(value) + "' for " + key + ": expected " + expected
                + " (set by -D" + key + ", junit-platform.properties or " + LlmJudgeConfig.environmentVariableOf(key) + ")");
    }
}
