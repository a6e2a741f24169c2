package dev.llmjudge.internal.check;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A candidate answer compared with a reference answer on a pairwise metric, judged in both orders:
 * the candidate shown first, then the reference shown first. The candidate wins only when both
 * orders prefer it and loses only when both prefer the reference; anything else is a tie, and a tie
 * where the two orders disagree is position-inconsistent (the judge's choice followed the order,
 * not the answers).
 *
 * @param metric the pairwise metric
 * @param candidateFirst the verdict with the candidate as the first answer
 * @param referenceFirst the verdict with the reference as the first answer
 */
public record PairwiseJudgement(Metric metric, Verdict candidateFirst, Verdict referenceFirst) {
    /** What the comparison came to, for the candidate. */
    public enum Preference {
        /** Both orders prefer the candidate. */
        WIN,
        /** Neither order prefers either, or the orders disagree. */
        TIE,
        /** Both orders prefer the reference. */
        LOSS;

        /** The score of a pairwise verdict for the candidate: 3 a win, 2 a tie, 1 a loss. */
        public int score() {
            return switch (this) {
                case WIN -> Metric.PAIRWISE_FIRST_BETTER;
                case TIE -> Metric.PAIRWISE_TIE;
                case LOSS -> Metric.PAIRWISE_SECOND_BETTER;
            };
        }

        /** The preference a pairwise score stands for, e.g. {@code 3} a win. */
        public static Preference ofScore(int score) {
            return score >= Metric.PAIRWISE_FIRST_BETTER ? WIN : score <= Metric.PAIRWISE_SECOND_BETTER ? LOSS : TIE;
        }
    }

    /** The text a report and a failure show for a tie whose two orders disagreed. */
    public static final String POSITION_INCONSISTENT = "position-inconsistent";
    /** How a comparison's justification gives the candidate-first order's judgement, which tells a comparison's row from others. */
    static final String CANDIDATE_FIRST = "Candidate shown first: ";

    public PairwiseJudgement {
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(candidateFirst, "candidateFirst");
        Objects.requireNonNull(referenceFirst, "referenceFirst");
    }

    /**
     * Judges {@code candidate} against {@code reference} for {@code question} on {@code metric} in both orders, each a
     * request of its own, cached like any verdict. When the second order fails, its error carries the first order's tokens.
     *
     * @throws IllegalArgumentException when the metric is not pairwise or a text is missing, before any request
     */
    public static PairwiseJudgement judge(Judge judge, Metric metric, String question, String candidate, String reference, int samples) {
        List<JudgeRequest> both = requests(metric, question, candidate, reference, samples);
        Verdict candidateFirst;
        try {
            candidateFirst = judge.judge(both.get(0));
        } catch (JudgeException e) {
            if (e.reason() != JudgeException.Reason.COLLECTED) {
                throw e;
            }
            // Collected for a batch (llmjudge.cache.mode=collect): the other order is collected too, so that one batch judges both.
            judge.judge(both.get(1));
            throw e;
        }
        try {
            return new PairwiseJudgement(metric, candidateFirst, judge.judge(both.get(1)));
        } catch (JudgeException e) {
            throw PartsUsage.failedAfter(e, List.of(candidateFirst));
        }
    }

    /** The two requests of a comparison, candidate first then reference first, validated (e.g. to judge them ahead). */
    public static List<JudgeRequest> requests(Metric metric, String question, String candidate, String reference, int samples) {
        requirePairwise(metric);
        return List.of(new JudgeRequest(metric, new EvaluationCase(question, candidate, reference, null), samples),
                new JudgeRequest(metric, new EvaluationCase(question, reference, candidate, null), samples));
    }

    /**
     * Checks that {@code metric} compares two answers.
     *
     * @throws IllegalArgumentException for a metric that grades one answer, saying which to compare with
     */
    public static void requirePairwise(Metric metric) {
        if (!metric.pairwise()) {
            throw new IllegalArgumentException("metric '" + metric.name() + "' grades one answer, not a pair: compare with a pairwise metric,"
                    + " e.g. Metrics.pairwisePreference() or one built with Metric.pairwiseBuilder");
        }
    }

    /** For the candidate, what the candidate-first order said: 3 prefers it, 2 ties, 1 prefers the reference. */
    private int candidateFirstSays() {
        return candidateFirst.score();
    }

