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
}
