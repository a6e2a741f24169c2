package dev.llmjudge.probe;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import com.google.errorprone.annotations.CheckReturnValue;
import dev.llmjudge.config.MissingKey;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.opentest4j.TestAbortedException;

/**
 * Bias probes of one metric on a team's cases. Each probe judges every case as it is and
 * rewritten, and fails with an {@link AssertionError} listing the pairs whose score moved by one
 * level or more, when more than {@link #allowingShare the allowed share} of the pairs did:
 *
 * <pre>{@code
 * assertThatMetric(Metrics.answerSimilarity()).onCases(cases)
 *     .allowingShare(0.1)
 *     .isNotSwayedByVerbosity()
 *     .isNotSwayedByFormat();
 * }</pre>
 *
 * A pair is a case and one rewrite of it: the verbosity probe makes one per case, the format probe
 * one per case and reformatting. Each distinct request is judged once, ahead and in parallel
 * within the runtime's concurrency cap. A judge error errors the probe with a {@link JudgeException}
 * naming the case (or, with {@code llmjudge.judge.missing-key=skip} and no API key, skips the test),
 * once every other request has had its verdict or error. A probe publishes no report rows; the
 * tokens and cost of the judge calls it made count in the report's totals as calls outside any check.
 */
public final class BiasProbe {
    private final Metric metric;
    private final LlmJudgeRuntime runtime;
    private final List<EvaluationCase> cases;
    private double allowedShare;

    BiasProbe(Metric metric, LlmJudgeRuntime runtime, List<EvaluationCase> cases) {
        this.metric = metric;
        this.runtime = runtime;
        for (int i = 0; i < cases.size(); i++) {
            if (cases.get(i) == null) {
                throw new IllegalArgumentException("case " + (i + 1) + " of " + cases.size() + " is null: pass only cases to probe with");
            }
            request(i, cases.get(i), null);
        }
        this.cases = Collections.unmodifiableList(cases);
    }

    /**
     * Lets up to this share of the pairs move before a probe fails, e.g. {@code 0.1} for one pair
     * in ten (rounded down: with 5 pairs, {@code 0.1} allows none). The default is {@code 0}: no
     * pair may move.
     *
     * @throws IllegalArgumentException unless {@code 0 <= share < 1}
     */
    @CheckReturnValue
    public BiasProbe allowingShare(double share) {
        if (!(share >= 0 && share < 1)) {
            throw new IllegalArgumentException("allowingShare(" + share + "): the share of pairs that may move must be at least 0 and below 1,"
                    + " e.g. 0.1 for one pair in ten; at 1 or more every pair could move and the probe could never fail");
        }
        this.allowedShare = share;
        return this;
    }

    /**
     * Fails when an answer padded with neutral filler ({@link Rewrite#neutralPadding()}) scores one
     * level or more higher than the answer itself, in more than the allowed share of cases. A lower
     * score is no failure: a rubric may rightly dislike filler. A case whose answer already scores
     * the top of the rubric cannot rise and is not counted; when none can, the probe could not fail
     * and throws {@link IllegalStateException} saying so.
     *
     * @throws JudgeException when the judge could not give a verdict (the test errors)
     */
    @CanIgnoreReturnValue
    public BiasProbe isNotSwayedByVerbosity() {
        return isNotSwayedByVerbosity(Rewrite.neutralPadding());
    }

    /** The same with padding of one's own, e.g. {@code Rewrite.padding(List.of("Great question!"), List.of())}. */
    @CanIgnoreReturnValue
    public BiasProbe isNotSwayedByVerbosity(Rewrite padding) {
        return probe(Probe.VERBOSITY, List.of(requireRewrite(padding, 1)));
    }

    /**
     * Fails when the same answer as bullets ({@link Rewrite#bullets()}) or with extra white space
     * ({@link Rewrite#extraWhitespace()}) scores one level or more apart from the answer itself,
     * either way, in more than the allowed share of pairs.
     *
     * @throws JudgeException when the judge could not give a verdict (the test errors)
     */
    @CanIgnoreReturnValue
    public BiasProbe isNotSwayedByFormat() {
        return isNotSwayedByFormat(Rewrite.bullets(), Rewrite.extraWhitespace());
    }

    /** The same with reformattings of one's own, e.g. {@code Rewrite.of("as a numbered list", ...)}. */
    @CanIgnoreReturnValue
    public BiasProbe isNotSwayedByFormat(Rewrite... reformattings) {
        if (reformattings == null || reformattings.length == 0) {
            throw new IllegalArgumentException("isNotSwayedByFormat() needs at least one reformatting, e.g. Rewrite.bullets()");
        }
        List<Rewrite> rewrites = new ArrayList<>();
        for (int i = 0; i < reformattings.length; i++) {
            rewrites.add(requireRewrite(reformattings[i], i + 1));
        }
        return probe(Probe.FORMAT, rewrites);
    }

    /** What a probe checks: its name, and which moves of the score count. */
    enum Probe {
        VERBOSITY("verbosity", "not to score an answer higher when it is padded with filler", "rose"),
        FORMAT("format", "to score an answer the same in another format", "moved");

        final String label;
        final String expectation;
        final String verb;

        Probe(String label, String expectation, String verb) {
            this.label = label;
            this.expectation = expectation;
            this.verb = verb;
        }

