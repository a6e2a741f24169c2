package dev.llmjudge.assertj;

import com.google.errorprone.annotations.CheckReturnValue;
import org.assertj.core.api.AbstractSoftAssertions;
import org.assertj.core.api.SoftAssertionsProvider;

/**
 * Soft assertions for judged checks: every check runs, and the failures are reported together.
 * Judge errors are not collected: they stop the test, as they must.
 *
 * <pre>{@code
 * JudgedSoftAssertions softly = new JudgedSoftAssertions();
 * softly.assertThatAnswer(a1).isSimilarTo(t1).withScoreAtLeast(4);
 * softly.assertThatAnswer(a2).isSimilarTo(t2).withScoreAtLeast(4);
 * softly.assertAll();
 * }</pre>
 *
 * It also works with AssertJ's {@code SoftAssertionsExtension} as an injected parameter.
 */
public class JudgedSoftAssertions extends AbstractSoftAssertions implements SoftAssertionsProvider {

    /** Starts soft assertions on an answer: a check below its threshold is collected, not thrown. */
    @CheckReturnValue
    public AnswerAssert assertThatAnswer(String answer) {
        AnswerAssert softly = proxy(AnswerAssert.class, String.class, answer);
        softly.collectFailuresInto(this);
        return softly;
    }
}
