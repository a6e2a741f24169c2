package dev.llmjudge.runtime;

import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.GradingLevel;
import dev.llmjudge.metric.Metric;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scores verdicts by probabilities ({@code llmjudge.judge.score-by=probabilities}): the fingerprint
 * holds {@code logprobs=true} and {@code top_logprobs}, so that the cache key differs from that of a
 * verdict scored by the reply and the judge behind asks for them; a metric whose levels cannot each
 * be read from one token is refused before anything is sent; and a verdict whose samples come
 * without their distributions is an error, never scored by the integer instead.
 */
final class ProbabilityScoringJudge implements Judge {
    /** The alternatives asked for at each token: the most the chat completions API returns. */
    static final int TOP_LOGPROBS = 20;

    private final Judge delegate;

    ProbabilityScoringJudge(Judge delegate) {
        this.delegate = delegate;
    }

    /** The delegate's fingerprint with {@code logprobs=true} and {@code top_logprobs}; throws for a metric of multi-digit levels. */
    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        requireSingleDigitLevels(request.metric());
        JudgeFingerprint fingerprint = delegate.fingerprint(request);
        Map<String, Object> parameters = new LinkedHashMap<>(fingerprint.parameters());
        parameters.put("logprobs", true);
        parameters.put("top_logprobs", TOP_LOGPROBS);
        return new JudgeFingerprint(fingerprint.model(), parameters, fingerprint.messages());
    }

    @Override
    public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
        requireSingleDigitLevels(request.metric());
        Verdict verdict = delegate.judge(request, fingerprint);
        if (!verdict.sampling().byProbabilities()) {
            throw new JudgeException(JudgeException.Reason.NO_PROBABILITIES, "the judge '" + verdict.judgeModel() + "' gave a verdict"
                    + " on metric '" + request.metric().name() + "' without the probabilities of the levels at its score, which"
                    + " llmjudge.judge.score-by=probabilities scores it by. Nothing was cached. A judge given in code must return"
                    + " samples with a ScoreDistribution when its fingerprint asks for logprobs; or score by the integer the judge"
                    + " writes with llmjudge.judge.score-by=reply.").withSpent(verdict.usage());
        }
        return verdict;
    }

    /**
     * Refuses a metric with a level that is not one digit: the distribution is read at the one token
     * that holds the score, and a tokenizer may write {@code 10} as {@code 1} and {@code 0}, where
     * the alternative {@code 1} would also be the start of {@code 10}.
     */
    static void requireSingleDigitLevels(Metric metric) {
        if (metric.rubric().stream().mapToInt(GradingLevel::score).allMatch(level -> level >= 0 && level <= 9)) {
            return;
        }
        throw new JudgeException(JudgeException.Reason.NO_PROBABILITIES, "metric '" + metric.name() + "' has levels " + metric.minScore()
                + " to " + metric.maxScore() + ", but llmjudge.judge.score-by=probabilities reads a score from the probabilities of the"
                + " levels at the one token that holds it, so every level must be a single digit (0 to 9): a tokenizer may write a"
                + " level such as 10 as two tokens, and the alternative 1 would then also be the start of 10. Nothing was sent."
                + " Score this metric by the integer the judge writes (llmjudge.judge.score-by=reply), or give it a rubric of"
                + " single-digit levels.");
    }
}
