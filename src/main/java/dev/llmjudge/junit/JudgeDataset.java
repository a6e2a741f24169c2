package dev.llmjudge.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Feeds a {@code @ParameterizedTest} with the rows of an evaluation dataset, one
 * {@link DatasetRow} per invocation, named by its question (shortened).
 *
 * <pre>{@code
 * @ParameterizedTest
 * @JudgeDataset("datasets/support.jsonl")
 * void answersLikeTheReference(DatasetRow row) {
 *     assertThatAnswer(row.prediction()).isSimilarTo(row.groundTruth()).withScoreAtLeast(4);
 * }
 * }</pre>
 *
 * <p>The file is looked up on the test class path first ({@code src/test/resources/datasets/support.jsonl}),
 * then as a file path relative to the working directory. Two formats, told apart by the file
 * name ({@code .jsonl}/{@code .ndjson} or {@code .csv}) unless {@link #format()} says:
 * <ul>
 *   <li>JSONL: one JSON object per line, e.g.
 *       {@code {"id": "q1", "question": "What is MLflow?", "ground_truth": "...", "prediction": "..."}};
 *       blank lines are skipped.</li>
 *   <li>CSV (RFC 4180): a header row naming the columns; quoted cells may hold commas, quotes
 *       ({@code ""}) and line breaks.</li>
 * </ul>
 * Columns: {@code question} (or MLflow's {@code inputs}), {@code ground_truth}, {@code prediction}
 * (or {@code predictions}, {@code answer}), and the optional {@code context} and {@code id}; other
 * columns are ignored. UTF-8, with or without a byte order mark; LF or CRLF line ends. A bad row
 * fails the test with the file, line and column: {@code datasets/support.jsonl:7:1: missing "ground_truth"}.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ArgumentsSource(JudgeDatasetProvider.class)
public @interface JudgeDataset {
    /** The dataset: a class path resource ({@code "datasets/support.jsonl"}) or a file path. */
    String value();

    /** The format; {@link Format#AUTO} (the default) tells it from the file name. */
    Format format() default Format.AUTO;

    /**
     * The columns every row must have, not blank. By default question, ground truth and
     * prediction; a faithfulness dataset might need {@code {"question", "prediction", "context"}}.
     */
    String[] required() default {"question", "ground_truth", "prediction"};

    /** Dataset file formats. */
    enum Format {
        /** From the file name: {@code .jsonl} or {@code .ndjson} is JSONL, {@code .csv} is CSV. */
        AUTO,
        /** One JSON object per line. */
        JSONL,
        /** Comma-separated values with a header row (RFC 4180). */
        CSV
    }
}
