package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.testsupport.TestRuntimes;
import java.util.HashMap;
import java.util.Map;
import dev.llmjudge.internal.openai.OpenAiJudge;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a cache key depends on, and what it does not. */
class CacheKeysTest {
    private static final EvaluationCase CASE = EvaluationCase.ofAnswer("Paris.").withGroundTruth("Paris is the capital of France.");
    private static final Map<String, String> SETTINGS = Map.of(LlmJudgeConfig.JUDGE_MODEL, "model-a");

    private static String key(Map<String, String> settings, Metric metric, EvaluationCase c) {
        return key(settings, null, metric, c);
    }

    private static String key(Map<String, String> settings, String apiKey, Metric metric, EvaluationCase c) {
        return new CacheKeys().key(metric, new OpenAiJudge(TestRuntimes.judge(settings), apiKey).fingerprint(new JudgeRequest(metric, c)));
    }

    /** The settings with one more value. */
    private static Map<String, String> and(String key, String value) {
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.put(key, value);
        return settings;
    }

    private static Metric metric(String definition, String version) {
        return Metric.builder("tone").version(version).definition(definition)
                .level(1, "Rude.").level(2, "Curt.").level(3, "Neutral.").level(4, "Polite.").level(5, "Warm.").build();
    }

    @Test
    void should_change_with_everything_that_can_change_a_verdict() {
        String base = key(SETTINGS, Metrics.answerSimilarity(), CASE);
        assertThat(List.of(
                key(and(LlmJudgeConfig.JUDGE_MODEL, "model-b"), Metrics.answerSimilarity(), CASE),
                key(and(LlmJudgeConfig.JUDGE_TEMPERATURE, "0.5"), Metrics.answerSimilarity(), CASE),
                key(and(LlmJudgeConfig.JUDGE_SEED, "7"), Metrics.answerSimilarity(), CASE),
                key(and(LlmJudgeConfig.JUDGE_MAX_TOKENS, "99"), Metrics.answerSimilarity(), CASE),
                key(SETTINGS, Metrics.answerCorrectness(), CASE.withQuestion("Capital of France?")),
                key(SETTINGS, Metrics.answerSimilarity(), CASE.withGroundTruth("Lyon is the capital of France.")),
                key(SETTINGS, Metrics.answerSimilarity(), EvaluationCase.ofAnswer("Lyon.").withGroundTruth("Paris is the capital of France."))))
                .doesNotContain(base)
                .doesNotHaveDuplicates();
        assertThat(key(SETTINGS, metric("Is it polite?", "1"), CASE))
                .isNotEqualTo(key(SETTINGS, metric("Is it polite?", "2"), CASE))
                .isNotEqualTo(key(SETTINGS, metric("Is it kind?", "1"), CASE));
    }

    @Test
    void should_not_change_with_endpoint_secrets_or_timeouts() {
        String base = key(SETTINGS, Metrics.answerSimilarity(), CASE);
        Map<String, String> elsewhere = new HashMap<>(SETTINGS);
        elsewhere.put(LlmJudgeConfig.JUDGE_BASE_URL, "http://127.0.0.1:9/v1");
        elsewhere.put(LlmJudgeConfig.JUDGE_TIMEOUT, "3s");
        elsewhere.put(LlmJudgeConfig.JUDGE_MAX_ATTEMPTS, "1");
        assertThat(key(elsewhere, "sk-not-in-any-key-0123456789", Metrics.answerSimilarity(), CASE)).isEqualTo(base);
    }

    @Test
    void should_give_equal_metrics_made_apart_the_same_key() {
        EvaluationCase answer = EvaluationCase.ofAnswer("Thank you!");
        String first = key(SETTINGS, Metrics.passFail("answers politely"), answer);
        key(SETTINGS, Metrics.passFail("answers briefly"), answer);
        String again = key(SETTINGS, Metrics.passFail("answers politely"), answer);

        assertThat(again).isEqualTo(first);
        assertThat(key(SETTINGS, Metrics.passFail("answers briefly"), answer)).isNotEqualTo(first);
    }

    @Test
    void should_tell_apart_fingerprints_that_differ_only_in_their_first_message() {
        Metric metric = Metrics.answerSimilarity();
        Map<String, Object> parameters = Map.of("temperature", 0.0);
        String a = new CacheKeys().key(metric, new JudgeFingerprint("m", parameters, List.of("instructions A", "case")));
        String b = new CacheKeys().key(metric, new JudgeFingerprint("m", parameters, List.of("instructions B", "case")));
        String single = new CacheKeys().key(metric, new JudgeFingerprint("m", parameters, List.of("case")));
        assertThat(List.of(a, b, single)).doesNotHaveDuplicates();
        assertThat(new CacheKeys().key(metric, new JudgeFingerprint("m", parameters, List.of("instructions A", "case")))).isEqualTo(a);
    }

    @Test
    void should_give_the_keys_of_fresh_instances_when_one_instance_has_seen_the_metric_before() {
        Metric similarity = Metrics.answerSimilarity();
        Metric tone = metric("Is it polite?", "1");
        Metric otherTone = metric("Is it kind?", "1");
        Map<String, Object> parameters = Map.of("temperature", 0.0);
        List<JudgeFingerprint> fingerprints = List.of(
                new JudgeFingerprint("m", parameters, List.of("instructions A", "case 1")),
                new JudgeFingerprint("m", parameters, List.of("instructions A", "case 2")),
                new JudgeFingerprint("m", parameters, List.of("instructions B", "case 1")),
                new JudgeFingerprint("m", parameters, List.of("case 1")),
                new JudgeFingerprint("m", parameters, List.of("instructions A", "case 1")));
        CacheKeys seen = new CacheKeys();
        for (Metric metric : List.of(similarity, tone, otherTone, similarity, tone)) {
            for (JudgeFingerprint fingerprint : fingerprints) {
                assertThat(seen.key(metric, fingerprint)).as("%s %s", metric.name(), fingerprint.messages())
                        .isEqualTo(new CacheKeys().key(metric, fingerprint));
            }
        }
        assertThat(seen.key(tone, fingerprints.get(0))).isNotEqualTo(seen.key(otherTone, fingerprints.get(0)));
    }
}
