package dev.llmjudge.metric;

import java.util.List;
import java.util.Optional;

/**
 * The built-in metrics, with the semantics of MLflow's GenAI metrics, and quick forms for a
 * plain-language criterion.
 *
 * <pre>{@code
 * Metric similarity = Metrics.answerSimilarity();
 * Metric polite = Metrics.criterion("answers in a polite tone");   // scored 1-5
 * Metric noPrices = Metrics.passFail("never quotes a price");        // 0 = fails, 1 = meets
 * }</pre>
 */
public final class Metrics {
    private Metrics() {
    }

    /** How close the answer's meaning is to the ground truth (reads answer and ground truth). */
    public static Metric answerSimilarity() {
        return BuiltInMetrics.ANSWER_SIMILARITY;
    }

    /** Whether the answer is factually right for the question, judged against the ground truth. */
    public static Metric answerCorrectness() {
        return BuiltInMetrics.ANSWER_CORRECTNESS;
    }

    /** Whether every claim of the answer is supported by the context; ignores the question. */
    public static Metric faithfulness() {
        return BuiltInMetrics.FAITHFULNESS;
    }

    /** Whether the answer addresses the question, regardless of correctness. */
    public static Metric answerRelevance() {
        return BuiltInMetrics.ANSWER_RELEVANCE;
    }

    /** Whether the answer addresses the question and rests on the given context. */
    public static Metric relevance() {
        return BuiltInMetrics.RELEVANCE;
    }

    /**
     * Whether no assistant turn of a conversation forgets or contradicts what the user said earlier;
     * reads the conversation's transcript as the answer, and names the faulted turns.
     */
    public static Metric knowledgeRetention() {
        return BuiltInMetrics.KNOWLEDGE_RETENTION;
    }

    /** Whether the assistant stays within the role its system turn gives it; reads the transcript, names the faulted turns. */
    public static Metric roleAdherence() {
        return BuiltInMetrics.ROLE_ADHERENCE;
    }

    /** Whether the user's goals are met by the end of the conversation; reads the transcript, names the faulted turns. */
    public static Metric conversationCompleteness() {
        return BuiltInMetrics.CONVERSATION_COMPLETENESS;
    }

    /**
     * Whether the last assistant turn of a window of a conversation fits what came before it in
     * the window; a conversation is judged one window per assistant turn.
     */
    public static Metric conversationRelevance() {
        return BuiltInMetrics.CONVERSATION_RELEVANCE;
    }

    /**
     * Pass/fail: 1 when one retrieved chunk (the answer) helps answer the question, 0 when not;
     * context precision is computed from one such verdict per chunk.
     */
    public static Metric chunkRelevance() {
        return BuiltInMetrics.CHUNK_RELEVANCE;
    }

    /**
     * Pass/fail: 1 when one statement of the ground truth (the answer) is supported by the
     * retrieved context, 0 when not; context recall is computed from one such verdict per statement.
     */
    public static Metric statementSupport() {
        return BuiltInMetrics.STATEMENT_SUPPORT;
    }

    /**
     * Which of two answers to one question serves it better, or a tie (a pairwise metric, see
     * {@link Metric#pairwiseBuilder}); judged in both orders by
     * {@code assertThatAnswer(candidate).comparedTo(reference).forQuestion(question).winsOrTies()}.
     */
    public static Metric pairwisePreference() {
        return BuiltInMetrics.PAIRWISE_PREFERENCE;
    }

    /**
     * A metric named {@code name}, scored 1-5 on a plain-language criterion by evaluation steps
     * that the judge writes once (G-Eval, pinned). The first check that uses it asks the judge for
     * the steps (one request) and stores them in {@code <cache dir>/steps/<name>-<hash of the criterion>.json},
     * to commit and review like a verdict; from then on the steps are read from that file, with no
     * request, and become part of the metric and so of its verdicts' cache keys. Another criterion
     * text finds no file and asks for new steps (in {@code replay} mode: an error naming the file to
     * generate). To write the steps again on purpose, delete the file.
     *
     * <pre>{@code
     * Metric polite = Metrics.withSteps("polite_tone", "answers in a polite tone");
     * assertThatAnswer(answer).judgedBy(polite).withScoreAtLeast(4);
     * }</pre>
     */
    public static Metric withSteps(String name, String criterion) {
        return BuiltInMetrics.withSteps(name, criterion);
    }

    /**
     * A built-in single-answer metric by name, e.g. {@code builtIn("answer_similarity")}: one that grades a case's fields
     * as given, so a dataset can judge it ahead. The conversation and retrieval metrics are judged on a transcript, a
     * window or a chunk the assertion derives, and are not listed.
     */
    public static Optional<Metric> builtIn(String name) {
        return builtIns().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The names of the built-in single-answer metrics, as {@link #builtIn(String)} knows them. */
    public static List<String> builtInNames() {
        return builtIns().stream().map(Metric::name).toList();
    }

    private static List<Metric> builtIns() {
        return List.of(answerSimilarity(), answerCorrectness(), faithfulness(), answerRelevance(), relevance());
    }

    /** A metric scored 1-5 on how well the answer meets a plain-language criterion, e.g. {@code "answers in a polite tone"}. */
    public static Metric criterion(String criterion) {
        return BuiltInMetrics.criterion(criterion);
    }

    /** A pass/fail metric: 1 when the answer meets the criterion, e.g. {@code "never quotes a price"}, 0 when it does not. */
    public static Metric passFail(String criterion) {
        return BuiltInMetrics.passFail(criterion);
    }
}
