package dev.llmjudge.embedding;

import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.Metric;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The metric scored by the offline embedding judge instead of an LLM: how close the answer is
 * to the ground truth by the cosine similarity of their sentence embeddings.
 *
 * <p>The cosine is scored in hundredths, 0 to 100: {@code floor(100 x cosine)} with the cosine
 * rounded to four decimals, so {@code withCosineAtLeast(0.8)} is {@code withScoreAtLeast(80)}.
 *
 * <pre>{@code
 * assertThatAnswer(answer).isSemanticallySimilarTo(truth).withCosineAtLeast(0.8);
 * // the same check, spelled with the metric:
 * assertThatAnswer(answer).withGroundTruth(truth)
 *     .judgedBy(EmbeddingMetrics.semanticSimilarity()).withScoreAtLeast(80);
 * }</pre>
 *
 * <p>Similarity is not correctness: "2 plus 2 equals 5" is close to "2 plus 2 equals 4". Check
 * facts with an LLM metric such as {@code answer_correctness}.
 */
public final class EmbeddingMetrics {
    /** The name of the metric, as reports and the verdict cache show it. */
    public static final String SEMANTIC_SIMILARITY = "semantic_similarity";
    /** The embedding model that judges it, as verdicts and reports name it. */
    public static final String MODEL = "all-minilm-l6-v2-q (embedding)";

    private static final Metric SEMANTIC_SIMILARITY_METRIC = buildSemanticSimilarity();

    private EmbeddingMetrics() {
    }

    /** The cosine similarity of the answer's and the ground truth's embeddings, scored 0 to 100 by {@link #MODEL}. */
    public static Metric semanticSimilarity() {
        return SEMANTIC_SIMILARITY_METRIC;
    }

    /** Whether a metric is judged by the embedding judge rather than an LLM. */
    public static boolean isEmbeddingMetric(Metric metric) {
        return metric.model().filter(MODEL::equals).isPresent();
    }

    /** The score of a cosine, 0 for a negative one: {@code 0.84937 -> 84}, {@code 0.99999994 -> 100}. */
    public static int scoreOf(double cosine) {
        if (Double.isNaN(cosine)) {
            throw new IllegalArgumentException("the cosine similarity is NaN: the embeddings were empty or zero");
        }
        int score = rounded(cosine).movePointRight(2).setScale(0, RoundingMode.FLOOR).intValue();
        return Math.max(0, Math.min(100, score));
    }

    /** The cosine as the justification states it: four decimals. */
    public static BigDecimal rounded(double cosine) {
        return BigDecimal.valueOf(cosine).setScale(4, RoundingMode.HALF_UP);
    }

    /** The score threshold of a cosine threshold, {@code 0.8 -> 80}; one outside 0..1 or finer than hundredths throws. */
    public static int thresholdOf(double minCosine) {
        if (Double.isNaN(minCosine) || minCosine < 0 || minCosine > 1) {
            throw new IllegalArgumentException("cosine threshold " + minCosine
                    + " is outside 0 to 1: choose how similar the answer must be, e.g. withCosineAtLeast(0.8)");
        }
        BigDecimal hundredths = BigDecimal.valueOf(minCosine).movePointRight(2).stripTrailingZeros();
        if (hundredths.scale() > 0) {
            throw new IllegalArgumentException("cosine threshold " + minCosine + " is finer than the metric's scale: "
                    + SEMANTIC_SIMILARITY + " is scored in hundredths of the cosine, so use at most two decimals, e.g. "
                    + hundredths.setScale(0, RoundingMode.FLOOR).movePointLeft(2).toPlainString() + " or "
                    + hundredths.setScale(0, RoundingMode.CEILING).movePointLeft(2).toPlainString());
        }
        return hundredths.intValueExact();
    }

    private static Metric buildSemanticSimilarity() {
        Metric.Builder builder = Metric.builder(SEMANTIC_SIMILARITY)
                .version("v1")
                .definition("Semantic similarity is the cosine similarity of the sentence embeddings of the answer and the ground"
                        + " truth, computed by the embedding model " + MODEL + " and scored in hundredths:"
                        + " score = floor(100 x cosine), with the cosine rounded to four decimals; a negative cosine scores 0."
                        + " It measures closeness of meaning and wording, not correctness.")
                .level(0, "Cosine below 0.01: unrelated or opposite.");
        for (int score = 1; score <= 99; score++) {
            builder.level(score, "Cosine from " + hundredths(score) + " to below " + hundredths(score + 1) + ".");
        }
        return builder.level(100, "Cosine 1.00: the same meaning and wording.")
                .requires(Field.GROUND_TRUTH)
                .model(MODEL)
                .build();
    }

    private static String hundredths(int score) {
        return BigDecimal.valueOf(score).movePointLeft(2).setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }
}
