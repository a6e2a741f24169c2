package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.internal.Arguments;
import dev.llmjudge.internal.check.PartsUsage;
import dev.llmjudge.judge.ContextChunks;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.assertj.core.api.AbstractAssert;

/**
 * Judged assertions on what a retriever returned for a question: its chunks, ranked best first.
 *
 * <pre>{@code
 * assertThatRetrieval(question, chunks)
 *     .hasContextPrecisionAtLeast(0.8)
 *     .withGroundTruth(truth)
 *     .hasContextRecallAtLeast(0.9);
 * }</pre>
 *
 * <p><b>Context precision</b> asks whether the relevant chunks are ranked above the irrelevant
 * ones. Each chunk gets its own {@code chunk_relevance} verdict (relevant or not to the
 * question), cached like any verdict; the score is then computed as RAGAS defines it: the mean,
 * over the ranks {@code k} of the relevant chunks, of precision@k (the relevant chunks among the
 * first {@code k}, divided by {@code k}); 0 when no chunk is relevant. Relevance flags
 * {@code [yes, no, yes, yes, no]} give {@code (1/1 + 2/3 + 3/4) / 3 = 0.8056}.
 *
 * <p><b>Context recall</b> asks how much of the ground truth the chunks support. The ground truth
 * is split into sentences ({@link BreakIterator}); each sentence gets its own
 * {@code statement_support} verdict against the ranked chunks; the score is the fraction supported.
 *
 * <p>Both are scored in hundredths ({@code floor(100 x value)}, the value rounded to four
 * decimals) and published as one check with one report row, whose justification lists every
 * chunk's or sentence's verdict; the gates and aggregates read it like any other. A judge that
 * gives no verdict for one chunk errors the check: it is never scored without it, and its error row counts the tokens of the
 * chunks judged before it. A row counts the tokens of the chunks judged in this run, not those replayed.
 *
 * <p>A chunk is relevant (a sentence supported) when its verdict meets 1 as any pass/fail check does ({@link Verdict#meets}):
 * the integer the judge wrote is 1, or scored by probabilities ({@code llmjudge.judge.score-by=probabilities}) its weighted
 * score is at least 0.5, the midpoint of the 0/1 rubric, the judge finding "relevant" at least as probable as not. Its justification line gives
 * the figure it was decided by, e.g. {@code chunk 1 relevant, chunk_relevance 1 (weighted 0.90)}.
 *
 * <p>With several samples per verdict ({@code llmjudge.judge.samples}), each chunk is decided by the median of its
 * samples, and the computed verdict is drawn as the chunks' verdicts were. A chunk whose samples fall on both sides of its
 * decision is unstable; the check is unstable when deciding its unstable chunks either way could put its score on the other
 * side of its threshold, and then {@code llmjudge.judge.on-unstable} and the {@code maxUnstable} gate treat it as any
 * unstable check. Its samples are computed scores: the decided one, and the lowest and highest the unstable chunks allow.
 *
 * <p>Bad input (a bound outside 0..1, no question for context precision, no ground truth for context recall, no chunks, a
 * null or blank chunk) is an {@link IllegalArgumentException} before any request, reported as an {@code INVALID_INPUT}
 * error row like an answer check's.
 */
public class RetrievalAssert extends AbstractAssert<RetrievalAssert, List<String>> {
    private final LlmJudgeRuntime runtime;
    private final String question;
    private String groundTruth;

    /** Assertions on {@code chunks} retrieved for {@code question}, judged by the current runtime. */
    public RetrievalAssert(String question, List<String> chunks) {
        this(question, chunks, LlmJudgeRuntime.current());
    }

    /**
     * Assertions on {@code chunks} retrieved for {@code question}, judged by {@code runtime}.
     *
     * @throws IllegalArgumentException for a {@code null} runtime
     */
    public RetrievalAssert(String question, List<String> chunks, LlmJudgeRuntime runtime) {
        super(chunks, RetrievalAssert.class);
        this.question = question;
        this.runtime = Arguments.requireArgument(runtime, "new RetrievalAssert(question, chunks, null)", "runtime",
                Arguments.RUNTIME_INSTEAD + "; or leave it out, new RetrievalAssert(question, chunks), to judge with the current one");
    }

