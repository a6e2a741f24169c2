package dev.llmjudge.runtime;

import dev.llmjudge.internal.Closing;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a verdict's samples ({@link JudgeRequest#samples()}, else {@code llmjudge.judge.samples}):
 * first in one request for {@code n} choices, then, for those the reply lacks (an endpoint that
 * ignores {@code n}, or choices without a valid verdict), one request each with seeds after the
 * configured one, until the remaining samples could no longer change the median (for a pairwise metric, neither middle
 * score of an even number) nor, at any threshold, whether the samples are unstable: {@link Sampling#mayStopEarly}. Each request goes
 * to the judge behind it on its own, so the budget and the throttle count every one. A sample that
 * cannot be had ends the verdict with an error: never a median of fewer samples than asked. One
 * sample keeps the fingerprint, and so the cache key, exactly as it is without sampling. Once the
 * run's judge is closing ({@link Closing}), no further sample is drawn: the verdict ends with an error, keeping what the
 * samples drawn before were billed.
 */
final class SamplingJudge implements Judge {
    private final Judge delegate;
    private final int configured;
    private final Closing closing;

    /** {@code configured}: the samples of a request that names none; {@code closing}: consulted before each further sample. */
    SamplingJudge(Judge delegate, int configured, Closing closing) {
        this.delegate = delegate;
        this.configured = configured;
        this.closing = closing;
    }

    private int samplesOf(JudgeRequest request) {
        return request.samples() > 0 ? request.samples() : configured;
    }

    /** The delegate's fingerprint, with {@code n}, the samples asked for, when more than one. */
    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        JudgeFingerprint fingerprint = delegate.fingerprint(request);
        int samples = samplesOf(request);
        return samples == 1 ? fingerprint : with(fingerprint, "n", samples);
    }

    @Override
    public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
        int asked = samplesOf(request);
        if (asked == 1) {
            return delegate.judge(request, fingerprint);
        }
        Instant start = Instant.now();
        Verdict first = delegate.judge(request, fingerprint);
        List<Sampling.Sample> samples = new ArrayList<>(first.sampling().samples().subList(0, Math.min(asked, first.sampling().samples().size())));
        TokenUsage usage = first.usage();
        long seed = fingerprint.parameters().get("seed") instanceof Number s ? s.longValue() : 0;
        int requests = 1;
        boolean stoppedEarly = false;
        while (samples.size() < asked) {
            if (Sampling.mayStopEarly(samples, asked - samples.size(), request.metric())) {
                stoppedEarly = true;
                break;
            }
            if (closing.begun()) {
                throw closedBefore(request, asked, samples.size(), usage);
            }
            Verdict next;
            try {
                next = delegate.judge(request, with(without(fingerprint, "n"), "seed", seed + requests));
            } catch (JudgeException e) {
                throw fewerSamples(request, asked, samples.size(), e, usage);
            }
            requests++;
            samples.add(next.sampling().samples().get(0));
            usage = usage.plus(next.usage());
        }
        Sampling sampling = new Sampling(asked, requests == 1 ? Sampling.Drawn.N : Sampling.Drawn.SEEDS, stoppedEarly, samples);
        return new Verdict(first.metric(), first.metricVersion(), sampling.median(), first.minScore(), first.maxScore(),
                sampling.medianSample().justification(), first.judgeModel(), first.parameters(), null, false, null,
                Duration.between(start, Instant.now()), usage, sampling);
    }

    /** The error of a sample that failed; {@code drawnUsage} is what the samples drawn before it were billed for. */
    private static JudgeException fewerSamples(JudgeRequest request, int asked, int drawn, JudgeException e, TokenUsage drawnUsage) {
        return new JudgeException(e.reason(), "the judge gave " + drawn + " of the " + asked + " samples asked for metric '"
                + request.metric().name() + "', and sample " + (drawn + 1) + " failed: " + e.getMessage() + " A verdict with fewer"
                + " samples than asked is never recorded nor scored by the median of fewer: ask again, or ask for fewer samples"
                + " (llmjudge.judge.samples, or sampled(n) on the check).", e).withSpent(drawnUsage.plus(e.spent()));
    }

    /** The error of a verdict whose next sample closing kept from being drawn; {@code drawnUsage}: what those drawn were billed. */
    private static JudgeException closedBefore(JudgeRequest request, int asked, int drawn, TokenUsage drawnUsage) {
        return new JudgeException(JudgeException.Reason.NETWORK, "the run's judge was closed before sample " + (drawn + 1) + " of the "
                + asked + " asked for metric '" + request.metric().name() + "' was drawn: its request was not sent, so not billed;"
                + " the " + drawn + " drawn before are counted. A verdict with fewer samples than asked is never recorded nor scored"
                + " by the median of fewer.").withSpent(drawnUsage);
    }

    private static JudgeFingerprint with(JudgeFingerprint fingerprint, String parameter, Object value) {
        Map<String, Object> parameters = new LinkedHashMap<>(fingerprint.parameters());
        parameters.put(parameter, value);
        return new JudgeFingerprint(fingerprint.model(), parameters, fingerprint.messages());
    }

    private static JudgeFingerprint without(JudgeFingerprint fingerprint, String parameter) {
        Map<String, Object> parameters = new LinkedHashMap<>(fingerprint.parameters());
        parameters.remove(parameter);
        return new JudgeFingerprint(fingerprint.model(), parameters, fingerprint.messages());
    }
}
