package dev.llmjudge.judge;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.metric.Metrics;
import org.junit.jupiter.api.Test;

class JudgeRequestTest {

    @Test
    void should_reject_a_null_required_field() {
        assertThatThrownBy(() -> new JudgeRequest(Metrics.answerSimilarity(), EvaluationCase.ofAnswer("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'answer_similarity' needs the ground truth, but it is null: pass the ground truth of this case");
    }

    @Test
    void should_reject_a_blank_required_field() {
        assertThatThrownBy(() -> new JudgeRequest(Metrics.faithfulness(), EvaluationCase.ofAnswer(" \n").withContext("c")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'faithfulness' needs the answer, but it is blank: a blank answer cannot be judged");
    }

    @Test
    void should_refuse_a_null_metric_or_case_naming_the_argument_and_what_to_pass() {
        assertThatThrownBy(() -> new JudgeRequest(null, EvaluationCase.ofAnswer("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("new JudgeRequest(null, evaluationCase): the metric is null: pass the metric to judge by, e.g."
                        + " Metrics.answerSimilarity()");
        assertThatThrownBy(() -> new JudgeRequest(Metrics.answerSimilarity(), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("new JudgeRequest(metric, null): the evaluation case is null: pass the case to grade, e.g."
                        + " EvaluationCase.ofAnswer(answer).withGroundTruth(truth)");
    }
}