    /** Sets the reference answer whose statements {@link #hasContextRecallAtLeast} looks for in the chunks. */
    @CheckReturnValue
    public RetrievalAssert withGroundTruth(String groundTruth) {
        this.groundTruth = groundTruth;
        return myself;
    }

    /**
     * Judges each chunk's relevance to the question and fails unless the context precision is at least {@code bound}.
     *
     * @param bound from 0 to 1, in hundredths, e.g. {@code 0.8}
     * @throws IllegalArgumentException for a bound outside 0..1 or finer than hundredths, no question, no chunks or a null or
     *     blank chunk, before any request; reported as an {@code INVALID_INPUT} error row
     * @throws dev.llmjudge.judge.JudgeException when the judge gave no verdict for a chunk (the test errors)
     */
    @CanIgnoreReturnValue
    public RetrievalAssert hasContextPrecisionAtLeast(double bound) {
        String call = "hasContextPrecisionAtLeast(" + bound + ")";
        Metric metric = RetrievalScores.CONTEXT_PRECISION;
        Integer threshold = null;
        List<JudgeRequest> requests;
        EvaluationCase evaluationCase;
        try {
            threshold = RetrievalScores.thresholdOf(metric, bound, call);
            if (question == null || JudgeRequest.isBlank(question)) {
                throw new IllegalArgumentException(call + ": context precision needs the question, to judge each chunk's relevance to"
                        + " it, but it is " + (question == null ? "null" : "blank") + ": pass the question the chunks were retrieved for"
                        + " to assertThatRetrieval(question, chunks)");
            }
            List<String> chunks = ContextChunks.requireChunks(actual);
            requests = chunks.stream()
                    .map(chunk -> new JudgeRequest(Metrics.chunkRelevance(), EvaluationCase.ofAnswer(chunk).withQuestion(question)))
                    .toList();
            evaluationCase = new EvaluationCase(question, ContextChunks.render(chunks), null, null);
        } catch (IllegalArgumentException e) {
            throw rejected(metric, new EvaluationCase(question, asWritten(actual), null, null), threshold, e);
        }
        return check(metric, Metrics.chunkRelevance(), evaluationCase, threshold, requests, "chunk", "relevant",
                relevant -> "mean precision@k over the relevant ranks " + RetrievalScores.ranks(relevant), RetrievalScores::precision);
    }

    /**
     * Judges whether the chunks support each sentence of the ground truth and fails unless the
     * context recall, the fraction supported, is at least {@code bound}.
     *
     * @param bound from 0 to 1, in hundredths, e.g. {@code 0.9}
     * @throws IllegalArgumentException for a bound outside 0..1 or finer than hundredths, no ground truth, no chunks or a null
     *     or blank chunk, before any request; reported as an {@code INVALID_INPUT} error row
     * @throws dev.llmjudge.judge.JudgeException when the judge gave no verdict for a sentence (the test errors)
     */
    @CanIgnoreReturnValue
    public RetrievalAssert hasContextRecallAtLeast(double bound) {
        String call = "hasContextRecallAtLeast(" + bound + ")";
        Metric metric = RetrievalScores.CONTEXT_RECALL;
        Integer threshold = null;
        List<JudgeRequest> requests;
        EvaluationCase evaluationCase;
        try {
            threshold = RetrievalScores.thresholdOf(metric, bound, call);
            if (groundTruth == null || JudgeRequest.isBlank(groundTruth)) {
                throw new IllegalArgumentException(call + ": context recall looks for the ground truth's statements in the chunks, but"
                        + (groundTruth == null ? " no ground truth is set" : " the ground truth is blank") + ": call withGroundTruth(truth)"
                        + " first");
            }
            String context = ContextChunks.render(ContextChunks.requireChunks(actual));
            requests = statements(groundTruth).stream()
                    .map(statement -> new JudgeRequest(Metrics.statementSupport(), EvaluationCase.ofAnswer(statement).withContext(context)))
                    .toList();
            evaluationCase = new EvaluationCase(question, context, groundTruth, null);
        } catch (IllegalArgumentException e) {
            throw rejected(metric, new EvaluationCase(question, asWritten(actual), groundTruth, null), threshold, e);
        }
        return check(metric, Metrics.statementSupport(), evaluationCase, threshold, requests, "sentence", "supported",
                supported -> "sentences supported: " + RetrievalScores.ranks(supported) + " of " + supported.size(),
                supported -> (double) supported.stream().filter(s -> s).count() / supported.size());
    }

