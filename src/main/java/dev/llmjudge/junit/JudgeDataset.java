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
 * <p>The file is looked up on the test class path first ({@code src/test/resources/datasets/support.jsonl}),
 * then as a file path relative to the working directory. Two formats, told apart by the file
 * name ({@code .jsonl}/{@code .ndjson} or {@code .csv}) unless {@link #format()} says:
 * <ul>
 *   <li>JSONL: one JSON object per line, e.g.
 *       {@code {"id": "q1", "question": "What is MLflow?", "ground_truth": "...", "answer": "..."}};
 *       blank lines are skipped.</li>
 *   <li>CSV (RFC 4180): a header row naming the columns; quoted cells may hold commas, quotes
 *       ({@code ""}) and line breaks.</li>
 * </ul>
 * Columns: {@code question} (or MLflow's {@code inputs}), {@code ground_truth}, {@code answer}
 * (or MLflow's {@code prediction}, {@code predictions}), and the optional {@code context} and {@code id}; other
 * columns are ignored. UTF-8, with or without a byte order mark; LF or CRLF line ends.
 *
 * <p>A bad row fails its own invocation, named after the problem ({@code line 7: missing "ground_truth"}),
 * with a {@link DatasetException} naming the file, line and column:
 * {@code datasets/support.jsonl:7:1: missing "ground_truth"}; the test method is not called for it, and
 * the other rows run as usual. Bad rows are a JSONL line that is not one JSON object, or whose required
 * field is missing, blank or not a string, and a CSV row with too few or too many values or a blank
 * required cell. A CSV quote that breaks the file (never closed, or followed by anything but a comma or
 * a line end) leaves no way to tell where the next row starts, so its row is the last invocation: a
 * quote never closed holds the rest of the file in its value, and after any other break the message
 * adds which lines are not run. A file that cannot be found or decoded, a CSV header that lacks a
 * required column, and a file with no rows fail the whole parameterized test: there is no row to run.
 * With {@link #prefetch()}, only the rows that could be read are judged ahead.
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

    /**
     * The columns every row must have, not blank. By default question, ground truth and
     * answer (an accepted alias such as {@code prediction} names the same column); a faithfulness
     * dataset might need {@code {"question", "answer", "context"}}.
     */
    String[] required() default {"question", "ground_truth", "answer"};

    /**
     * Built-in metrics to judge every row on ahead of the test invocations, e.g.
     * {@code prefetch = "answer_similarity"}. When the invocations are given their rows, the
     * verdicts of all rows are requested at once, at most {@code llmjudge.judge.max-concurrency}
     * at a time (4 when no cap is set), so a plain sequential run judges at the pace of the
     * network rather than one row after another. An invocation whose check grades its row's
     * own fields on that metric takes the row's verdict (or judge error), waiting for it if it
     * is still under way; any other check judges as usual. Recorded verdicts and
     * {@code llmjudge.cache.mode=replay} start nothing. Default: none.
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
