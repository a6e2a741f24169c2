package dev.llmjudge.internal.embedding;

import dev.llmjudge.embedding.EmbeddingMetrics;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs the real all-MiniLM-L6-v2 model that ships in the optional dependency: offline, no key. */
class EmbeddingJudgeTest {
    private static final Pattern COSINE = Pattern.compile("cosine similarity of the answer and the ground truth is (-?\\d\\.\\d{4}), scored (\\d+) of 100");

    private final EmbeddingJudge judge = EmbeddingJudge.allMiniLmL6V2Q();

    private static JudgeRequest similarity(String answer, String truth) {
        return new JudgeRequest(EmbeddingMetrics.semanticSimilarity(), EvaluationCase.ofAnswer(answer).withGroundTruth(truth));
    }

    @Test
    void the_same_text_scores_100() {
        Verdict v = judge.judge(similarity("Refunds are issued within 30 days.", "Refunds are issued within 30 days."));

        assertThat(v.score()).isEqualTo(100);
        assertThat(v.justification()).startsWith("The cosine similarity of the answer and the ground truth is 1.0000, scored 100 of 100");
    }

    @Test
    void a_paraphrase_scores_high_and_an_unrelated_answer_low() {
        Verdict paraphrase = judge.judge(similarity("You can return an item within 30 days of delivery for a full refund.",
                "Items can be returned within 30 days of delivery for a full refund to the original payment method."));
        Verdict unrelated = judge.judge(similarity("Our office is open Monday to Friday.",
                "Items can be returned within 30 days of delivery for a full refund to the original payment method."));

        assertThat(paraphrase.score()).isBetween(80, 99);
        assertThat(unrelated.score()).isLessThan(40);
    }

    @Test
    void similarity_is_not_correctness_a_wrong_sum_is_close_to_the_right_one() {
        Verdict v = judge.judge(similarity("2 plus 2 equals 5", "2 plus 2 equals 4"));

        assertThat(v.score()).as("a factually wrong answer scores as similar").isGreaterThanOrEqualTo(80);
    }

    @Test
    void the_verdict_names_the_embedding_model_and_states_the_cosine_that_gives_its_score() {
        Verdict v = judge.judge(similarity("MLflow manages the machine learning lifecycle.",
                "MLflow is an open-source platform for managing the end-to-end machine learning lifecycle."));

        assertThat(v.judgeModel()).isEqualTo("all-minilm-l6-v2-q (embedding)");
        assertThat(v.metric()).isEqualTo("semantic_similarity");
        assertThat(v.minScore()).isZero();
        assertThat(v.maxScore()).isEqualTo(100);
        assertThat(v.parameters()).isEqualTo(Map.of("similarity", "cosine"));
        assertThat(v.usage().promptTokens()).isZero();
        Matcher m = COSINE.matcher(v.justification());
        assertThat(m.find()).as(v.justification()).isTrue();
        assertThat(Integer.parseInt(m.group(2))).isEqualTo(v.score());
        assertThat(EmbeddingMetrics.scoreOf(Double.parseDouble(m.group(1)))).isEqualTo(v.score());
        assertThat(v.justification()).endsWith("not correctness.");
    }

    @Test
    void the_same_inputs_give_the_same_verdict() {
        Verdict first = judge.judge(similarity("Spark is a distributed engine.", "Apache Spark is a distributed computing system."));
        Verdict second = judge.judge(similarity("Spark is a distributed engine.", "Apache Spark is a distributed computing system."));

        assertThat(second.score()).isEqualTo(first.score());
        assertThat(second.justification()).isEqualTo(first.justification());
    }

    @Test
    void the_fingerprint_is_the_model_and_the_two_texts_without_any_prompt() {
        JudgeFingerprint f = judge.fingerprint(similarity("an answer", "the truth"));

        assertThat(f.model()).isEqualTo("all-minilm-l6-v2-q (embedding)");
        assertThat(f.parameters()).isEqualTo(Map.of("similarity", "cosine"));
        assertThat(f.messages()).isEqualTo(List.of("an answer", "the truth"));
    }

    @Test
    void an_llm_metric_is_refused_rather_than_scored_by_cosine() {
        JudgeRequest llm = new JudgeRequest(Metrics.answerSimilarity(), EvaluationCase.ofAnswer("a").withGroundTruth("b"));

        assertThatThrownBy(() -> judge.judge(llm))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'answer_similarity' is not an embedding metric: the embedding judge scores semantic_similarity only;"
                        + " LLM metrics go to the LLM judge");
    }

    @Test
    void a_failure_of_the_model_is_a_judge_error_naming_it_not_an_exception_the_check_cannot_report() {
        EmbeddingJudge failing = new EmbeddingJudge((answer, truth) -> {
            throw new IllegalStateException("ONNX runtime session failed");
        });

        assertThatThrownBy(() -> failing.judge(similarity("an answer", "the truth")))
                .isInstanceOfSatisfying(dev.llmjudge.judge.JudgeException.class,
                        e -> assertThat(e.reason()).isEqualTo(dev.llmjudge.judge.JudgeException.Reason.JUDGE_FAILED))
                .hasMessage("the embedding model all-minilm-l6-v2-q (embedding) failed: java.lang.IllegalStateException: ONNX runtime"
                        + " session failed (no verdict; the check is an error, never a score)");
    }

    @Test
    void a_cosine_of_no_meaning_is_a_judge_error_never_a_score() {
        EmbeddingJudge empty = new EmbeddingJudge((answer, truth) -> Double.NaN);

        assertThatThrownBy(() -> empty.judge(similarity("an answer", "the truth")))
                .isInstanceOfSatisfying(dev.llmjudge.judge.JudgeException.class,
                        e -> assertThat(e.reason()).isEqualTo(dev.llmjudge.judge.JudgeException.Reason.JUDGE_FAILED))
                .hasMessageContaining("the cosine similarity is NaN: the embeddings were empty or zero");
    }
}
