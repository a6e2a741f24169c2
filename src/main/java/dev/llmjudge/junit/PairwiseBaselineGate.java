package dev.llmjudge.junit;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.Texts;
import dev.llmjudge.internal.check.Check;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.internal.check.PairwiseJudgement;
import dev.llmjudge.internal.report.CaseIds;
import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The "no worse than main" gate ({@code llmjudge.gate.pairwise-baseline=true} with
 * {@code llmjudge.report.baseline}): when a test class ends, each of its cases found in the
 * baseline report ({@link CaseIds}) has its answer compared with the baseline's answer for the
 * same case on {@code pairwise_preference}, judged in both orders; the class fails when the share
 * of cases that lose is above {@code llmjudge.gate.max-loss-rate}, or when a comparison could not
 * be judged. Each comparison is published as a check of its test (so the report lists it, both
 * answers side by side); a case whose answer did not change ties without a request. It runs with
 * the class's other gates, not at the end of the run, so that a loss fails the class in JUnit.
 */
final class PairwiseBaselineGate {
    /** The ordinal of a baseline comparison among its test's checks of the pairwise metric: none a test makes itself. */
    static final int ORDINAL = 0;
    /** The description of a baseline comparison's row. */
    static final String DESCRIPTION = "compared with the baseline's answer";

    private PairwiseBaselineGate() {
    }

    /** A case compared: its row now, the baseline's answer, and what it came to ({@code null} judgement: the same answer). */
    private record Compared(ReportRow now, String before, PairwiseJudgement judgement) {
        PairwiseJudgement.Preference preference() {
            return judgement == null ? PairwiseJudgement.Preference.TIE : judgement.preference();
        }
    }

    /** The gate over a class's rows; not evaluated when off, without a baseline report, or without rows. */
    static Optional<GateResult> evaluate(String label, String testId, LlmJudgeRuntime runtime, List<ReportRow> rows,
            Function<Path, Optional<List<ReportRow>>> baselines) {
        LlmJudgeConfig config = runtime.config();
        Optional<Path> file = config.report().baseline();
        if (!config.pairwiseGate().enabled() || file.isEmpty() || rows.isEmpty()) {
            return Optional.empty();
        }
        Optional<List<ReportRow>> baseline = baselines.apply(file.get());
        if (baseline.isEmpty()) {
            return Optional.empty();
        }
        Map<String, ReportRow> before = new LinkedHashMap<>();
        for (ReportRow row : baseline.get()) {
            if (comparable(row)) {
                before.putIfAbsent(CaseIds.of(row), row);
            }
        }
        Metric metric = Metrics.pairwisePreference();
        List<Compared> compared = new ArrayList<>();
        List<String> notCompared = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ReportRow now : rows) {
            ReportRow earlier = comparable(now) ? before.get(CaseIds.of(now)) : null;
            if (earlier == null || !seen.add((now.caseKey() != null ? now.caseKey() : CaseIds.of(now)) + "\u0000" + earlier.answer())) {
                continue;
            }
            if (now.answer().equals(earlier.answer())) {
                compared.add(new Compared(now, earlier.answer(), null));
                continue;
            }
            String question = now.question() != null ? now.question() : earlier.question();
            if (question == null || question.isBlank()) {
                notCompared.add(name(now) + " (its checks name no question: add withQuestion(question))");
                continue;
            }
            Check check = new Check(new CheckRecorder.TestIdentity(now.testId(), now.testName(), now.caseKey(), now.dataset()), ORDINAL,
                    DESCRIPTION, metric, new EvaluationCase(question, now.answer(), earlier.answer(), null), Metric.PAIRWISE_TIE);
            try {
                PairwiseJudgement judgement = PairwiseJudgement.judge(runtime.judge(), metric, question, now.answer(), earlier.answer(), 0);
                CheckRecorder.publish(CheckOutcome.of(check, judgement.verdict()));
                compared.add(new Compared(now, earlier.answer(), judgement));
            } catch (JudgeException e) {
                CheckRecorder.publish(new CheckOutcome.Errored(check, e.reason(), e.getMessage()));
                errors.add(name(now) + ": " + e.getMessage());
            }
        }
        return Optional.of(result(label, testId, file.get(), config.pairwiseGate().maxLossRate(), compared, notCompared, errors));
    }

    /** A row whose answer can be compared: judged (not skipped), with an answer, and not itself a baseline comparison. */
    private static boolean comparable(ReportRow row) {
        return !row.skipped() && row.answer() != null && row.ordinal() != ORDINAL;
    }

    private static GateResult result(String label, String testId, Path baseline, double maxLossRate, List<Compared> compared,
            List<String> notCompared, List<String> errors) {
        long wins = compared.stream().filter(c -> c.preference() == PairwiseJudgement.Preference.WIN).count();
        List<Compared> losses = compared.stream().filter(c -> c.preference() == PairwiseJudgement.Preference.LOSS).toList();
        long ties = compared.size() - wins - losses.size();
        long inconsistent = compared.stream().filter(c -> c.judgement() != null && c.judgement().positionInconsistent()).count();
        double rate = compared.isEmpty() ? 0 : (double) losses.size() / compared.size();
        boolean passed = rate <= maxLossRate && errors.isEmpty();
        StringBuilder message = new StringBuilder("quality gate " + (passed ? "passed" : "failed") + " for " + label + ": ");
        message.append(losses.size()).append(" of ").append(compared.size()).append(compared.size() == 1 ? " case" : " cases")
                .append(" (").append(GateResult.percent(rate)).append(") lose to the baseline's answers, ")
                .append(rate <= maxLossRate ? "at most" : "more than").append(" the ").append(GateResult.percent(maxLossRate))
                .append(" allowed (").append(wins).append(wins == 1 ? " win, " : " wins, ").append(ties).append(ties == 1 ? " tie" : " ties")
                .append(inconsistent == 0 ? "" : ", " + inconsistent + " of them position-inconsistent").append(", ").append(losses.size())
                .append(losses.size() == 1 ? " loss" : " losses").append("; judged pairwise in both orders against ").append(baseline).append(')');
        if (!passed && !losses.isEmpty()) {
            message.append(':');
            for (Compared c : losses) {
                message.append("\n  ").append(name(c.now()))
                        .append("\n    baseline answer: ").append(Texts.quoted(c.before(), Gates.ANSWER_LIMIT))
                        .append("\n    answer now:      ").append(Texts.quoted(c.now().answer(), Gates.ANSWER_LIMIT));
            }
        }
        if (!errors.isEmpty()) {
            message.append("\n  could not be judged, so the gate cannot pass:");
            errors.forEach(e -> message.append("\n  ").append(e));
        }
        if (!notCompared.isEmpty()) {
            message.append("\n  not compared: ").append(String.join("; ", notCompared));
        }
        return new GateResult(GateResult.PAIRWISE_BASELINE, label, testId, Metrics.pairwisePreference().name(), "loss rate",
                compared.isEmpty() ? null : rate, GateResult.Relation.AT_MOST, maxLossRate, true, passed, message.toString());
    }

    private static String name(ReportRow row) {
        return row.testName() != null ? row.testName() : "answer " + Texts.quoted(row.answer(), Gates.ANSWER_LIMIT);
    }
}
