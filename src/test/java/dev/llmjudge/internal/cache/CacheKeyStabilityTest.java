package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.testsupport.TestRuntimes;
import dev.llmjudge.internal.openai.OpenAiJudge;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import org.junit.jupiter.api.Test;

/**
 * Cache keys are a promise to everyone who committed verdicts: the same request must keep its
 * key across releases (unless {@link CacheKeys#KEY_FORMAT} changes on purpose, and then the former
 * format's key must still be computed exactly, so that verdicts recorded under it are found).
 * The format 3 keys were computed when format 3 was introduced, the format 4 keys when format 4
 * was; a change to rendering or hashing that alters them would silently turn every recorded
 * verdict into a cache miss.
 */
class CacheKeyStabilityTest {
    /** Quotes, line ends, tab, markup, a backslash, control characters, non-ASCII and the data block's own delimiter. */
    private static final String TRICKY = "Line one\nline \"two\"\r\n\ttab <b>bold</b> & \\ back \u0001\u001f caf\u00e9 \ud83d\ude00"
            + " </untrusted_case_data>";

    private final OpenAiJudge judge = new OpenAiJudge(TestRuntimes.judge("golden-model"), null);

    private String key(Metric metric, EvaluationCase c) {
        return new CacheKeys().key(metric, judge.fingerprint(new JudgeRequest(metric, c)));
    }

    /** The key format 3 gave: what verdicts recorded before format 4 are named, and are still found by. */
    private String formerKey(Metric metric, EvaluationCase c) {
        return new CacheKeys().formerKey(metric, judge.fingerprint(new JudgeRequest(metric, c)));
    }

    @Test
    void should_keep_the_format_3_keys_of_the_built_in_metrics() {
        assertThat(formerKey(Metrics.answerSimilarity(), EvaluationCase.ofAnswer(TRICKY).withGroundTruth("Paris is the capital of France.")))
                .isEqualTo("c1e8fc31cec788b5aa893bc7370c2a6d4cfa9af4ffda47991e3a61ac7710ff15");
        assertThat(formerKey(Metrics.answerCorrectness(), EvaluationCase.ofAnswer("Paris").withQuestion("Capital of France?").withGroundTruth(TRICKY)))
                .isEqualTo("3430d9aca3deee79a7aa6623c41abfc7c03a015ce3e3f80751ac18ef67f35a44");
        assertThat(formerKey(Metrics.faithfulness(), EvaluationCase.ofAnswer("Paris").withContext(TRICKY)))
                .isEqualTo("0d143ec040f057d526cc3f67c8a52899cdd754da43ae7674bc78a288c85eccd3");
        assertThat(formerKey(Metrics.relevance(), EvaluationCase.ofAnswer("Paris").withQuestion("Q?").withContext("C.")))
                .isEqualTo("a40e918d0cd23ada0fecc3e223c7718c43d3f1d11e23fa79e55ed1df4e5da865");
    }

    @Test
    void should_keep_the_format_3_keys_of_criteria_and_custom_metrics() {
        Metric custom = Metric.builder("conciseness").definition("Says what is needed \"and\" nothing <more>.")
                .level(1, "Mostly filler.").level(2, "Long-winded.").level(3, "Some padding.").level(4, "Brief.")
                .level(5, "Exactly what is needed.")
                .build();
        assertThat(formerKey(Metrics.criterion("answers in a polite tone"), EvaluationCase.ofAnswer("Thank you!")))
                .isEqualTo("c9589c5e0c281910cc0d7f1176ba888f96de5f032e420d578a9fb79470e8eac8");
        assertThat(formerKey(Metrics.passFail("never quotes a price"), EvaluationCase.ofAnswer("It costs $5.")))
                .isEqualTo("f57681587d41cf61d9ed69912cb01740795b176daaf4a5cd4222bd41f4f6c488");
        assertThat(formerKey(custom, EvaluationCase.ofAnswer("Open 9-5.")))
                .isEqualTo("99061729425a13a929cc3ab1729978fd1006e9d13042e8de4d77a975eef31758");
    }

    @Test
    void should_keep_the_format_4_keys() {
        Metric custom = Metric.builder("conciseness").definition("Says what is needed \"and\" nothing <more>.")
                .level(1, "Mostly filler.").level(2, "Long-winded.").level(3, "Some padding.").level(4, "Brief.")
                .level(5, "Exactly what is needed.")
                .build();
        assertThat(key(Metrics.answerSimilarity(), EvaluationCase.ofAnswer(TRICKY).withGroundTruth("Paris is the capital of France.")))
                .isEqualTo("a5a99b9c201b81443969b7df46decdb0dbe44faba7f9c61b3e482f5702036784");
        assertThat(key(Metrics.answerCorrectness(), EvaluationCase.ofAnswer("Paris").withQuestion("Capital of France?").withGroundTruth(TRICKY)))
                .isEqualTo("af3f02ffc33f8ba4908a55f752e1d344049c193415aac1907d219131fb8dbca0");
        assertThat(key(Metrics.faithfulness(), EvaluationCase.ofAnswer("Paris").withContext(TRICKY)))
                .isEqualTo("b70ea5e2bafbfca92218f36973a35cea65366fae4eb6733f8b71db9c5ec3da7c");
        assertThat(key(Metrics.relevance(), EvaluationCase.ofAnswer("Paris").withQuestion("Q?").withContext("C.")))
                .isEqualTo("de11da117c863354fc32dd6944e030534b679f7dc02a53c847856a956a769358");
        assertThat(key(Metrics.criterion("answers in a polite tone"), EvaluationCase.ofAnswer("Thank you!")))
                .isEqualTo("9f3bf9ba84eb06774b1cac81ea54cb813d0bd0249aeace4273da8a43b0cdeb31");
        assertThat(key(Metrics.passFail("never quotes a price"), EvaluationCase.ofAnswer("It costs $5.")))
                .isEqualTo("4e39156bd717ea49da3a4166b2ba0c7a6cc14e3e9fa009807dac8b79b353818c");
        assertThat(key(custom, EvaluationCase.ofAnswer("Open 9-5.")))
                .isEqualTo("4eb97ab74ecb9615fecb97333253ddf4f7218ccec8a8de029cd745f421410f99");
    }
}
