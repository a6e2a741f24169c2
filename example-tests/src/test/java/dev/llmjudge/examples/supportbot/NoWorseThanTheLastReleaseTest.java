package dev.llmjudge.examples.supportbot;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;

import dev.llmjudge.junit.LlmJudgeTest;
import org.junit.jupiter.api.Test;

/**
 * "Is the new answer at least as good as the one the last release gave?", asked without any
 * absolute score: the judge compares the two answers in both orders, and the bot's answer loses
 * only when both orders prefer the old one. Without an API key and without recorded verdicts, the
 * test is skipped with the reason (llmjudge.judge.missing-key=skip).
 *
 * <p>For a whole suite, the same comparison is a gate: set {@code llmjudge.gate.pairwise-baseline=true}
 * with {@code llmjudge.report.baseline} and each class compares every case with the baseline's answer.
 */
@LlmJudgeTest
class NoWorseThanTheLastReleaseTest {
    private final SupportBot bot = SupportBot.withBundledKnowledgeBase();

    /** What the last release answered, as its report kept it. */
    private static final String LAST_RELEASE = "You can reset it from the sign-in page.";

    @Test
    void the_password_answer_is_no_worse_than_the_last_release() {
        String question = "I forgot my password, what do I do?";

        assertThatAnswer(bot.answer(question).answer())
                .comparedTo(LAST_RELEASE)
                .forQuestion(question)
                .winsOrTies();
    }
}
