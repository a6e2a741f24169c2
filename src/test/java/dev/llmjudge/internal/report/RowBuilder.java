package dev.llmjudge.internal.report;

import java.util.List;

/**
 * A {@link ReportRow} for a test, told field by field: {@link #row()} starts from a passed {@code answer_similarity} check
 * scored 5 on its scale of 1 to 5 with threshold 4, judged by a live call to {@code gpt-4.1} (no dataset, no batch, no
 * cached prompt tokens, every reply's usage reported), and {@link #from(ReportRow)} from a row's own fields. A field left
 * {@code null} is what the canonical constructor makes of it: no samples are the score's, no kind is the one a
 * {@code report.json} written before rows had one tells.
 */
public final class RowBuilder {
    private String testId = "[engine:junit-jupiter]/[class:com.example.SupportBotTest]/[method:answers()]";
    private String testName = "SupportBotTest > answers()";
    private String caseKey = "class:com.example.SupportBotTest/method:answers()";
    private int ordinal = 1;
    private String description;
    private String outcome = ReportRow.PASSED;
    private String metric = "answer_similarity";
    private String metricVersion = "v1";
    private Integer score = 5;
    private Integer minScore = 1;
    private Integer maxScore = 5;
    private Integer threshold = 4;
    private boolean unstable;
    private List<Integer> samples;
    private Double weightedScore;
    private List<ReportRow.Probabilities> probabilities;
    private String justification = "Same meaning.";
    private String question = "Q?";
    private String answer = "A.";
    private String groundTruth = "T.";
    private String context;
    private String judgeModel = "gpt-4.1";
    private Boolean cached = false;
    private Long latencyMillis = 10L;
    private Long promptTokens = 100L;
    private Long completionTokens = 10L;
    private String errorReason;
    private String errorMessage;
    private String cacheFile;
    private String at = "2025-05-01T10:15:30Z";
    private String dataset;
    private String batchId;
    private Long cachedPromptTokens;
    private String kind;
    private int unreportedReplies;

    private RowBuilder() {
    }

    /** A passed {@code answer_similarity} check, scored 5 of 1 to 5 with threshold 4. */
    public static RowBuilder row() {
        return new RowBuilder();
    }

    /** Every field of {@code row}. */
    public static RowBuilder from(ReportRow row) {
        return new RowBuilder().withTestId(row.testId()).withTestName(row.testName()).withCaseKey(row.caseKey()).withOrdinal(row.ordinal())
                .withDescription(row.description()).withOutcome(row.outcome()).withMetric(row.metric()).withMetricVersion(row.metricVersion())
                .withScore(row.score()).withMinScore(row.minScore()).withMaxScore(row.maxScore()).withThreshold(row.threshold())
                .withUnstable(row.unstable()).withSamples(row.samples()).withWeightedScore(row.weightedScore())
                .withProbabilities(row.probabilities()).withJustification(row.justification()).withQuestion(row.question())
                .withAnswer(row.answer()).withGroundTruth(row.groundTruth()).withContext(row.context()).withJudgeModel(row.judgeModel())
                .withCached(row.cached()).withLatencyMillis(row.latencyMillis()).withPromptTokens(row.promptTokens())
                .withCompletionTokens(row.completionTokens()).withErrorReason(row.errorReason()).withErrorMessage(row.errorMessage())
                .withCacheFile(row.cacheFile()).withAt(row.at()).withDataset(row.dataset()).withBatchId(row.batchId())
                .withCachedPromptTokens(row.cachedPromptTokens()).withKind(row.kind()).withUnreportedReplies(row.unreportedReplies());
    }

    /**
     * No verdict: no metric version, score, scale, justification, judge model, cache, latency, tokens or verdict file (the
     * threshold, the case and the error fields stay as they are).
     */
    public RowBuilder withoutVerdict() {
        metricVersion = null;
        score = null;
        minScore = null;
        maxScore = null;
        samples = null;
        weightedScore = null;
        probabilities = null;
        justification = null;
        judgeModel = null;
        cached = null;
        latencyMillis = null;
        promptTokens = null;
        completionTokens = null;
        cacheFile = null;
        return this;
    }

    /** A judge error without a verdict: outcome {@link ReportRow#ERROR}, its {@code reason} and {@code message}. */
    public RowBuilder errored(String reason, String message) {
        return withoutVerdict().withOutcome(ReportRow.ERROR).withErrorReason(reason).withErrorMessage(message);
    }

    /** A skip without a verdict: outcome {@link ReportRow#SKIPPED}, its {@code reason} as the message. */
    public RowBuilder skipped(String reason) {
        return withoutVerdict().withOutcome(ReportRow.SKIPPED).withErrorMessage(reason);
    }

    /** The row, by the canonical constructor. */
    public ReportRow build() {
        return new ReportRow(testId, testName, caseKey, ordinal, description, outcome, metric, metricVersion, score, minScore, maxScore,
                threshold, unstable, samples, weightedScore, probabilities, justification, question, answer, groundTruth, context, judgeModel,
                cached, latencyMillis, promptTokens, completionTokens, errorReason, errorMessage, cacheFile, at, dataset, batchId,
                cachedPromptTokens, kind, unreportedReplies);
    }

    /** The {@link ReportRow#testId()}. */
    public RowBuilder withTestId(String testId) {
        this.testId = testId;
        return this;
    }

    /** The {@link ReportRow#testName()}. */
    public RowBuilder withTestName(String testName) {
        this.testName = testName;
        return this;
    }