        /** Whether a score going from {@code original} to {@code rewritten} counts against the judge: one level or more. */
        boolean moved(int original, int rewritten) {
            return this == VERBOSITY ? rewritten - original >= 1 : Math.abs(rewritten - original) >= 1;
        }

        /** Whether a pair whose answer scored {@code original} could move the way that counts: a rise needs room above. */
        boolean couldMove(Verdict original) {
            return this != VERBOSITY || original.score() < original.maxScore();
        }
    }

    /** A case and one rewrite of it, with both verdicts once judged. */
    record Pair(int index, EvaluationCase evaluationCase, Rewrite rewrite, JudgeRequest original, JudgeRequest rewritten) {
    }

    /** Both verdicts of a pair. */
    record Judged(Pair pair, Verdict original, Verdict rewritten) {
        int delta() {
            return rewritten.score() - original.score();
        }
    }

    private BiasProbe probe(Probe probe, List<Rewrite> rewrites) {
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            EvaluationCase c = cases.get(i);
            for (Rewrite rewrite : rewrites) {
                pairs.add(new Pair(i + 1, c, rewrite, request(i, c, null), request(i, c, rewrite)));
            }
        }
        Map<JudgeRequest, Verdict> verdicts = judgeAll(probe, pairs);
        List<Judged> judged = pairs.stream().map(p -> new Judged(p, verdicts.get(p.original()), verdicts.get(p.rewritten())))
                .filter(j -> probe.couldMove(j.original())).toList();
        int atTheTop = pairs.size() - judged.size();
        if (judged.isEmpty()) {
            int top = verdicts.get(pairs.get(0).original()).maxScore();
            throw new IllegalStateException("the " + probe.label + " probe of " + metric.name() + " cannot fail on these cases: every answer"
                    + " scored " + top + ", the top of the rubric, so none can score higher padded. Probe with answers that score below the"
                    + " top, such as partly right ones.");
        }
        List<Judged> moved = judged.stream().filter(j -> probe.moved(j.original().score(), j.rewritten().score())).toList();
        int allowed = (int) Math.floor(allowedShare * judged.size() + 1e-9);
        if (moved.size() > allowed) {
            throw ProbeFailure.of(probe, metric, rewrites, judged.size(), atTheTop, moved, allowed, allowedShare);
        }
        return this;
    }

    /** Judges each distinct request once, ahead; the first judge error (in order) errors the probe once all are in. */
    private Map<JudgeRequest, Verdict> judgeAll(Probe probe, List<Pair> pairs) {
        Map<JudgeRequest, String> what = new LinkedHashMap<>();
        for (Pair p : pairs) {
            what.putIfAbsent(p.original(), "case " + p.index());
            what.putIfAbsent(p.rewritten(), "case " + p.index() + " " + p.rewrite().description());
        }
        Set<JudgeRequest> requests = new LinkedHashSet<>(what.keySet());
        runtime.prefetch(requests);
        Map<JudgeRequest, Verdict> verdicts = new LinkedHashMap<>();
        JudgeException first = null;
        String firstWhat = null;
        int failed = 0;
        for (JudgeRequest request : requests) {
            try {
                verdicts.put(request, runtime.judgeOutsideChecks(request, "bias probe"));
            } catch (JudgeException e) {
                failed++;
                if (first == null) {
                    first = e;
                    firstWhat = what.get(request);
                }
            }
        }
        if (first != null) {
            String message = "the " + probe.label + " probe of " + metric.name() + " got no verdict for " + firstWhat
                    + (failed > 1 ? " (and " + (failed - 1) + " more of its " + requests.size() + " judgements)" : "") + ": " + first.getMessage();
            if (first.reason() == JudgeException.Reason.MISSING_KEY && runtime.config().judge().missingKey() == MissingKey.SKIP) {
                throw new TestAbortedException("skipped: " + message + " (llmjudge.judge.missing-key=skip)");
            }
            throw new JudgeException(first.reason(), message, first);
        }
        return verdicts;
    }

    /** The request of case {@code index} (from 0), its answer rewritten unless {@code rewrite} is {@code null}; bad input named. */
    private JudgeRequest request(int index, EvaluationCase c, Rewrite rewrite) {
        String answer = c.answer();
        if (rewrite != null) {
            String rewritten = rewrite.apply(answer);
            if (rewritten == null || rewritten.equals(answer)) {
                throw new IllegalArgumentException("the rewrite '" + rewrite.description() + "' " + (rewritten == null ? "turned" : "left")
                        + " the answer of case " + (index + 1) + (rewritten == null ? " into null" : " unchanged")
                        + ", so the pair would test nothing: probe with another case or rewrite");
            }
            answer = rewritten;
        }
        try {
            return new JudgeRequest(metric, new EvaluationCase(c.question(), answer, c.groundTruth(), c.context()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("case " + (index + 1) + " cannot be judged on " + metric.name()
                    + (rewrite == null ? "" : " " + rewrite.description()) + ": " + e.getMessage(), e);
        }
    }

    private static Rewrite requireRewrite(Rewrite rewrite, int position) {
        if (rewrite == null) {
            throw new IllegalArgumentException("rewrite " + position + " is null: pass one such as Rewrite.neutralPadding() or Rewrite.bullets()");
        }
        return rewrite;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "BiasProbe[%s, %d cases, allowing %.0f%%]", metric.name(), cases.size(), allowedShare * 100);
    }
}
