package dev.llmjudge.internal.report;

import java.util.List;

/**
 * What {@code report.json} says about its run besides the rows: the run id, the shard it ran
 * ({@code "2/3"}; {@code null} for the whole suite), the verdict cache's key format and the judge
 * settings the run was configured with, and for a merged report the reports it was merged from
 * (empty otherwise). The shards of one run share the key format and the judge settings.
 *
 * @param runId the run id; {@code null} when unknown
 * @param shard {@code K/N}, or {@code null} when the run was not a shard
 * @param keyFormat the verdict cache's key format; {@code null} in a report written before it was recorded
 * @param judge the configured judge settings; {@code null} in a report written before they were recorded
 * @param mergedFrom the reports a merged report combines, in the order given
 */
public record RunHeader(String runId, String shard, Integer keyFormat, JudgeSettings judge, List<MergedReport> mergedFrom) {
    public RunHeader {
        mergedFrom = mergedFrom == null ? List.of() : List.copyOf(mergedFrom);
    }

    /** The header of a run known only by its id. */
    public static RunHeader of(String runId) {
        return new RunHeader(runId, null, null, null, List.of());
    }

    /**
     * The judge settings a run was configured with ({@code llmjudge.judge.*}): the model, the host of
     * the endpoint (never its path or credentials), the sampling parameters, and how verdicts are drawn
     * and read: {@code samples}, {@code scoreBy} and {@code onUnstable} ({@code null} in reports written
     * before they were recorded). A class's own settings ({@code @LlmJudgeTest(model = ...)}, a
     * metric's model) are not among them: each row names its judge.
     */
    public record JudgeSettings(String model, String baseUrlHost, Double temperature, Long seed, Integer maxTokens, Integer samples,
            String scoreBy, String onUnstable) {
        /** The settings of a report that records no sampling settings. */
        public JudgeSettings(String model, String baseUrlHost, Double temperature, Long seed, Integer maxTokens) {
            this(model, baseUrlHost, temperature, seed, maxTokens, null, null, null);
        }
    }

    /** One report a merged report combines: its file, run id and shard, as given to the merge. */
    public record MergedReport(String file, String runId, String shard) {
    }
}
