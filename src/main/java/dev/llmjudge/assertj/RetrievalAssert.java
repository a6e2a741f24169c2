package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
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
import java.util.Objects;
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
 */
public class RetrievalAssert extends AbstractAssert<RetrievalAssert, List<String>> {
    private final LlmJudgeRuntime runtime;
    private final String question;
    private String groundTruth;

    /** Assertions on {@code chunks} retrieved for {@code question}, judged by the current runtime. */
    public RetrievalAssert(String question, List<String> chunks) {
        this(question, chunks, LlmJudgeRuntime.current());
    }

    /** Assertions on {@code chunks} retrieved for {@code question}, judged by {@code runtime}. */
    public RetrievalAssert(String question, List<String> chunks, LlmJudgeRuntime runtime) {
        super(chunks, RetrievalAssert.class);
        this.question = question;
        this.runtime = Objects.requireNonNull(runtime, "runtime");
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
     * @throws IllegalArgumentException for a bound outside 0..1 or finer than hundredths, a blank question or a blank chunk
     * @throws dev.llmjudge.judge.JudgeException when the judge gave no verdict for a chunk (the test errors)
     */
    @CanIgnoreReturnValue
    public RetrievalAssert hasContextPrecisionAtLeast(double bound) {
        String call = "hasContextPrecisionAtLeast(" + bound + ")";
        int threshold = RetrievalScores.thresholdOf(RetrievalScores.CONTEXT_PRECISION, bound, call);
        List<String> chunks = ContextChunks.requireChunks(actual);
        List<JudgeRequest> requests = chunks.stream()
                .map(chunk -> new JudgeRequest(Metrics.chunkRelevance(), EvaluationCase.ofAnswer(chunk).withQuestion(question))).toList();
        return check(RetrievalScores.CONTEXT_PRECISION, new EvaluationCase(question, ContextChunks.render(chunks), null, null), threshold,
                requests, "chunk", "relevant", relevant -> "mean precision@k over the relevant ranks " + RetrievalScores.ranks(relevant),
                RetrievalScores::precision);
    }

    /**
     * Judges whether the chunks support each sentence of the ground truth and fails unless the
     * context recall, the fraction supported, is at least {@code bound}.
     *
     * @param bound from 0 to 1, in hundredths, e.g. {@code 0.9}
     * @throws IllegalArgumentException for a bound outside 0..1 or finer than hundredths, no ground truth or a blank chunk
     * @throws dev.llmjudge.judge.JudgeException when the judge gave no verdict for a sentence (the test errors)
     */
    @CanIgnoreReturnValue
    public RetrievalAssert hasContextRecallAtLeast(double bound) {
        String call = "hasContextRecallAtLeast(" + bound + ")";
        int threshold = RetrievalScores.thresholdOf(RetrievalScores.CONTEXT_RECALL, bound, call);
        if (groundTruth == null || groundTruth.isBlank()) {
            throw new IllegalArgumentException(call + ": context recall looks for the ground truth's statements in the chunks, but no"
                    + " ground truth is set: call withGroundTruth(truth) first");
        }
        String context = ContextChunks.render(ContextChunks.requireChunks(actual));
        List<JudgeRequest> requests = statements(groundTruth).stream()
                .map(statement -> new JudgeRequest(Metrics.statementSupport(), EvaluationCase.ofAnswer(statement).withContext(context)))
                .toList();
        return check(RetrievalScores.CONTEXT_RECALL, new EvaluationCase(question, context, groundTruth, null), threshold, requests,
                "sentence", "supported", supported -> "sentences supported: " + RetrievalScores.ranks(supported) + " of " + supported.size(),
                supported -> (double) supported.stream().filter(s -> s).count() / supported.size());
    }

    /** The ground truth's sentences, as {@link BreakIterator} finds them, blank ones left out. */
    static List<String> statements(String text) {
        BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
        sentences.setText(text);
        List<String> found = new ArrayList<>();
        for (int start = sentences.first(), end = sentences.next(); end != BreakIterator.DONE; start = end, end = sentences.next()) {
            String sentence = text.substring(start, end).strip();
            if (!sentence.isEmpty()) {
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
     * One check on {@code metric}: every item's verdict from the runtime's judge, then the computed score, published as one row;
     * each item is listed as e.g. {@code chunk 2 relevant} or {@code chunk 3 not relevant}.
     */
    private RetrievalAssert check(Metric metric, EvaluationCase evaluationCase, int threshold, List<JudgeRequest> requests, String item,
            String meetsAs, Function<List<Boolean>, String> how, Function<List<Boolean>, Double> score) {
        Function<JudgeRequest, Verdict> judging = request -> {
            List<Verdict> verdicts = judgeEach(requests);
            List<Boolean> flags = new ArrayList<>();
            List<String> items = new ArrayList<>();
            for (int i = 0; i < verdicts.size(); i++) {
                boolean meets = verdicts.get(i).meets(requests.get(i).metric().passThreshold());
                flags.add(meets);
                items.add(item + " " + (i + 1) + (meets ? " " : " not ") + meetsAs);
            }
            return RetrievalScores.verdict(metric, score.apply(flags), how.apply(flags), items, verdicts);
        };
        AnswerAssert scored = new AnswerAssert(evaluationCase.answer(), runtime, judging).withQuestion(evaluationCase.question())
                .withGroundTruth(evaluationCase.groundTruth());
        if (info.description() != null && !info.descriptionText().isEmpty()) {
            scored = scored.as(info.description());
        }
        scored.judgedBy(metric).withScoreAtLeast(threshold);
        return myself;
    }
}
