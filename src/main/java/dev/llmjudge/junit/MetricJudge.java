package dev.llmjudge.junit;

import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.assertj.ScoreExpectation;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;

/**
 * One metric, ready to check answers: obtained from {@link Judging#metric(Metric)}.
 *
 * <pre>{@code
 * MetricJudge tone = judging.metric(Metrics.criterion("answers in a polite tone"));
 * tone.assertThat(reply).withScoreAtLeast(4);
 * tone.assertThat(EvaluationCase.ofAnswer(reply).withQuestion(question)).withScoreAtLeast(4);
 * }</pre>
 */
public final class MetricJudge {
    private final Metric metric;
    private final Judging judging;

    MetricJudge(Metric metric, Judging judging) {
        this.metric = metric;
        this.judging = judging;
    }

    public Metric metric() {
        return metric;
    }

    /** Starts the check of an answer on this metric; state the threshold next ({@code withScoreAtLeast(n)} or {@code passes()}). */
    @CheckReturnValue
    public ScoreExpectation assertThat(String answer) {
        return judging.assertThatAnswer(answer).judgedBy(metric);
    }

    /** Starts the check of a whole case (question, answer, ground truth, context) on this metric. */
    @CheckReturnValue
    public ScoreExpectation assertThat(EvaluationCase evaluationCase) {
        return judging.assertThatAnswer(evaluationCase.answer()).withQuestion(evaluationCase.question())
                .withGroundTruth(evaluationCase.groundTruth()).withContext(evaluationCase.context()).judgedBy(metric);
    }

    /** Grades a case without asserting (see {@link Judging#grade}). */
    public Verdict grade(EvaluationCase evaluationCase) {
        return judging.grade(metric, evaluationCase);
    }
}
