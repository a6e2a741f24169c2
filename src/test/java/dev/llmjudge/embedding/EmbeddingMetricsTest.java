package dev.llmjudge.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmbeddingMetricsTest {

    @Test
    void semantic_similarity_is_scored_0_to_100_from_answer_and_ground_truth_by_the_embedding_model() {
        Metric metric = EmbeddingMetrics.semanticSimilarity();

        assertThat(metric.name()).isEqualTo("semantic_similarity");
        assertThat(metric.version()).isEqualTo("v1");
        assertThat(metric.minScore()).isZero();
        assertThat(metric.maxScore()).isEqualTo(100);
        assertThat(metric.rubric()).hasSize(101);
        assertThat(metric.requiredFields()).containsExactlyInAnyOrder(Field.ANSWER, Field.GROUND_TRUTH);
        assertThat(metric.model()).contains("all-minilm-l6-v2-q (embedding)");
        assertThat(metric.rubric().get(80).description()).isEqualTo("Cosine from 0.80 to below 0.81.");
        assertThat(metric.definition()).contains("not correctness");
    }

    @Test
    void only_metrics_judged_by_the_embedding_model_are_embedding_metrics() {
        assertThat(EmbeddingMetrics.isEmbeddingMetric(EmbeddingMetrics.semanticSimilarity())).isTrue();
        assertThat(EmbeddingMetrics.isEmbeddingMetric(Metrics.answerSimilarity())).isFalse();
        assertThat(EmbeddingMetrics.isEmbeddingMetric(Metrics.answerSimilarity().withModel("gpt-4.1-mini"))).isFalse();
    }

    @ParameterizedTest(name = "cosine {0} scores {1}")
    @CsvSource({
        "1.0, 100",
        "0.99999994, 100", // an identical text's cosine, a float ulp short of 1
        "0.84937, 84",
        "0.80, 80",
        "0.79996, 80", // stated as 0.8000, so it scores as 0.80
        "0.79994, 79",
        "0.0099, 0",
        "0.0, 0",
        "-0.35, 0"})
    void score_is_the_floor_of_100_times_the_cosine_rounded_to_four_decimals(double cosine, int score) {
        assertThat(EmbeddingMetrics.scoreOf(cosine)).isEqualTo(score);
    }

    @Test
    void a_nan_cosine_is_rejected_not_scored() {
        assertThatThrownBy(() -> EmbeddingMetrics.scoreOf(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the cosine similarity is NaN: the embeddings were empty or zero");
    }

    @ParameterizedTest(name = "cosine threshold {0} is score threshold {1}")
    @CsvSource({"0.8, 80", "0.80, 80", "0.29, 29", "0.57, 57", "0, 0", "1, 100", "0.05, 5"})
    void cosine_threshold_maps_to_hundredths(double minCosine, int threshold) {
        assertThat(EmbeddingMetrics.thresholdOf(minCosine)).isEqualTo(threshold);
    }

    @Test
    void a_cosine_threshold_finer_than_hundredths_is_rejected_with_the_two_nearest_choices() {
        assertThatThrownBy(() -> EmbeddingMetrics.thresholdOf(0.805))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cosine threshold 0.805 is finer than the metric's scale: semantic_similarity is scored in hundredths"
                        + " of the cosine, so use at most two decimals, e.g. 0.80 or 0.81");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.01, 80, Double.NaN})
    void a_cosine_threshold_outside_0_to_1_is_rejected(double minCosine) {
        assertThatThrownBy(() -> EmbeddingMetrics.thresholdOf(minCosine))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cosine threshold " + minCosine
                        + " is outside 0 to 1: choose how similar the answer must be, e.g. withCosineAtLeast(0.8)");
    }
}
