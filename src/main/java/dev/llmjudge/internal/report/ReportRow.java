package dev.llmjudge.internal.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.llmjudge.internal.check.Check;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.internal.check.PairwiseJudgement;
import dev.llmjudge.internal.Texts;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.ScoreDistribution;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One check's outcome as the report, the aggregates, the gates and the baseline read it, the same
 * whether made in this run or read back from a {@code report.json}. The verdict's fields are
 * {@code null} for an error or a skip, whose message (or reason) is {@code errorMessage};
 * {@code caseKey} is {@code null} outside a test. {@code samples} are the scores of the verdict's
 * samples (one for a verdict of one sample, none without a verdict, those of the verdict not
 * trusted for an unstable check aborted), and {@code unstable} says whether they fall on both
 * sides of the threshold; a {@code report.json} written before has neither, and reads as stable.
 * Scored by probabilities, {@code weightedScore} is the verdict's weighted score (what the
 * threshold was compared with) and {@code probabilities} each sample's distribution of the levels
 * with its weighted score; scored by the reply, the first is {@code null} and the second empty.
 * {@code dataset} names the {@code @JudgeDataset}
 * file of the row the test received, or is {@code null}. {@code batchId} is the provider's batch
 * that judged the verdict, priced at the batch rate ({@link Pricing#BATCH_RATE}), or {@code null}
 * for a verdict judged by a live call (a {@code report.json} then has no {@code batchId}).
 * {@code cachedPromptTokens} are those of {@code promptTokens} the provider read from its prompt
 * cache (priced at its cached rate), or {@code null} without a verdict or in a {@code report.json}
 * written before rows had them. {@code kind} is {@link #PAIRWISE} for a pairwise comparison (its
 * {@code groundTruth} is the reference answer, its verdict for the candidate), also when it errored,
 * and {@link #CHECK} for every other check; a row of a {@code report.json} written before rows had
 * a kind is a comparison when it was scored and its justification is a comparison's, as that report
 * told them apart. {@code unreportedReplies} counts the replies of the row's call whose server reported
 * no usage ({@link dev.llmjudge.judge.TokenUsage#unreportedReplies()}): their tokens are unknown, not 0,
 * so the row's tokens are only those of its other replies and its cost is unknown; a {@code report.json}
 * has it only when it is not 0, and one written before rows had it reads as 0.
 */
public record ReportRow(
        String testId,
        String testName,
        String caseKey,
        int ordinal,
        String description,
        String outcome,
        String metric,
        String metricVersion,
        Integer score,
        Integer minScore,
        Integer maxScore,
        Integer threshold,
        boolean unstable,
        List<Integer> samples,
        Double weightedScore,
        List<Probabilities> probabilities,
        String justification,
        String question,
        String answer,
        String groundTruth,
        String context,
        String judgeModel,
        Boolean cached,
        Long latencyMillis,
        Long promptTokens,
        Long completionTokens,
        String errorReason,
        String errorMessage,
        String cacheFile,
        String at,
        String dataset,
        @JsonInclude(JsonInclude.Include.NON_NULL) String batchId,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long cachedPromptTokens,
        String kind,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int unreportedReplies) {

    public static final String PASSED = "PASSED";
    public static final String FAILED = "FAILED";
    public static final String ERROR = "ERROR";
    public static final String SKIPPED = "SKIPPED";
    /** The {@link #kind()} of a pairwise comparison's row. */
    public static final String PAIRWISE = "pairwise";
    /** The {@link #kind()} of every other check's row. */
    public static final String CHECK = "check";

    /** One sample's distribution of the levels (level to probability) and the weighted score it gives. */
    public record Probabilities(double weightedScore, Map<Integer, Double> levels) {
        public Probabilities {
            levels = levels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(levels));
        }

        static Probabilities of(ScoreDistribution distribution) {
            return new Probabilities(distribution.weightedScore(), distribution.probabilities());
        }
    }

    public ReportRow {
        // A scored row has its verdict's samples; one read from a report.json written before rows had them has its score's.
        samples = samples != null && !samples.isEmpty() ? List.copyOf(samples) : score == null ? List.of() : List.of(score);
        probabilities = probabilities == null ? List.of() : List.copyOf(probabilities);
        if (kind == null) {
            kind = score != null && PairwiseJudgement.isComparison(justification) ? PAIRWISE : CHECK;
        } else if (!kind.equals(PAIRWISE) && !kind.equals(CHECK)) {
            throw new IllegalArgumentException("a row's kind is " + PAIRWISE + " or " + CHECK + ", not " + kind);
        }
        if (unreportedReplies < 0) {
            throw new IllegalArgumentException("a row's unreportedReplies must not be negative: " + unreportedReplies);
        }
    }

    /** The row of a check's outcome. */
    public static ReportRow of(CheckOutcome outcome) {
        Check check = outcome.check();
        EvaluationCase c = check.evaluationCase();
        CheckRecorder.TestIdentity test = check.test();
        Verdict v = outcome.verdict();
        CheckOutcome.Errored error = outcome instanceof CheckOutcome.Errored e ? e : null;
        CheckOutcome.Skipped skipped = outcome instanceof CheckOutcome.Skipped s ? s : null;
        String name = outcome instanceof CheckOutcome.Passed ? PASSED : outcome instanceof CheckOutcome.Failed ? FAILED
                : skipped != null ? SKIPPED : ERROR;
        Sampling sampling = outcome.sampling();
        List<Probabilities> probabilities = sampling == null || !sampling.byProbabilities() ? List.of()
                : sampling.samples().stream().map(sample -> Probabilities.of(sample.distribution())).toList();
        Double weighted = v == null || v.weightedScore().isEmpty() ? null : v.weightedScore().getAsDouble();
        // An error has no verdict, but its call may have been billed (e.g. two invalid replies): its tokens, at its model's prices.
        TokenUsage usage = v != null ? v.usage() : error != null && !error.spent().equals(TokenUsage.NONE) ? error.spent() : null;
        String judgeModel = v != null ? v.judgeModel() : usage != null ? error.judgeModel() : null;
        return new ReportRow(test == null ? null : test.id(), test == null ? null : test.name(), test == null ? null : test.caseKey(),
                check.ordinal(), check.description(), name, check.metric().name(),
                v == null ? null : v.metricVersion(), v == null ? null : v.score(), v == null ? null : v.minScore(),
                v == null ? null : v.maxScore(), check.threshold(), outcome.unstable(), outcome.sampleScores(), weighted, probabilities,
                v == null ? null : v.justification(),
                c.question(), c.answer(), c.groundTruth(), c.context(), judgeModel, v == null ? null : v.cached(),
                // A batch verdict was judged somewhere in the batch's window, not in a call of its own: it has no latency.
                v == null || v.batchJudged() ? null : v.latency().toMillis(), usage == null ? null : usage.promptTokens(),
                usage == null ? null : usage.completionTokens(), error == null || error.reason() == null ? null : error.reason().name(),
                error != null ? error.message() : skipped != null ? skipped.reason() : null, v == null ? null : v.cacheFile(),
                Instant.now().toString(), test == null ? null : test.dataset(), v == null ? null : v.batchId(),
                usage == null ? null : usage.cachedPromptTokens(), check.comparison() ? PAIRWISE : CHECK,
                usage == null ? 0 : usage.unreportedReplies());
    }

    /** Whether the row is a pairwise comparison's ({@link #kind()}). */
    public boolean comparison() {
        return PAIRWISE.equals(kind);
    }

    /**
     * The estimated cost of the call that gave this row's verdict, cached prompt tokens at the cached rate and a batch
     * verdict at the batch rate; empty when the model's price is unknown, or the server did not report the usage of a reply.
     */
    public java.util.Optional<Double> estimatedCostUsd() {
        if (!usageReported()) {
            return java.util.Optional.empty();
        }
        long prompt = promptTokens == null ? 0 : promptTokens;
        long completion = completionTokens == null ? 0 : completionTokens;
        return Pricing.estimateUsd(judgeModel, prompt, cachedPromptTokens == null ? 0 : cachedPromptTokens, completion, batchId != null);
    }

    /** Whether the server reported the usage of every reply of the row's call, so that its tokens are all it was billed. */
    public boolean usageReported() {
        return unreportedReplies == 0;
    }

    /** Whether the check was skipped: not judged on purpose, never a score and never an error. */
    public boolean skipped() {
        return SKIPPED.equals(outcome);
    }

    /** The sample scores as a list to read, e.g. {@code 5, 2, 5}; scored by probabilities, their weighted scores ({@code 4.20, 3.90}). */
    public String samplesText() {
        return probabilities.isEmpty() ? String.join(", ", samples.stream().map(String::valueOf).toList())
                : String.join(", ", probabilities.stream().map(p -> Texts.score(p.weightedScore())).toList());
    }

    /** The score a threshold was compared with: the weighted score when scored by probabilities, else the score; {@code null} for none. */
    public Double effectiveScore() {
        return weightedScore != null ? weightedScore : score == null ? null : Double.valueOf(score);
    }

    /**
     * The effective score the row's score was compared with ({@link Verdict#effectiveThreshold(int, int, int, boolean)}): its
     * threshold, or the midpoint for a rubric of two levels scored by probabilities ({@code 0.5} for a pass/fail threshold of
     * 1); {@code null} without a threshold.
     */
    public Double effectiveThreshold() {
        if (threshold == null) {
            return null;
        }
        return minScore == null || maxScore == null ? threshold.doubleValue()
                : Verdict.effectiveThreshold(threshold, minScore, maxScore, !probabilities.isEmpty());
    }

    /** The threshold to read beside the effective score, e.g. {@code 4}, or {@code 0.50} when met at the midpoint; {@code null} for none. */
    public String thresholdText() {
        Double effective = effectiveThreshold();
        return effective == null ? null : effective == threshold.doubleValue() ? String.valueOf(threshold) : Texts.score(effective);
    }

    /** The effective score to read, e.g. {@code 4} or, scored by probabilities, {@code 4.20}; {@code null} for none. */
    public String scoreText() {
        return weightedScore != null ? Texts.score(weightedScore) : score == null ? null : String.valueOf(score);
    }

    /**
     * The distribution of the levels to read, e.g. {@code 3: 0.10, 4: 0.60, 5: 0.30}; with several samples, each's
     * ({@code sample 1: …; sample 2: …}); {@code null} when scored by the reply.
     */
    public String probabilitiesText() {
        if (probabilities.isEmpty()) {
            return null;
        }
        if (probabilities.size() == 1) {
            return Texts.probabilities(probabilities.get(0).levels());
        }
        List<String> each = new ArrayList<>();
        for (int i = 0; i < probabilities.size(); i++) {
            each.add("sample " + (i + 1) + ": " + Texts.probabilities(probabilities.get(i).levels()));
        }
        return String.join("; ", each);
    }

    /** Whether the verdict took more than one sample. */
    public boolean sampled() {
        return samples.size() > 1;
    }

    /** Whether the check has a score (it passed or failed); an error or a skip is never a score. */
    public boolean scored() {
        return score != null;
    }
}
