package dev.llmjudge.junit;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.metric.Metrics;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * MLflow's static-dataset evaluation (the {@code mlflow.evaluate} example with {@code answer_similarity}):
 * no model under test, only ground truths and predictions, read with MLflow's column names.
 */
@QualityGate(metric = "answer_similarity", minMean = 3.5, minPassRate = 1.0)
class MlflowStaticDatasetTest {
    static final OpenAiCompatibleServer JUDGE = OpenAiCompatibleServer.start().otherwise(request -> request.promptText().contains("handy tools")
            ? Reply.verdict(4, "The prediction names MLflow as an open-source platform for the ML lifecycle but leaves out its origin.")
            : Reply.verdict(4, "The prediction matches the core of the ground truth but omits Spark's libraries."));

    @RegisterExtension
    static final LlmJudgeExtension EXTENSION = LlmJudgeExtension.newInstance()
            .baseUrl(JUDGE.baseUrl())
            .apiKey("test-key-not-secret")
            .model("judge-test-model")
            .cacheDirectory(tempDirectory())
            .build();

    @ParameterizedTest(name = "{0}")
    @JudgeDataset("datasets/mlflow-static.csv")
    void predictionsAreSimilarToTheGroundTruth(DatasetRow row) {
        assertThatAnswer(row.answer()).isSimilarTo(row.groundTruth()).withScoreAtLeast(3);
        assertThat(JUDGE.requests()).anySatisfy(r -> assertThat(r.promptText()).contains(row.answer()).contains(row.groundTruth()));
    }

    @ParameterizedTest(name = "{0}")
    @JudgeDataset("datasets/mlflow-static.jsonl")
    void theJsonlCopyReadsTheSame(DatasetRow row) {
        row.assertThatAnswer().judgedBy(Metrics.answerSimilarity()).withScoreAtLeast(3);
    }

    @AfterAll
    static void stopJudge() {
        JUDGE.close();
    }

    private static Path tempDirectory() {
        try {
            return Files.createTempDirectory("mlflow-static-verdicts");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