    /** For the candidate, what the reference-first order said, on the same scale (its score read the other way round). */
    private int referenceFirstSays() {
        return Metric.PAIRWISE_FIRST_BETTER + Metric.PAIRWISE_SECOND_BETTER - referenceFirst.score();
    }

    /**
     * A win only when both orders prefer the candidate, a loss only when both prefer the reference, else a tie; with several
     * samples per order, the median of the samples' preferences, each sample's from the same sample of both orders.
     */
    public Preference preference() {
        return Preference.ofScore(sampling().median());
    }

    /** What one sample of each order comes to, as a pairwise score for the candidate. */
    private static int bothOrders(int candidateFirstScore, int referenceFirstScore) {
        Preference first = Preference.ofScore(candidateFirstScore);
        Preference second = Preference.ofScore(Metric.PAIRWISE_FIRST_BETTER + Metric.PAIRWISE_SECOND_BETTER - referenceFirstScore);
        return (first != Preference.TIE && first == second ? first : Preference.TIE).score();
    }

    /**
     * The samples of the comparison: sample {@code i} of both orders makes sample {@code i} of the comparison (as many as the
     * order with fewer has), so that a comparison whose samples come to different preferences is unstable like any check.
     */
    private Sampling sampling() {
        Sampling first = candidateFirst.sampling();
        Sampling second = referenceFirst.sampling();
        if (first.samples().size() == 1 || second.samples().size() == 1) {
            return Sampling.single(bothOrders(candidateFirst.score(), referenceFirst.score()), "both orders");
        }
        int count = Math.min(first.samples().size(), second.samples().size());
        List<Sampling.Sample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            samples.add(new Sampling.Sample(bothOrders(first.samples().get(i).score(), second.samples().get(i).score()),
                    "sample " + (i + 1) + " of both orders"));
        }
        int asked = Math.max(first.asked(), second.asked());
        return new Sampling(asked, first.drawn(), count < asked, samples);
    }

    /** Whether the two orders came to different preferences: the verdict followed the order of the answers. */
    public boolean positionInconsistent() {
        return Preference.ofScore(candidateFirstSays()) != Preference.ofScore(referenceFirstSays());
    }

    /**
     * The comparison as one verdict on the metric's scale, for the candidate (3 a win, 2 a tie, 1 a
     * loss): its justification gives each order's judgement and verdict file, and says so when the
     * orders disagree; its tokens are those of {@link PartsUsage#of the orders judged in this run}.
     */
    public Verdict verdict() {
        Preference preference = preference();
        String justification = preference.name().toLowerCase(java.util.Locale.ROOT)
                + (positionInconsistent() ? " (" + POSITION_INCONSISTENT + ": the two orders disagree)" : "") + ". "
                + CANDIDATE_FIRST + said(candidateFirst, true) + " Reference shown first: " + said(referenceFirst, false);
        Sampling sampling = sampling();
        if (sampling.drawn() == Sampling.Drawn.SINGLE) {
            sampling = Sampling.single(preference.score(), justification);
        }
        return new Verdict(metric.name(), metric.version(), preference.score(), Metric.PAIRWISE_SECOND_BETTER, Metric.PAIRWISE_FIRST_BETTER,
                justification, candidateFirst.judgeModel(), candidateFirst.parameters(), candidateFirst.cacheKey(),
                candidateFirst.cached() && referenceFirst.cached(), candidateFirst.cacheFile(),
                candidateFirst.latency().plus(referenceFirst.latency()), PartsUsage.of(List.of(candidateFirst, referenceFirst)), sampling);
    }

    /** Whether a verdict's justification is that of a comparison ({@link #verdict()}), so its ground truth is the reference answer. */
    public static boolean isComparison(String justification) {
        return justification != null && justification.contains(". " + CANDIDATE_FIRST);
    }

    /** Whether a comparison's justification (as {@link #verdict()} writes it) says its two orders disagreed. */
    public static boolean isPositionInconsistent(String justification) {
        return isComparison(justification) && justification.contains(" (" + POSITION_INCONSISTENT + ": ");
    }

    private static String said(Verdict verdict, boolean candidateFirst) {
        int score = verdict.score();
        String choice = score == Metric.PAIRWISE_TIE ? "a tie" : (score == Metric.PAIRWISE_FIRST_BETTER) == candidateFirst
                ? "prefers the candidate" : "prefers the reference";
        return choice + " (score " + score + (verdict.cacheFile() == null ? "" : ", " + verdict.cacheFile()) + "): "
                + verdict.justification().strip() + (candidateFirst ? " " : "");
    }
}
