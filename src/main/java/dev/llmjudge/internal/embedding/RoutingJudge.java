package dev.llmjudge.internal.embedding;

import dev.llmjudge.embedding.EmbeddingMetrics;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import java.util.Objects;

/**
 * Sends embedding metrics ({@link EmbeddingMetrics#isEmbeddingMetric}) to the embedding judge and
 * every other metric to the LLM judge, with no fallback from one to the other; the verdict cache
 * in front of it caches, reports and gates both alike.
 */
public final class RoutingJudge implements Judge {
    private final Judge llmJudge;
    private final Judge embeddingJudge;

    public RoutingJudge(Judge llmJudge, Judge embeddingJudge) {
        this.llmJudge = Objects.requireNonNull(llmJudge, "llmJudge");
        this.embeddingJudge = Objects.requireNonNull(embeddingJudge, "embeddingJudge");
    }

    private Judge judgeFor(JudgeRequest request) {
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
