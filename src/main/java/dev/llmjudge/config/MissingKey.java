package dev.llmjudge.config;

/**
 * What a check that must be judged does when no API key is configured
 * ({@code llmjudge.judge.missing-key}).
 */
public enum MissingKey {
    /** The test errors, saying how to configure a key. The default: a CI without a key cannot pass by skipping. */
    ERROR,
    /**
     * The test is skipped (aborted) with the reason and the fix; checks whose verdict is recorded
     * still replay it. For suites that run with or without a judge, e.g. a public example.
     */
    SKIP
}
