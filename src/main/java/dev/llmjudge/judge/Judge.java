package dev.llmjudge.judge;

/**
 * Grades one case on one metric. A judge first says what it would send for a request (its
 * fingerprint, from which the verdict cache computes the key), then judges exactly that: the
 * prompt is rendered once per check, and what was sent is always what the key names.
 *
 * <p>Implementations: the OpenAI-compatible judge, the offline embedding judge, and the layers
 * the runtime puts in front of them (verdict cache, the drawing of samples, budget, throttle),
 * each passing the fingerprint on. When a verdict takes several samples, the fingerprint a judge
 * is handed holds {@code n} (the samples to give in one verdict) or a {@code seed} of its own for
 * each further sample; a judge that gives one sample is simply asked again. A custom judge, e.g.
 * for {@code LlmJudgeExtension.newInstance().judge(...)}:
 *
 * <pre>{@code
 * Judge alwaysFive = new Judge() {
 *     public JudgeFingerprint fingerprint(JudgeRequest request) {
 *         return new JudgeFingerprint("always-five", Map.of(), List.of(request.evaluationCase().answer()));
 *     }
 *     public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
 *         Metric m = request.metric();
 *         return new Verdict(m.name(), m.version(), m.maxScore(), m.minScore(), m.maxScore(), "Always five.",
 *             fingerprint.model(), fingerprint.parameters(), null, false, null, Duration.ZERO, TokenUsage.NONE);
 *     }
 * };
 * Verdict v = alwaysFive.judge(new JudgeRequest(Metrics.answerSimilarity(),
 *     EvaluationCase.ofAnswer(prediction).withGroundTruth(truth)));
 * }</pre>
 */
public interface Judge {

    /** What this judge would send for the request; contacts nothing, as the cache computes a key from it before judging. */
    JudgeFingerprint fingerprint(JudgeRequest request);

    /**
     * Grades the case as {@code fingerprint}, what {@link #fingerprint} returned, describes it.
     *
     * @throws JudgeException when no verdict could be had; never returns a made-up score
     */
    Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint);

    /** Grades the case: {@code judge(request, fingerprint(request))}. */
    default Verdict judge(JudgeRequest request) {
        return judge(request, fingerprint(request));
    }
}
