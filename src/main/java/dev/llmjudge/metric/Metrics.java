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

    /** A built-in metric by name, e.g. {@code builtIn("answer_similarity")}. */
    public static Optional<Metric> builtIn(String name) {
        return builtIns().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The names of the built-in metrics, as {@link #builtIn(String)} knows them. */
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