    /** The {@link ReportRow#caseKey()}. */
    public RowBuilder withCaseKey(String caseKey) {
        this.caseKey = caseKey;
        return this;
    }

    /** The {@link ReportRow#ordinal()}. */
    public RowBuilder withOrdinal(int ordinal) {
        this.ordinal = ordinal;
        return this;
    }

    /** The {@link ReportRow#description()}. */
    public RowBuilder withDescription(String description) {
        this.description = description;
        return this;
    }

    /** The {@link ReportRow#outcome()}. */
    public RowBuilder withOutcome(String outcome) {
        this.outcome = outcome;
        return this;
    }

    /** The {@link ReportRow#metric()}. */
    public RowBuilder withMetric(String metric) {
        this.metric = metric;
        return this;
    }

    /** The {@link ReportRow#metricVersion()}. */
    public RowBuilder withMetricVersion(String metricVersion) {
        this.metricVersion = metricVersion;
        return this;
    }

    /** The {@link ReportRow#score()}. */
    public RowBuilder withScore(Integer score) {
        this.score = score;
        return this;
    }

    /** The {@link ReportRow#minScore()}. */
    public RowBuilder withMinScore(Integer minScore) {
        this.minScore = minScore;
        return this;
    }

    /** The {@link ReportRow#maxScore()}. */
    public RowBuilder withMaxScore(Integer maxScore) {
        this.maxScore = maxScore;
        return this;
    }

    /** The {@link ReportRow#threshold()}. */
    public RowBuilder withThreshold(Integer threshold) {
        this.threshold = threshold;
        return this;
    }

    /** The {@link ReportRow#unstable()}. */
    public RowBuilder withUnstable(boolean unstable) {
        this.unstable = unstable;
        return this;
    }

    /** The {@link ReportRow#samples()}. */
    public RowBuilder withSamples(List<Integer> samples) {
        this.samples = samples;
        return this;
    }

    /** The {@link ReportRow#weightedScore()}. */
    public RowBuilder withWeightedScore(Double weightedScore) {
        this.weightedScore = weightedScore;
        return this;
    }

    /** The {@link ReportRow#probabilities()}. */
    public RowBuilder withProbabilities(List<ReportRow.Probabilities> probabilities) {
        this.probabilities = probabilities;
        return this;
    }

    /** The {@link ReportRow#justification()}. */
    public RowBuilder withJustification(String justification) {
        this.justification = justification;
        return this;
    }

    /** The {@link ReportRow#question()}. */
    public RowBuilder withQuestion(String question) {
        this.question = question;
        return this;
    }

    /** The {@link ReportRow#answer()}. */
    public RowBuilder withAnswer(String answer) {
        this.answer = answer;
        return this;
    }

    /** The {@link ReportRow#groundTruth()}. */
    public RowBuilder withGroundTruth(String groundTruth) {
        this.groundTruth = groundTruth;
        return this;
    }

    /** The {@link ReportRow#context()}. */
    public RowBuilder withContext(String context) {
        this.context = context;
        return this;
    }

    /** The {@link ReportRow#judgeModel()}. */
    public RowBuilder withJudgeModel(String judgeModel) {
        this.judgeModel = judgeModel;
        return this;
    }

    /** The {@link ReportRow#cached()}. */
    public RowBuilder withCached(Boolean cached) {
        this.cached = cached;
        return this;
    }

    /** The {@link ReportRow#latencyMillis()}. */
    public RowBuilder withLatencyMillis(Long latencyMillis) {
        this.latencyMillis = latencyMillis;
        return this;
    }

    /** The {@link ReportRow#promptTokens()}. */
    public RowBuilder withPromptTokens(Long promptTokens) {
        this.promptTokens = promptTokens;
        return this;
    }

    /** The {@link ReportRow#completionTokens()}. */
    public RowBuilder withCompletionTokens(Long completionTokens) {
        this.completionTokens = completionTokens;
        return this;
    }

    /** The {@link ReportRow#errorReason()}. */
    public RowBuilder withErrorReason(String errorReason) {
        this.errorReason = errorReason;
        return this;
    }

    /** The {@link ReportRow#errorMessage()}. */
    public RowBuilder withErrorMessage(String errorMessage) {
        this.errorMessage = errorMessage;
        return this;
    }

    /** The {@link ReportRow#cacheFile()}. */
    public RowBuilder withCacheFile(String cacheFile) {
        this.cacheFile = cacheFile;
        return this;
    }

    /** The {@link ReportRow#at()}. */
    public RowBuilder withAt(String at) {
        this.at = at;
        return this;
    }

    /** The {@link ReportRow#dataset()}. */
    public RowBuilder withDataset(String dataset) {
        this.dataset = dataset;
        return this;
    }

    /** The {@link ReportRow#batchId()}. */
    public RowBuilder withBatchId(String batchId) {
        this.batchId = batchId;
        return this;
    }

    /** The {@link ReportRow#cachedPromptTokens()}. */
    public RowBuilder withCachedPromptTokens(Long cachedPromptTokens) {
        this.cachedPromptTokens = cachedPromptTokens;
        return this;
    }

    /** The {@link ReportRow#kind()}. */
    public RowBuilder withKind(String kind) {
        this.kind = kind;
        return this;
    }

    /** The {@link ReportRow#unreportedReplies()}. */
    public RowBuilder withUnreportedReplies(int unreportedReplies) {
        this.unreportedReplies = unreportedReplies;
        return this;
    }
}
