package dev.llmjudge.internal.check;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A candidate answer compared with a reference answer on a pairwise metric, judged in both orders:
 * the candidate shown first, then the reference shown first. The candidate wins only when both
 * orders prefer it and loses only when both prefer the reference; anything else is a tie, and a tie
 * where the two orders disagree is position-inconsistent (the judge's choice followed the order,
 * not the answers). With several samples, an order prefers what more than half of its samples
 * prefer, and is a tie otherwise ({@link #says}): each order is decided on its own, from all of its
 * samples, however many it drew before its early stop.
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
    /** What follows the preference in the justification of a comparison whose orders disagreed. */
    private static final String INCONSISTENT_NOTE = " (" + POSITION_INCONSISTENT + ": the two orders disagree)";
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

    /**
     * For the candidate, what an order comes to: the preference more than half of its samples have (read for the candidate:
     * a reference-first sample that prefers the first answer prefers the reference), else a tie. With one sample, or an odd
     * number, it is the preference of the order's median, its verdict's score; with an even number it does not depend on
     * which of the two middle samples is taken (the lower one on the order's own scale is the upper one on the candidate's),
     * so that swapping candidate and reference mirrors the comparison. The early stop keeps it exact:
     * {@link Sampling#mayStopEarly} draws a pairwise order until neither middle score can change, nor (its samples
     * already preferring the first answer and the second) which preferences its samples have, so a comparison's samples
     * are as unstable as those of a full draw.
     */
    static Preference says(Verdict order, boolean candidateFirst) {
        List<Sampling.Sample> samples = order.sampling().samples();
        long wins = samples.stream().filter(s -> forCandidate(s.score(), candidateFirst) == Preference.WIN).count();
        long losses = samples.stream().filter(s -> forCandidate(s.score(), candidateFirst) == Preference.LOSS).count();
        return wins * 2 > samples.size() ? Preference.WIN : losses * 2 > samples.size() ? Preference.LOSS : Preference.TIE;
    }

    /** For the candidate, what one score of an order says: the reference-first order's is read the other way round. */
    private static Preference forCandidate(int score, boolean candidateFirst) {
        return Preference.ofScore(candidateFirst ? score : Metric.PAIRWISE_FIRST_BETTER + Metric.PAIRWISE_SECOND_BETTER - score);
    }

    /** What two orders' preferences for the candidate come to: the one they share, unless it is none or they disagree, a tie. */
    private static Preference bothOrders(Preference candidateFirst, Preference referenceFirst) {
        return candidateFirst == referenceFirst ? candidateFirst : Preference.TIE;
    }

    /**
     * A win only when both orders prefer the candidate, a loss only when both prefer the reference, else a tie; with several
     * samples per order, each order prefers what more than half of its samples prefer ({@link #says}).
     */
    public Preference preference() {
        return bothOrders(says(candidateFirst, true), says(referenceFirst, false));
    }

    /**
     * The samples of the comparison: each sample of each order (candidate first, then reference first), taken with the
     * other order's preference, comes to a win, a tie or a loss. Their median is the comparison's {@link #preference()},
     * and a comparison is unstable when some of them fall on the other side of its threshold: when one sample of an order,
     * in place of that order's preference, would have changed the outcome. A judge that always prefers the first answer is
     * thus a stable tie.
     */
    private Sampling sampling() {
        Sampling first = candidateFirst.sampling();
        Sampling second = referenceFirst.sampling();
        if (first.samples().size() == 1 && second.samples().size() == 1) {
            return Sampling.single(preference().score(), "both orders");
        }
        Preference firstSays = says(candidateFirst, true);
        Preference secondSays = says(referenceFirst, false);
        List<Sampling.Sample> samples = new ArrayList<>();
        for (int i = 0; i < first.samples().size(); i++) {
            samples.add(new Sampling.Sample(bothOrders(forCandidate(first.samples().get(i).score(), true), secondSays).score(),
                    "candidate shown first, sample " + (i + 1)));
        }
        for (int i = 0; i < second.samples().size(); i++) {
            samples.add(new Sampling.Sample(bothOrders(firstSays, forCandidate(second.samples().get(i).score(), false)).score(),
                    "reference shown first, sample " + (i + 1)));
        }
        Sampling.Drawn drawn = first.drawn() == Sampling.Drawn.SEEDS || second.drawn() == Sampling.Drawn.SEEDS
                ? Sampling.Drawn.SEEDS : Sampling.Drawn.N;
        return new Sampling(first.asked() + second.asked(), drawn, first.stoppedEarly() || second.stoppedEarly(), samples);
    }

    /** Whether the two orders came to different preferences: the verdict followed the order of the answers. */
    public boolean positionInconsistent() {
        return says(candidateFirst, true) != says(referenceFirst, false);
    }

    /**
     * The comparison as one verdict on the metric's scale, for the candidate (3 a win, 2 a tie, 1 a
     * loss): its justification gives each order's judgement and verdict file, and says so when the
     * orders disagree; its tokens are those of {@link PartsUsage#of the orders judged in this run}, and its batch theirs
     * ({@link PartsUsage#batchId}).
     */
    public Verdict verdict() {
        Preference preference = preference();
        String justification = preference.name().toLowerCase(Locale.ROOT)
                + (positionInconsistent() ? INCONSISTENT_NOTE : "") + ". "
                + CANDIDATE_FIRST + said(candidateFirst, true) + " Reference shown first: " + said(referenceFirst, false);
        Sampling sampling = sampling();
        if (sampling.drawn() == Sampling.Drawn.SINGLE) {
            sampling = Sampling.single(preference.score(), justification);
        }
        return new Verdict(metric.name(), metric.version(), preference.score(), Metric.PAIRWISE_SECOND_BETTER, Metric.PAIRWISE_FIRST_BETTER,
                justification, candidateFirst.judgeModel(), candidateFirst.parameters(), candidateFirst.cacheKey(),
                candidateFirst.cached() && referenceFirst.cached(), candidateFirst.cacheFile(),
                candidateFirst.latency().plus(referenceFirst.latency()), PartsUsage.of(List.of(candidateFirst, referenceFirst)), sampling,
                PartsUsage.batchId(List.of(candidateFirst, referenceFirst)));
    }

    /**
     * Whether a verdict's justification is that of a comparison ({@link #verdict()}): how a row of a {@code report.json} written
     * before rows had a kind is told to be a comparison's. A row made now knows it from its check.
     */
    public static boolean isComparison(String justification) {
        return head(justification) != null;
    }

    /**
     * Whether a comparison's justification (as {@link #verdict()} writes it) says its two orders disagreed: read from its
     * head, the preference before what each order said, as the judge's own words may hold anything.
     */
    public static boolean isPositionInconsistent(String justification) {
        String head = head(justification);
        return head != null && head.endsWith(INCONSISTENT_NOTE);
    }

    /**
     * The preference a comparison's justification opens with, e.g. {@code tie (position-inconsistent: the two orders disagree)};
     * null when the justification does not open as {@link #verdict()} writes it.
     */
    private static String head(String justification) {
        int end = justification == null ? -1 : justification.indexOf(". " + CANDIDATE_FIRST);
        if (end < 0) {
            return null;
        }
        String head = justification.substring(0, end);
        String preference = head.endsWith(INCONSISTENT_NOTE) ? head.substring(0, head.length() - INCONSISTENT_NOTE.length()) : head;
        return Arrays.stream(Preference.values()).anyMatch(p -> p.name().toLowerCase(Locale.ROOT).equals(preference))
                ? head : null;
    }

    /**
     * What one order said, e.g. {@code prefers the candidate (score 3, <file>): <justification>}; with several samples
     * {@code a tie (samples 3, 1, <file>): ...}, with the justification of the first sample whose preference is the order's.
     */
    private static String said(Verdict verdict, boolean candidateFirst) {
        Preference says = says(verdict, candidateFirst);
        String choice = switch (says) {
            case WIN -> "prefers the candidate";
            case TIE -> "a tie";
            case LOSS -> "prefers the reference";
        };
        List<Sampling.Sample> samples = verdict.sampling().samples();
        String scores = samples.size() == 1 ? "score " + verdict.score()
                : "samples " + String.join(", ", samples.stream().map(s -> String.valueOf(s.score())).toList());
        String justification = samples.size() == 1 ? verdict.justification() : samples.stream()
                .filter(s -> forCandidate(s.score(), candidateFirst) == says).map(Sampling.Sample::justification).findFirst()
                .orElse(verdict.justification());
        return choice + " (" + scores + (verdict.cacheFile() == null ? "" : ", " + verdict.cacheFile()) + "): "
                + justification.strip() + (candidateFirst ? " " : "");
    }
}
