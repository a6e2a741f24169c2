package dev.llmjudge.junit;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.assertj.AnswerAssert;
import dev.llmjudge.internal.Arguments;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.util.Objects;

/**
 * Judged assertions bound to the test's runtime, injected as a test parameter by
 * {@link LlmJudgeTest} / {@link LlmJudgeExtension}, e.g. for a custom metric:
 *
 * <pre>{@code
 * static final Metric CONCISENESS = Metric.builder("conciseness")
 *     .definition("Says what is needed and nothing more.")
 *     .level(1, "Mostly filler.").level(2, "Long-winded.").level(3, "Some padding.")
 *     .level(4, "Brief.").level(5, "Exactly what is needed.")
 *     .build();
 *
 * @Test
 * void answersConcisely(Judging judging) {
 *     judging.assertThatAnswer(bot.ask("Opening hours?")).judgedBy(CONCISENESS).withScoreAtLeast(4);
 *     Verdict v = judging.grade(CONCISENESS, EvaluationCase.ofAnswer(bot.ask("Do you ship abroad?")));
 * }
 * }</pre>
 */
public final class Judging {
    private final LlmJudgeRuntime runtime;

    Judging(LlmJudgeRuntime runtime) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
    }

    /** The runtime checks are judged with. */
    public LlmJudgeRuntime runtime() {
        return runtime;
    }

    /** Starts judged assertions on an answer, exactly like {@code LlmJudgeAssertions.assertThatAnswer}. */
    @CheckReturnValue
    public AnswerAssert assertThatAnswer(String answer) {
        return new AnswerAssert(answer, runtime);
    }

    /**
     * Grades a case without asserting: no check, so no report row, though what its judge call was billed counts in the report's
     * tokens and cost; throws a {@code JudgeException} without a verdict.
     */
    public Verdict grade(Metric metric, EvaluationCase evaluationCase) {
        Arguments.requireMetric(metric, "grade(null, evaluationCase)", "e.g. Metrics.criterion(\"answers in a polite tone\") or one built"
                + " with Metric.builder");
        Arguments.requireArgument(evaluationCase, "grade(metric, null)", "evaluation case", "the case to grade, e.g."
                + " EvaluationCase.ofAnswer(answer).withGroundTruth(truth)");
        return runtime.judgeOutsideChecks(new JudgeRequest(metric, evaluationCase), "graded without a check");
    }
}
