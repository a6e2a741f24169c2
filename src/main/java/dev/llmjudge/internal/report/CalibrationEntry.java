package dev.llmjudge.internal.report;

import dev.llmjudge.calibration.Calibration;
import dev.llmjudge.calibration.JudgedCase;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.check.CalibrationOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A calibration of the judge against human labels as the report shows it (the {@code calibrations}
 * of {@code report.json}): its figures, confusion matrix, bounds and worst disagreements, or for an
 * error or a skip its message. Every text is redacted.
 *
 * @param outcome {@code PASSED}, {@code FAILED}, {@code NO_BOUND}, {@code ERROR} or {@code SKIPPED}
 * @param rows the labelled rows, {@code null} without figures
 * @param judged the rows judged in this run; {@code cached} those read from the verdict cache
 * @param tokens the tokens of the rows judged in this run, but for the replies whose server reported no usage
 * @param unreportedReplies the replies of the rows judged in this run that came without {@code usage}: their tokens are
 *        unknown, not 0; {@code null} without figures
 * @param figures {@code null} without figures
 * @param labellers the labellers' own agreement, {@code null} with one label per row or without figures
 * @param matrix rows: human score, columns: judge score; {@code null} without figures
 * @param disagreements the rows where judge and people differ, furthest apart first, at most {@value #DISAGREEMENTS_LISTED}
 */
public record CalibrationEntry(
        String id,
        String testId,
        String testName,
        String description,
        String outcome,
        String metric,
        String metricVersion,
        int minScore,
        int maxScore,
        String dataset,
        Integer rows,
        Integer judged,
        Integer cached,
        String judgeModel,
        Long tokens,
        Integer unreportedReplies,
        Figures figures,
        Labellers labellers,
        Matrix matrix,
        List<CalibrationOutcome.Bound> bounds,
        List<Disagreement> disagreements,
        String errorMessage,
        String at) {

    /** Disagreeing rows listed at most; the figures count them all. */
    public static final int DISAGREEMENTS_LISTED = 20;

    public CalibrationEntry {
        bounds = bounds == null ? List.of() : List.copyOf(bounds);
        disagreements = disagreements == null ? List.of() : List.copyOf(disagreements);
    }

    /** Judge against the median human score; an undefined coefficient is {@code null} with the reason beside it. */
    public record Figures(double exactAgreement, int exactMatches, double agreementWithinOne, int withinOneMatches, Double weightedKappa,
            String weightedKappaUndefined, Double spearman, String spearmanUndefined) {
    }

    /** The labellers' own agreement: mean pairwise quadratic-weighted kappa and exact agreement. */
    public record Labellers(int labellers, int rows, Double meanPairwiseKappa, String meanPairwiseKappaUndefined, double exactAgreement) {
    }

    /** {@code counts.get(h).get(j)}: rows with human score {@code levels.get(h)} and judge score {@code levels.get(j)}. */
    public record Matrix(List<Integer> levels, List<List<Integer>> counts) {
        public Matrix {
            levels = levels == null ? List.of() : List.copyOf(levels);
            counts = counts == null ? List.of() : counts.stream().map(List::copyOf).toList();
        }
    }

    /** A row where judge and people differ. */
    public record Disagreement(String row, String id, List<Integer> humanScores, int humanScore, int judgeScore, String answer,
            String justification) {
    }

    /** The entry of a calibration as last published. */
    public static CalibrationEntry of(CalibrationOutcome outcome) {
        CheckRecorder.TestIdentity test = outcome.test();
        Calibration c = outcome.calibration();
        String testId = test == null ? null : test.id();
        String testName = test == null ? null : test.name();
        String at = Instant.now().toString();
        if (c == null) {
            return new CalibrationEntry(outcome.id(), testId, testName, outcome.description(), outcome.status().name(), outcome.metric().name(),
                    outcome.metric().version(), outcome.metric().minScore(), outcome.metric().maxScore(), outcome.dataset(), null, null, null,
                    null, null, null, null, null, null, outcome.bounds(), List.of(), outcome.message(), at);
        }
        List<JudgedCase> cases = c.cases();
        int cached = (int) cases.stream().filter(r -> r.verdict().cached()).count();
        long tokens = cases.stream().filter(r -> !r.verdict().cached()).mapToLong(r -> r.verdict().usage().totalTokens()).sum();
        int unreported = cases.stream().filter(r -> !r.verdict().cached()).mapToInt(r -> r.verdict().usage().unreportedReplies()).sum();
        String models = Secrets.redact(cases.stream().map(r -> r.verdict().judgeModel()).distinct().collect(Collectors.joining(", ")));
        Figures figures = new Figures(c.exactAgreement(), c.exactMatches(), c.agreementWithinOne(), c.withinOneMatches(),
                c.weightedKappa().value(), c.weightedKappa().undefinedBecause(), c.spearman().value(), c.spearman().undefinedBecause());
        Labellers labellers = c.labellerAgreement().map(l -> new Labellers(l.labellers(), l.rows(), l.meanPairwiseKappa().value(),
                l.meanPairwiseKappa().undefinedBecause(), l.exactAgreement())).orElse(null);
        Matrix matrix = new Matrix(c.confusionMatrix().levels(), c.confusionMatrix().counts());
        List<Disagreement> worst = c.worstDisagreements(DISAGREEMENTS_LISTED).stream().map(r -> new Disagreement(r.labelled().where(),
                Secrets.redact(r.labelled().id()), r.labelled().humanScores(), r.humanScore(), r.judgeScore(),
                Secrets.redact(r.labelled().evaluationCase().answer()),
                Secrets.redact(r.verdict().justification()))).toList();
        return new CalibrationEntry(outcome.id(), testId, testName, outcome.description(), outcome.status().name(), c.metric().name(),
                c.metric().version(), c.metric().minScore(), c.metric().maxScore(), outcome.dataset(), c.size(), c.size() - cached, cached,
                models, tokens, unreported, figures, labellers, matrix, outcome.bounds(), worst, outcome.message(), at);
    }
}
