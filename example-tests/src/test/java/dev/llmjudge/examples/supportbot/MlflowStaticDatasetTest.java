package dev.llmjudge.examples.supportbot;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;

import dev.llmjudge.junit.DatasetRow;
import dev.llmjudge.junit.JudgeDataset;
import dev.llmjudge.junit.LlmJudgeTest;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * MLflow's static-dataset evaluation ({@code mlflow.evaluate(data=eval_data, targets="ground_truth",
 * predictions="predictions", extra_metrics=[answer_similarity()])}) as parameterized tests: no
 * model under test, only the questions, ground truths and predictions of MLflow's documentation,
 * one row per line of {@code src/test/resources/datasets/mlflow-static.jsonl}.
 */
@LlmJudgeTest
class MlflowStaticDatasetTest {
    @ParameterizedTest
    @JudgeDataset("datasets/mlflow-static.jsonl")
    void predictions_mean_what_the_ground_truth_means(DatasetRow row) {
        assertThatAnswer(row.answer()).isSimilarTo(row.groundTruth()).withScoreAtLeast(3);
    }

    @ParameterizedTest
    @JudgeDataset("datasets/mlflow-static.jsonl")
    void predictions_stay_close_to_the_ground_truth_offline(DatasetRow row) {
        assertThatAnswer(row.answer()).isSemanticallySimilarTo(row.groundTruth()).withCosineAtLeast(0.80);
    }
}