    /** The chunks as the report row of a check rejected for them shows them: numbered, whatever they are; {@code null} for none. */
    private static String asWritten(List<String> chunks) {
        if (chunks == null || chunks.isEmpty()) {
            return null;
        }
        List<String> numbered = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            numbered.add("[" + (i + 1) + "] " + chunks.get(i));
        }
        return String.join("\n\n", numbered);
    }

    /**
     * Reports a check that cannot be judged as written (an {@code INVALID_INPUT} error row, as an answer check's) and returns
     * the exception to throw.
     */
    private IllegalArgumentException rejected(Metric metric, EvaluationCase evaluationCase, Integer threshold, IllegalArgumentException e) {
        return AnswerAssert.rejected(description(), metric, evaluationCase, threshold, e);
    }

    private String description() {
        String description = info.descriptionText();
        return description == null || description.isEmpty() ? null : description;
    }

    /** The ground truth's sentences, as {@link BreakIterator} finds them, blank ones left out. */
    static List<String> statements(String text) {
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(text);
        List<String> found = new ArrayList<>();
        for (int start = sentences.first(), end = sentences.next(); end != BreakIterator.DONE; start = end, end = sentences.next()) {
            String sentence = text.substring(start, end).strip();
            if (!JudgeRequest.isBlank(sentence)) {
                found.add(sentence);
            }
        }
        return found;
    }

    /**
     * Every request's verdict. A request written for a batch ({@code llmjudge.cache.mode=collect}) does not stop the others
     * being written: the check is aborted once all are, so one collecting run collects the whole check. A request the judge
     * fails errors the check, carrying the tokens of the verdicts judged before it.
     */
    private List<Verdict> judgeEach(List<JudgeRequest> requests) {
        List<Verdict> verdicts = new ArrayList<>();
        JudgeException collected = null;
        for (JudgeRequest request : requests) {
            try {
                verdicts.add(runtime.judge().judge(request));
            } catch (JudgeException e) {
                if (e.reason() != JudgeException.Reason.COLLECTED) {
                    throw PartsUsage.failedAfter(e, verdicts);
                }
                collected = collected == null ? e : collected;
            }
        }
        if (collected != null) {
            throw collected;
        }
        return verdicts;
    }

    /**
     * One check on {@code metric}: every item's verdict on {@code itemMetric} from the runtime's judge, then the computed
     * score, published as one row; each item is listed as e.g. {@code chunk 2 relevant} or {@code chunk 3 not relevant}
     * ({@link RetrievalScores#verdict}).
     */
    private RetrievalAssert check(Metric metric, Metric itemMetric, EvaluationCase evaluationCase, int threshold,
            List<JudgeRequest> requests, String item, String meetsAs, Function<List<Boolean>, String> how,
            Function<List<Boolean>, Double> score) {
        Function<JudgeRequest, Verdict> judging = request -> RetrievalScores.verdict(metric, itemMetric, judgeEach(requests), item,
                meetsAs, how, score);
        AnswerAssert scored = new AnswerAssert(evaluationCase.answer(), runtime, judging).withQuestion(evaluationCase.question())
                .withGroundTruth(evaluationCase.groundTruth());
        if (info.description() != null && !info.descriptionText().isEmpty()) {
            scored = scored.as(info.description());
        }
        scored.judgedBy(metric).withScoreAtLeast(threshold);
        return myself;
    }
}
