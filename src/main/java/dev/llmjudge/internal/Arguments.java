package dev.llmjudge.internal;

import dev.llmjudge.metric.Metric;

/** Arguments of the public API that must not be {@code null} (or blank): refused with a message naming the call and what to pass. */
public final class Arguments {
    /**
     * What to pass instead of a {@code null} runtime: where a test gets one. A call that has a form without the runtime adds
     * it, as that form judges with the current runtime.
     */
    public static final String RUNTIME_INSTEAD = "the runtime to judge with: a test of an @LlmJudgeTest class gets it as an"
            + " LlmJudgeRuntime parameter, other code builds one with LlmJudgeRuntime.builder().config(LlmJudgeConfig.fromEnvironment()).build()";

    private Arguments() {
    }

    /**
     * {@code metric}, or an {@link IllegalArgumentException} saying that {@code call} was given none and what to pass
     * ({@code instead}). No report row is made: a row is a check of a metric, and there is none.
     *
     * <pre>{@code
     * Arguments.requireMetric(null, "judgedBy(null)", "e.g. Metrics.criterion(\"...\")");
     * // judgedBy(null): the metric is null: pass the metric to judge by, e.g. Metrics.criterion("...")
     * }</pre>
     */
    public static Metric requireMetric(Metric metric, String call, String instead) {
        return requireArgument(metric, call, "metric", "the metric to judge by, " + instead);
    }

    /**
     * {@code value}, or an {@link IllegalArgumentException} saying that the {@code what} given to {@code call} is null and
     * what to pass ({@code instead}).
     *
     * <pre>{@code
     * Arguments.requireArgument(null, "againstHumanLabels(null)", "dataset", "a file path");
     * // againstHumanLabels(null): the dataset is null: pass a file path
     * }</pre>
     */
    public static <T> T requireArgument(T value, String call, String what, String instead) {
        if (value == null) {
            throw new IllegalArgumentException(call + ": the " + what + " is null: pass " + instead);
        }
        return value;
    }

    /**
     * {@code value}, or an {@link IllegalArgumentException} saying that the {@code what} given to the method {@code method} is
     * null or blank, and what to pass ({@code instead}); the call is shown as made, a blank text as a string literal.
     *
     * <pre>{@code
     * Arguments.requireText(" ", "model", "model", "the judge model's name, e.g. \"gpt-4.1-mini\"");
     * // model(" "): the model is blank: pass the judge model's name, e.g. "gpt-4.1-mini"
     * }</pre>
     */
    public static String requireText(String value, String method, String what, String instead) {
        if (value == null || value.isBlank()) {
            String given = value == null ? "null" : "\"" + value.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"";
            throw new IllegalArgumentException(method + "(" + given + "): the " + what + " is " + (value == null ? "null" : "blank")
                    + ": pass " + instead);
        }
        return value;
    }
}
