package example;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.junit.LlmJudgeTest;
import org.junit.jupiter.api.Test;

/** One plain test and one judged check, which is skipped for want of an API key (the fixture runs with none). */
@LlmJudgeTest
class SupportBotTest {
    @Test
    void answers_at_all() {
        assertThat("Refunds are possible within 30 days.").isNotBlank();
    }

    @Test
    void explains_the_refund_policy() {
        assertThatAnswer("Refunds are possible within 30 days.")
                .isSimilarTo("Refunds are possible within 30 days of delivery only.").withScoreAtLeast(4);
    }
}
