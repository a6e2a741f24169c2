package dev.llmjudge.junit;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.internal.Arguments;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.runtime.LlmJudgeRuntime;

/**
 * Checks of the judge of one metric. {@link #againstHumanLabels} judges every row of a labelled
 * dataset and hands back its figures to bound:
 *
 * <pre>{@code
 * assertThatJudge(Metrics.answerSimilarity())
 *     .againstHumanLabels("datasets/golden-similarity.jsonl")
 *     .hasWeightedKappaAtLeast(0.6);
 * }</pre>
 */
public class JudgeAssert {
    /** What to pass instead of a {@code null} metric. */
    static final String METRIC_INSTEAD = "e.g. Metrics.answerSimilarity() or one built with Metric.builder";

    private final Metric metric;
    private final LlmJudgeRuntime runtime;

    /**
     * Checks of the judge of {@code metric}, judging with the current runtime.
     *
     * @throws IllegalArgumentException for a {@code null} metric
     */
    public JudgeAssert(Metric metric) {
        this(metric, LlmJudgeRuntime.current());
    }

    /**
     * Checks of the judge of {@code metric}, judging with {@code runtime} whatever thread they run on.
     *
     * @throws IllegalArgumentException for a {@code null} metric or runtime
     */
    public JudgeAssert(Metric metric, LlmJudgeRuntime runtime) {
        this.metric = Arguments.requireMetric(metric, "new JudgeAssert(null)", METRIC_INSTEAD);
        this.runtime = Arguments.requireArgument(runtime, "new JudgeAssert(metric, null)", "runtime",
                Arguments.RUNTIME_INSTEAD + "; or leave it out, new JudgeAssert(metric), to judge with the current one");
    }

    /**
     * Judges every row of a labelled dataset (through the verdict cache, like any check: a rerun
     * replays) and computes how well the judge agrees with the people's scores. The dataset has the
     * usual columns the metric reads plus {@code human_score}: in JSONL a whole number or an array of
     * them ({@code "human_score": [4, 5]}), in CSV one cell, several scores separated by {@code |}
     * ({@code 4|5}). Each row's human score is the median of its scores (of an even number, the
     * lower middle one). State a bound next; without one, nothing is checked.
     *
     * @param dataset a class path resource ({@code "datasets/golden.jsonl"}) or a file path; JSONL or CSV by its name
     * @throws IllegalArgumentException for a {@code null} dataset
     * @throws DatasetException naming file, line and column of every bad row (a missing or out-of-rubric human score,
     *     a missing field the metric reads)
     * @throws JudgeException when the judge gave no verdict on some rows, naming them; no figure is computed
     */
    @CheckReturnValue
    public CalibrationAssert againstHumanLabels(String dataset) {
        return againstHumanLabels(dataset, JudgeDataset.Format.AUTO);
    }

    /**
     * {@link #againstHumanLabels(String)} with the format given rather than told from the file name.
     *
     * @throws IllegalArgumentException for a {@code null} dataset or format
     */
    @CheckReturnValue
    public CalibrationAssert againstHumanLabels(String dataset, JudgeDataset.Format format) {
        Arguments.requireArgument(dataset, "againstHumanLabels(null)", "dataset",
                "a class path resource such as \"datasets/golden.jsonl\" or a file path");
        Arguments.requireArgument(format, "againstHumanLabels(dataset, null)", "format",
                "JudgeDataset.Format.AUTO to tell it from the file name, or JSONL or CSV");
        return HumanLabelCalibration.run(metric, runtime, dataset, format);
    }
}
