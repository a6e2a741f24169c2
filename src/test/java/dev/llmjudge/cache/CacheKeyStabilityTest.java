package dev.llmjudge.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.testsupport.TestRuntimes;
import dev.llmjudge.judge.OpenAiJudge;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import org.junit.jupiter.api.Test;

/**
 * Cache keys are a promise to everyone who committed verdicts: the same request must keep its
 * key across releases (unless {@link CacheKeys#KEY_FORMAT} changes on purpose). These keys were
 * computed when format 3 was introduced; a change to rendering or hashing that alters them
 * would silently turn every recorded verdict into a cache miss.
 */
class CacheKeyStabilityTest {
    /** Quotes, line ends, tab, markup, a backslash, control characters, non-ASCII and the data block's own delimiter. */
    private static final String TRICKY = "Line one\nline \"two\"\r\n\ttab <b>bold</b> & \\ back \u0001\u001f caf\u00e9 \ud83d\ude00"
            + " </untrusted_case_data>";

    private final OpenAiJudge judge = new OpenAiJudge(TestRuntimes.judge("golden-model"), null);

    private String key(Metric metric, EvaluationCase c) {
        return CacheKeys.key(metric, judge.fingerprint(new JudgeRequest(metric, c)));
    }

    @Test
    void should_keep_the_keys_of_the_built_in_metrics() {
        assertThat(key(Metrics.answerSimilarity(), EvaluationCase.ofAnswer(TRICKY).withGroundTruth("Paris is the capital of France.")))
                .isEqualTo("c1e8fc31cec788b5aa893bc7370c2a6d4cfa9af4ffda47991e3a61ac7710ff15");
        // Again right after a request of the same shape, whose repeated parts the key derivation remembers.
        assertThat(key(Metrics.answerSimilarity(), EvaluationCase.ofAnswer(TRICKY).withGroundTruth("Paris is the capital of France.")))
                .isEqualTo("c1e8fc31cec788b5aa893bc7370c2a6d4cfa9af4ffda47991e3a61ac7710ff15");
        assertThat(key(Metrics.answerCorrectness(), EvaluationCase.ofAnswer("Paris").withQuestion("Capital of France?").withGroundTruth(TRICKY)))
                .isEqualTo("3430d9aca3deee79a7aa6623c41abfc7c03a015ce3e3f80751ac18ef67f35a44");
        assertThat(key(Metrics.faithfulness(), EvaluationCase.ofAnswer("Paris").withContext(TRICKY)))
                .isEqualTo("0d143ec040f057d526cc3f67c8a52899cdd754da43ae7674bc78a288c85eccd3");
        assertThat(key(Metrics.relevance(), EvaluationCase.ofAnswer("Paris").withQuestion("Q?").withContext("C.")))
                .isEqualTo("a40e918d0cd23ada0fecc3e223c7718c43d3f1d11e23fa79e55ed1df4e5da865");
    }

    @Test
    void should_keep_the_keys_of_criteria_and_custom_metrics() {
        Metric custom = Metric.builder("conciseness").definition("Says what is needed \"and\" nothing <more>.")
                .level(1, "Mostly filler.").level(2, "Long-winded.").level(3, "Some padding.").level(4, "Brief.")
                .level(5, "Exactly what is needed.")
                .build();
        assertThat(key(Metrics.criterion("answers in a polite tone"), EvaluationCase.ofAnswer("Thank you!")))
                .isEqualTo("c9589c5e0c281910cc0d7f1176ba888f96de5f032e420d578a9fb79470e8eac8");
        assertThat(key(Metrics.passFail("never quotes a price"), EvaluationCase.ofAnswer("It costs $5.")))
                .isEqualTo("f57681587d41cf61d9ed69912cb01740795b176daaf4a5cd4222bd41f4f6c488");
        assertThat(key(custom, EvaluationCase.ofAnswer("Open 9-5.")))
                .isEqualTo("99061729425a13a929cc3ab1729978fd1006e9d13042e8de4d77a975eef31758");
    }
}
