package dev.llmjudge.config;

/**
 * What a run does with the recorded verdicts under its cache directories that no check read
 * ({@code llmjudge.cache.unused}).
 */
public enum UnusedVerdicts {
    /** The report lists them; nothing is removed. The default. */
    REPORT,
    /**
     * They are deleted, but only by a run that ran every test of the test class path and saw each
     * pass; any other run lists them, saying why they were kept.
     */
    DELETE
}
