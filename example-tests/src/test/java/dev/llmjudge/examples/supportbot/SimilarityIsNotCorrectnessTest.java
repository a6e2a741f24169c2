package dev.llmjudge.examples.supportbot;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.assertj.AnswerAssert;
import dev.llmjudge.junit.LlmJudgeTest;
import org.junit.jupiter.api.Test;

/**
 * Similarity is not correctness. An embedding model sees that two sentences are about the same
 * thing in nearly the same words; it does not see that one of them is wrong. Use semantic
 * similarity to notice an answer drifting away from the reference, and a judged metric such as
 * {@code answer_correctness} to check the facts.
 */
@LlmJudgeTest
class SimilarityIsNotCorrectnessTest {

    @Test
    void a_wrong_sum_is_semantically_similar_to_the_right_one() {
        // This check PASSES: the cosine of "... 5" and "... 4" is about 0.85.
        assertThatAnswer("2 plus 2 equals 5")
                .isSemanticallySimilarTo("2 plus 2 equals 4")
                .withCosineAtLeast(0.80);
    }

    @Test
    void a_wrong_return_window_is_semantically_similar_to_the_right_one() {
        // A regression that doubles the return window would sail through a similarity check.
        assertThatAnswer("Items can be returned within 60 days of delivery for a full refund.")
                .isSemanticallySimilarTo("Items can be returned within 30 days of delivery for a full refund.")
                .withCosineAtLeast(0.90);
    }

    @Test
    void the_correctness_judge_catches_the_wrong_sum() {
        // withScoreAtLeast(1) always holds; what matters is the score the judge gave.
        AnswerAssert check = assertThatAnswer("2 plus 2 equals 5")
                .isCorrectAnswerTo("What is 2 plus 2?", "2 plus 2 equals 4")
                .withScoreAtLeast(1);

        assertThat(check.verdict().orElseThrow().score()).as("answer_correctness of a wrong sum").isLessThanOrEqualTo(2);
    }
}
