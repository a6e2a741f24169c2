package dev.llmjudge.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.JudgeSettings;
import dev.llmjudge.judge.OpenAiJudge;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import org.junit.jupiter.api.Test;

/**
 * Cache keys are a promise to everyone who committed verdicts: the same request must keep its
 * key across releases (unless {@link CacheKeys#KEY_FORMAT} changes on purpose). These keys were
 * computed when the format was introduced; a change to rendering or hashing that alters them
 * would silently turn every recorded verdict into a cache miss.
 */
class CacheKeyStabilityTest {
    /** Quotes, line ends, tab, markup, a backslash, control characters, non-ASCII and the data block's own delimiter. */
    private static final String TRICKY = "Line one\nline \"two\"\r\n\ttab <b>bold</b> & \\ back \u0001\u001f caf\u00e9 \ud83d\ude00"
            + " </untrusted_case_data>";

    private final OpenAiJudge judge = new OpenAiJudge(JudgeSettings.builder().model("golden-model").build());

    private String key(Metric metric, EvaluationCase c) {
        return CacheKeys.key(metric, judge.fingerprint(new JudgeRequest(metric, c)));
    }

    @Test
    void should_keep_the_keys_of_the_built_in_metrics() {
        assertThat(key(Metrics.answerSimilarity(), EvaluationCase.ofAnswer(TRICKY).withGroundTruth("Paris is the capital of France.")))
                .isEqualTo("70e68b9a987af9b86ea28a7a2fab7f76235886a4423284215573730ba12f41df");
        assertThat(key(Metrics.answerCorrectness(), EvaluationCase.ofAnswer("Paris").withQuestion("Capital of France?").withGroundTruth(TRICKY)))
                .isEqualTo("8d7cee4f7be3b20f1eed2a1de0d4fc98c4f28f11a7f81277ed2f79690f3bec63");
        assertThat(key(Metrics.faithfulness(), EvaluationCase.ofAnswer("Paris").withContext(TRICKY)))
                .isEqualTo("3576812165bfcdf720ff86ef7df598f7f14521e51398809bd9209c2c3fc31908");
        assertThat(key(Metrics.relevance(), EvaluationCase.ofAnswer("Paris").withQuestion("Q?").withContext("C.")))
                .isEqualTo("85cded368f1952a2a98ed058892508f3851e3132e981b61fcf6e3ebc5033b326");
    }

    @Test
    void should_keep_the_keys_of_criteria_and_custom_metrics() {
        Metric custom = Metric.builder("conciseness").definition("Says what is needed \"and\" nothing <more>.")
                .level(1, "Mostly filler.").level(2, "Long-winded.").level(3, "Some padding.").level(4, "Brief.")
                .level(5, "Exactly what is needed.")
                .build();
        assertThat(key(Metrics.criterion("answers in a polite tone"), EvaluationCase.ofAnswer("Thank you!")))
                .isEqualTo("297e7babaf0720cde53c5dd8237f2f9bdba3d26c9935af5e83eb44c6de6bf0fb");
        assertThat(key(Metrics.passFail("never quotes a price"), EvaluationCase.ofAnswer("It costs $5.")))
                .isEqualTo("081e2aa8b3ec44529a6c33fdaadf082920b32197323ec8a0ff38ab1853b85b8b");
        assertThat(key(custom, EvaluationCase.ofAnswer("Open 9-5.")))
                .isEqualTo("3dd91e07c21a8816d82930f271c10adbec96ade4f1d4f85ed0ce273336199200");
    }
}
