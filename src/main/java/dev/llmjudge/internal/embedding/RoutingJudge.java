package dev.llmjudge.internal.embedding;

import dev.llmjudge.embedding.EmbeddingMetrics;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import java.util.Objects;

/**
 * Sends each request to the judge its metric asks for: embedding metrics
 * ({@link EmbeddingMetrics#isEmbeddingMetric}, e.g. {@code semantic_similarity}) to the
 * embedding judge, every other metric to the LLM judge. The runtime puts the verdict cache in
 * front of it, so both kinds of verdict are cached, reported and gated alike.
 *
 * <p>The rule is the metric's own: a metric is an embedding metric because its judge model is
 * {@link EmbeddingJudge#MODEL}. Nothing falls back from one judge to the other.
 *
 * <pre>{@code
 * Judge judge = new RoutingJudge(new OpenAiJudge(settings), EmbeddingJudge.allMiniLmL6V2Q());
 * }</pre>
 */
public final class RoutingJudge implements Judge {
    private final Judge llmJudge;
    private final Judge embeddingJudge;

    public RoutingJudge(Judge llmJudge, Judge embeddingJudge) {
        this.llmJudge = Objects.requireNonNull(llmJudge, "llmJudge");
        this.embeddingJudge = Objects.requireNonNull(embeddingJudge, "embeddingJudge");
    }

    /** The judge that grades {@code request}. */
    public Judge judgeFor(JudgeRequest request) {
        return EmbeddingMetrics.isEmbeddingMetric(request.metric()) ? embeddingJudge : llmJudge;
    }

    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        return judgeFor(request).fingerprint(request);
    }

    @Override
    public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
        return judgeFor(request).judge(request, fingerprint);
    }
}
