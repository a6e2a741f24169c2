package dev.llmjudge.judge;

/**
 * Grades one case on one metric.
 *
 * <p>Implementations: {@link OpenAiJudge} (any OpenAI-compatible endpoint) and the caching
 * judge of {@code dev.llmjudge.cache}, which wraps another judge.
 *
 * <pre>{@code
 * Verdict v = judge.judge(new JudgeRequest(Metrics.answerSimilarity(),
 *     EvaluationCase.ofAnswer(prediction).withGroundTruth(truth)));
 * }</pre>
 */
public interface Judge {

    /**
     * What this judge would send for the request: model, sampling parameters and messages.
     * Must not contact anything: the cache calls it to compute a key before deciding whether
     * to judge at all.
     */
    JudgeFingerprint fingerprint(JudgeRequest request);

    /**
     * Grades the case.
     *
     * @throws JudgeException when no verdict could be had (network, HTTP error, unparsable
     *     reply, missing key, missing recorded verdict); never returns a made-up score
     */
    Verdict judge(JudgeRequest request);
}
