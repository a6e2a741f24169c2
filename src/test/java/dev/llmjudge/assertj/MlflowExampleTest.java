package dev.llmjudge.assertj;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.internal.openai.PromptRenderer;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The static-dataset example of MLflow's {@code mlflow.evaluate} documentation, judged with
 * answer_similarity. The scores come from the loopback test server, which replies by the
 * question in the prompt; no real model is involved.
 */
class MlflowExampleTest {
    static final String MLFLOW_TRUTH = "MLflow is an open-source platform for managing the end-to-end machine learning (ML) lifecycle. "
            + "It was developed by Databricks, a company that specializes in big data and machine learning solutions. MLflow is "
            + "designed to address the challenges that data scientists and machine learning engineers face when developing, "
            + "training, and deploying machine learning models.";
    static final String MLFLOW_PREDICTION = "MLflow is an open-source platform that provides handy tools to manage Machine Learning "
            + "workflow lifecycle in a simple way";
    static final String SPARK_TRUTH = "Apache Spark is an open-source, distributed computing system designed for big data processing "
            + "and analytics. It was developed in response to limitations of the Hadoop MapReduce computing model, offering "
            + "improvements in speed and ease of use. Spark provides libraries for various tasks such as data ingestion, "
            + "processing, and analysis through its components like Spark SQL for structured data, Spark Streaming for real-time "
            + "data processing, and MLlib for machine learning tasks";
    static final String SPARK_PREDICTION = "Spark is a popular open-source distributed computing system designed for big data processing "
            + "and analytics.";

    @TempDir
    Path cacheDir;

    @Test
    void should_judge_the_mlflow_static_dataset_with_answer_similarity() {
        try (OpenAiCompatibleServer server = OpenAiCompatibleServer.start()) {
            server.otherwise(request -> request.promptText().contains("provides handy tools")
                    ? Reply.verdict(3, "The prediction captures that MLflow is an open-source ML lifecycle platform but omits Databricks"
                            + " and the challenges it addresses.")
                    : Reply.verdict(4, "The prediction matches the core meaning (open-source distributed big data system) but omits"
                            + " the libraries."));
            LlmJudgeRuntime runtime = TestRuntimes.runtime(server, cacheDir);
            try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
                AnswerAssert mlflow = assertThatAnswer(MLFLOW_PREDICTION).as("What is MLflow?").isSimilarTo(MLFLOW_TRUTH).withScoreAtLeast(3);
                AnswerAssert spark = assertThatAnswer(SPARK_PREDICTION).as("What is Spark?").isSimilarTo(SPARK_TRUTH).withScoreAtLeast(3);

                assertThat(mlflow.verdict()).get().extracting(v -> v.score()).isEqualTo(3);
                assertThat(spark.verdict()).get().extracting(v -> v.score()).isEqualTo(4);
            } finally {
                runtime.close();
            }
            assertThat(server.requests()).hasSize(2).allSatisfy(r -> assertThat(r.promptText())
                    .contains(PromptRenderer.DATA_OPEN).contains("\"ground_truth\"").contains("answer_similarity"));
        }
    }
}
