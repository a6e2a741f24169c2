package dev.llmjudge.embedding;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.assertj.AnswerAssert;
import dev.llmjudge.assertj.CosineExpectation;
import dev.llmjudge.assertj.JudgedSoftAssertions;
import dev.llmjudge.assertj.ScoreExpectation;
import dev.llmjudge.config.ConfigOverrides;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.PublishedOutcomes;
import dev.llmjudge.testsupport.TestRuntimes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code isSemanticallySimilarTo(...).withCosineAtLeast(...)} through a real runtime: the real
 * embedding model, the verdict cache on disk, the check recorder, and a loopback
 * OpenAI-compatible server for the LLM metrics that share the runtime.
 */
class SemanticSimilarityAssertTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRUTH = "Items can be returned within 30 days of delivery for a full refund to the original payment method.";
    private static final String PARAPHRASE = "You can return an item within 30 days of delivery for a full refund.";
    private static final String UNRELATED = "Our office is open Monday to Friday.";

    @TempDir
    Path cacheDir;

    private OpenAiCompatibleServer server;
    @RegisterExtension
    final PublishedOutcomes published = new PublishedOutcomes();

    @BeforeEach
    void start() {
        server = OpenAiCompatibleServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private LlmJudgeRuntime runtime(String cacheMode) {
        return TestRuntimes.runtime(server, cacheDir, Map.of(LlmJudgeConfig.CACHE_MODE, cacheMode));
    }

    private List<Path> verdictFiles() throws Exception {
        Path dir = cacheDir.resolve("semantic_similarity");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void should_pass_when_the_cosine_meets_the_threshold_and_record_the_verdict_without_calling_the_llm() throws Exception {
        try (LlmJudgeRuntime rt = runtime("auto"); var scope = LlmJudgeRuntime.use(rt)) {
            AnswerAssert check = assertThatAnswer(PARAPHRASE).isSemanticallySimilarTo(TRUTH).withCosineAtLeast(0.8);

            assertThat(check.verdict()).hasValueSatisfying(v -> {
                assertThat(v.judgeModel()).isEqualTo("all-minilm-l6-v2-q (embedding)");
                assertThat(v.cached()).isFalse();
            });
            assertThat(rt.clientCreated()).as("no LLM client for an embedding check").isFalse();
        }
        assertThat(server.requestCount()).isZero();
        assertThat(published.outcomes()).singleElement().isInstanceOfSatisfying(CheckOutcome.Passed.class, r -> {
            assertThat(r.check().metric().name()).isEqualTo("semantic_similarity");
            assertThat(r.check().threshold()).isEqualTo(80);
            assertThat(r.verdict().judgeModel()).isEqualTo("all-minilm-l6-v2-q (embedding)");
        });
        List<Path> files = verdictFiles();
        assertThat(files).hasSize(1);
        JsonNode stored = JSON.readTree(files.get(0).toFile());
        assertThat(stored.path("judge").path("model").asText()).isEqualTo("all-minilm-l6-v2-q (embedding)");
        assertThat(stored.path("scale").path("max").asInt()).isEqualTo(100);
        assertThat(stored.path("justification").asText()).contains("cosine similarity of the answer and the ground truth is 0.");
        assertThat(stored.path("case").path("answer").asText()).isEqualTo(PARAPHRASE);
    }

    @Test
    void should_fail_when_the_cosine_is_below_the_threshold_with_the_score_threshold_and_cosine() {
        try (LlmJudgeRuntime rt = runtime("auto"); var scope = LlmJudgeRuntime.use(rt)) {
            assertThatThrownBy(() -> assertThatAnswer(UNRELATED).isSemanticallySimilarTo(TRUTH).withCosineAtLeast(0.8))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to score at least 80 on semantic_similarity (v1), but the judge scored it ")
                    .hasMessageContaining("(scale 0 to 100)")
                    .hasMessageContaining("The cosine similarity of the answer and the ground truth is 0.")
                    .hasMessageContaining("Judge: all-minilm-l6-v2-q (embedding) (judged now, ");
        }
        assertThat(published.outcomes()).singleElement().isInstanceOf(CheckOutcome.Failed.class);
    }

    @Test
    void should_replay_a_recorded_embedding_verdict_even_in_replay_mode() throws Exception {
        try (LlmJudgeRuntime rt = runtime("auto"); var scope = LlmJudgeRuntime.use(rt)) {
            assertThatAnswer(PARAPHRASE).isSemanticallySimilarTo(TRUTH).withCosineAtLeast(0.8);
        }
        Path file = verdictFiles().get(0);
        String recorded = Files.readString(file);

        try (LlmJudgeRuntime rt = runtime("replay"); var scope = LlmJudgeRuntime.use(rt)) {
            AnswerAssert check = assertThatAnswer(PARAPHRASE).isSemanticallySimilarTo(TRUTH).withCosineAtLeast(0.8);

            assertThat(check.verdict()).hasValueSatisfying(v -> {
                assertThat(v.cached()).isTrue();
                assertThat(v.cacheFile()).isEqualTo(file.toString());
            });
        }
        assertThat(Files.readString(file)).isEqualTo(recorded);
    }

    @Test
    void should_error_in_replay_mode_when_no_embedding_verdict_is_recorded_like_any_verdict() {
        try (LlmJudgeRuntime rt = runtime("replay"); var scope = LlmJudgeRuntime.use(rt)) {
            assertThatThrownBy(() -> assertThatAnswer(PARAPHRASE).isSemanticallySimilarTo(TRUTH).withCosineAtLeast(0.8))
                    .isInstanceOfSatisfying(JudgeException.class, e -> assertThat(e.reason()).isEqualTo(JudgeException.Reason.NOT_RECORDED))
                    .hasMessageContaining("no recorded verdict for metric 'semantic_similarity'");
        }
    }

    @Test
    void should_route_llm_metrics_of_the_same_runtime_to_the_llm_judge_and_embedding_metrics_past_it() {
        List<String> llmJudged = new CopyOnWriteArrayList<>();
        Judge llm = new Judge() {
            @Override
            public JudgeFingerprint fingerprint(JudgeRequest request) {
                return new JudgeFingerprint("judge-test-model", Map.of(), List.of(request.evaluationCase().answer()));
            }

            @Override
            public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
                llmJudged.add(request.metric().name());
                Metric m = request.metric();
                return new Verdict(m.name(), m.version(), 5, m.minScore(), m.maxScore(), "Same meaning.", "judge-test-model",
                        Map.of(), null, false, null, null, null);
            }
        };
        LlmJudgeConfig cfg = LlmJudgeConfig.defaults().with(ConfigOverrides.builder().cacheDirectory(cacheDir).build());
        try (LlmJudgeRuntime rt = LlmJudgeRuntime.builder().config(cfg).judge(llm).build(); var scope = LlmJudgeRuntime.use(rt)) {
            AnswerAssert answer = assertThatAnswer(PARAPHRASE);
            answer.isSimilarTo(TRUTH).withScoreAtLeast(4);
            assertThat(answer.verdict()).hasValueSatisfying(v -> assertThat(v.judgeModel()).isEqualTo("judge-test-model"));
            answer.isSemanticallySimilarTo(TRUTH).withCosineAtLeast(0.8);
            assertThat(answer.verdict()).hasValueSatisfying(v -> assertThat(v.judgeModel()).isEqualTo("all-minilm-l6-v2-q (embedding)"));
        }
        assertThat(llmJudged).containsExactly("answer_similarity");
        assertThat(published.outcomes()).extracting(o -> o.check().metric().name()).containsExactly("answer_similarity", "semantic_similarity");
        assertThat(cacheDir.resolve("answer_similarity")).isDirectory();
        assertThat(cacheDir.resolve("semantic_similarity")).isDirectory();
    }

    @Test
    void should_collect_a_low_cosine_in_soft_assertions() {
        try (LlmJudgeRuntime rt = runtime("auto"); var scope = LlmJudgeRuntime.use(rt)) {
            JudgedSoftAssertions softly = new JudgedSoftAssertions();
            softly.assertThatAnswer(UNRELATED).isSemanticallySimilarTo(TRUTH).withCosineAtLeast(0.8);
            softly.assertThatAnswer(PARAPHRASE).isSemanticallySimilarTo(TRUTH).withCosineAtLeast(0.8);

            assertThat(softly.errorsCollected()).singleElement().asString().contains(UNRELATED);
        }
        assertThat(published.outcomes()).extracting(Object::getClass).containsExactly(CheckOutcome.Failed.class, CheckOutcome.Passed.class);
    }

    @Test
    void should_offer_a_cosine_threshold_on_the_embedding_check_only() throws Exception {
        assertThat(ScoreExpectation.class.getMethods()).extracting(java.lang.reflect.Method::getName).doesNotContain("withCosineAtLeast");
        assertThat(CosineExpectation.class.getMethod("withCosineAtLeast", double.class).getReturnType()).isEqualTo(AnswerAssert.class);
        assertThat(AnswerAssert.class.getMethod("isSemanticallySimilarTo", String.class).getReturnType()).isEqualTo(CosineExpectation.class);
    }

    @Test
    void should_refuse_a_cosine_threshold_finer_than_hundredths_before_judging() throws Exception {
        try (LlmJudgeRuntime rt = runtime("auto"); var scope = LlmJudgeRuntime.use(rt)) {
            assertThatThrownBy(() -> assertThatAnswer(PARAPHRASE).isSemanticallySimilarTo(TRUTH).withCosineAtLeast(0.805))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cosine threshold 0.805 is finer than the metric's scale");
        }
        assertThat(verdictFiles()).isEmpty();
        // Listed in the report as a check that could not be judged, never as a score.
        assertThat(published.outcomes()).singleElement().isInstanceOfSatisfying(CheckOutcome.Errored.class, r -> {
            assertThat(r.reason()).isEqualTo(JudgeException.Reason.INVALID_INPUT);
            assertThat(r.verdict()).isNull();
        });
    }

    @Test
    void should_reject_a_blank_ground_truth_before_judging() {
        assertThatThrownBy(() -> assertThatAnswer(PARAPHRASE).isSemanticallySimilarTo(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'semantic_similarity' needs the ground truth, but it is blank: a blank ground truth cannot be judged");
    }
}
