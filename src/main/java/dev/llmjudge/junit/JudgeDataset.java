package dev.llmjudge.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Feeds a {@code @ParameterizedTest} with the rows of an evaluation dataset, one
 * {@link DatasetRow} per invocation, named by its question (shortened).
 *
 * <pre>{@code
 * @ParameterizedTest
 * @JudgeDataset("datasets/support.jsonl")
 * void answersLikeTheReference(DatasetRow row) {
 *     assertThatAnswer(row.answer()).isSimilarTo(row.groundTruth()).withScoreAtLeast(4);
 * }
 * }</pre>
 *
 * <p>The file is looked up on the test class path, then relative to the working directory. JSONL
 * (one object per line) or CSV (RFC 4180, with a header row), by the file name unless
 * {@link #format()} says, in UTF-8. Columns: {@code question} (or MLflow's {@code inputs}),
 * {@code ground_truth}, {@code answer} (or MLflow's {@code prediction}, {@code predictions}), and the
 * optional {@code context} and {@code id}; other columns are ignored.
 *
 * <p>A bad row fails its own invocation with a {@link DatasetException} naming the file, line and
 * column ({@code datasets/support.jsonl:7:1: missing "ground_truth"}), and the other rows run; a CSV
 * quote that breaks the file makes its row the last. A file that cannot be read, a CSV header
 * without a required column, or no row at all fails the whole parameterized test.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ArgumentsSource(JudgeDatasetProvider.class)
@ExtendWith(BadRowInterceptor.class)
public @interface JudgeDataset {
    /** The dataset: a class path resource ({@code "datasets/support.jsonl"}) or a file path. */
    String value();

    /** The format; {@link Format#AUTO} (the default) tells it from the file name. */
    Format format() default Format.AUTO;

    /** The columns every row must have, not blank (an alias such as {@code prediction} names its column). */
    String[] required() default {"question", "ground_truth", "answer"};

    /**
     * Built-in metrics to judge every row on ahead of the invocations, at most
     * {@code llmjudge.judge.max-concurrency} at a time (4 without a cap), so a sequential run judges
     * at the network's pace. A check that grades its row's own fields on that metric takes the
     * row's verdict (or error); recorded verdicts and replay mode start nothing. Default: none.
     *
     * <pre>{@code
     * @ParameterizedTest
     * @JudgeDataset(value = "datasets/support.jsonl", prefetch = "answer_similarity")
     * void answersLikeTheReference(DatasetRow row) {
     *     assertThatAnswer(row.answer()).isSimilarTo(row.groundTruth()).withScoreAtLeast(4);
     * }
     * }</pre>
     */
    String[] prefetch() default {};

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
