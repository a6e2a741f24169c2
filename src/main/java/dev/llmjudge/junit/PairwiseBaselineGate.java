package dev.llmjudge.junit;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.Texts;
import dev.llmjudge.internal.check.Check;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.internal.check.PairwiseJudgement;
import dev.llmjudge.internal.report.Baseline;
import dev.llmjudge.internal.report.CaseIds;
import dev.llmjudge.internal.report.Figures;
import dev.llmjudge.internal.report.GateResult;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    static final int ORDINAL = Baseline.COMPARISON_ORDINAL;
    /** The description of a baseline comparison's row. */
    static final String DESCRIPTION = "compared with the baseline's answer";

    private PairwiseBaselineGate() {
    }

    /** A case whose answer changed, to be judged: its row now, the baseline's answer and the question. */
    record Pending(ReportRow now, String before, String question) {
    }

    /** A case compared: its row now, the baseline's answer, what it came to, and whether the two orders disagreed. */
    private record Compared(ReportRow now, String before, PairwiseJudgement.Preference preference, boolean inconsistent) {
    }

    /** What judging a changed case came to: a comparison, the error that kept it from one, or neither (collected for a batch). */
    private record Judged(Compared compared, String error) {
    }

    /**
     * The gate over a class's rows at the end of the class, judging each changed case now; not evaluated when off, without a
     * baseline, or without a judged row (none, or all skipped).
     */
    static Optional<GateResult> evaluate(String label, String testId, LlmJudgeRuntime runtime, List<ReportRow> rows,
            Function<Path, Optional<List<ReportRow>>> baselines) {
        return gate(label, testId, runtime.config(), rows, baselines, pending -> judgeNow(runtime, pending));
    }

    /**
     * The gate over a class's rows merged from shard reports: each changed case's comparison is the row its shard
     * published for it, judged again by nobody; a case with none fails the gate.
     */
    static Optional<GateResult> merged(String label, String testId, LlmJudgeConfig config, List<ReportRow> rows,
            Function<Path, Optional<List<ReportRow>>> baselines) {
        return gate(label, testId, config, rows, baselines, pending -> fromRows(rows, pending));
    }

    private static Optional<GateResult> gate(String label, String testId, LlmJudgeConfig config, List<ReportRow> rows,
            Function<Path, Optional<List<ReportRow>>> baselines, Function<List<Pending>, List<Judged>> judging) {
        Optional<Path> file = config.report().baseline();
        // A class none of whose checks was judged (all collected for a batch, or skipped without a key) has no answer to
        // compare: not evaluated, as any gate whose checks were all skipped.
        if (!config.pairwiseGate().enabled() || file.isEmpty() || rows.stream().allMatch(ReportRow::skipped)) {
            return Optional.empty();
        }
        Optional<List<ReportRow>> baseline = baselines.apply(file.get());
        if (baseline.isEmpty()) {
            return Gates.missingBaseline(GateResult.PAIRWISE_BASELINE, label, testId, Metrics.pairwisePreference().name(), "loss rate",
                    GateResult.Relation.AT_MOST, config.pairwiseGate().maxLossRate(), true, config);
        }
        Map<String, ReportRow> before = new LinkedHashMap<>();
        for (ReportRow row : baseline.get()) {
            if (comparable(row)) {
                before.putIfAbsent(CaseIds.of(row), row);
            }
        }
        List<Compared> compared = new ArrayList<>();
        List<String> notCompared = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<Pending> changed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> cases = new HashSet<>();
        for (ReportRow now : rows) {
            if (comparable(now)) {
                cases.add(CaseIds.of(now));
            }
            ReportRow earlier = comparable(now) ? before.get(CaseIds.of(now)) : null;
            if (earlier == null || !seen.add((now.caseKey() != null ? now.caseKey() : CaseIds.of(now)) + "\u0000" + earlier.answer())) {
                continue;
            }
            String question = now.question() != null && !now.question().isBlank() ? now.question() : earlier.question();
            if (now.answer().equals(earlier.answer())) {
                compared.add(new Compared(now, earlier.answer(), PairwiseJudgement.Preference.TIE, false));
            } else if (question == null || question.isBlank()) {
                notCompared.add(name(now) + " (its checks name no question: add withQuestion(question))");
            } else {
                changed.add(new Pending(now, earlier.answer(), question));
            }
        }
        int collected = 0;
        for (Judged judged : judging.apply(changed)) {
            if (judged.compared() != null) {
                compared.add(judged.compared());
            } else if (judged.error() != null) {
                errors.add(judged.error());
            } else {
                collected++;
            }
        }
        if (collected > 0) {
            notCompared.add(collected + (collected == 1 ? " case" : " cases") + " collected for a batch (llmjudge.cache.mode=collect)");
        }
        double maxLossRate = config.pairwiseGate().maxLossRate();
        if (compared.isEmpty() && errors.isEmpty()) {
            // Nothing compared: a class whose cases are all new passes, saying so; one whose cases are in the baseline but
            // could none of them be compared (no question, or collected for a batch) cannot pass on "0 of 0".
            long inBaseline = cases.stream().filter(before::containsKey).count();
            return Optional.of(inBaseline == 0 ? nothingInBaseline(label, testId, file.get(), maxLossRate, cases.size())
                    : noneCompared(label, testId, file.get(), maxLossRate, inBaseline, notCompared));
        }
        return Optional.of(result(label, testId, file.get(), maxLossRate, compared, notCompared, errors));
    }

    private static GateResult nothingInBaseline(String label, String testId, Path baseline, double maxLossRate, int cases) {
        return new GateResult(GateResult.PAIRWISE_BASELINE, label, testId, Metrics.pairwisePreference().name(), "loss rate", null,
                GateResult.Relation.AT_MOST, maxLossRate, true, true, "quality gate passed for " + label + ": "
                        + (cases == 1 ? "its one case is not" : "none of its " + cases + " cases is") + " in the baseline " + baseline + ", so none was compared (new tests, or"
                        + " tests renamed since the baseline)");
    }

    private static GateResult noneCompared(String label, String testId, Path baseline, double maxLossRate, long inBaseline,
            List<String> notCompared) {
        return new GateResult(GateResult.PAIRWISE_BASELINE, label, testId, Metrics.pairwisePreference().name(), "loss rate", null,
                GateResult.Relation.AT_MOST, maxLossRate, true, false, "quality gate failed for " + label + ": no case could be compared"
                        + " with the baseline's answers in " + baseline + ", so the gate cannot pass (" + inBaseline
                        + (inBaseline == 1 ? " case is" : " cases are") + " in the baseline)\n  not compared: " + String.join("; ", notCompared));
    }

    /** Judges the changed cases, all at once, each published as a check of its test. */
    private static List<Judged> judgeNow(LlmJudgeRuntime runtime, List<Pending> changed) {
        Metric metric = Metrics.pairwisePreference();
        List<JudgeRequest> ahead = new ArrayList<>();
        for (Pending c : changed) {
            try {
                ahead.addAll(PairwiseJudgement.requests(metric, c.question(), c.now().answer(), c.before(), 0));
            } catch (IllegalArgumentException e) {
                // reported when the comparison is judged below
            }
        }
        // Judged ahead: a class's comparisons need not wait for each other.
        runtime.prefetch(ahead);
        List<Judged> judged = new ArrayList<>();
        for (Pending c : changed) {
            ReportRow now = c.now();
            Check check = new Check(new CheckRecorder.TestIdentity(now.testId(), now.testName(), now.caseKey(), now.dataset()), ORDINAL,
                    DESCRIPTION, metric, new EvaluationCase(c.question(), now.answer(), c.before(), null), Metric.PAIRWISE_TIE, true);
            try {
                PairwiseJudgement judgement = PairwiseJudgement.judge(runtime.judge(), metric, c.question(), now.answer(), c.before(), 0);
                CheckRecorder.publish(CheckOutcome.of(check, judgement.verdict()));
                judged.add(new Judged(new Compared(now, c.before(), judgement.preference(), judgement.positionInconsistent()), null));
            } catch (JudgeException e) {
                if (e.reason() == JudgeException.Reason.COLLECTED) {
                    // Collected for a batch (llmjudge.cache.mode=collect): not judged yet, so neither a comparison nor an error.
                    CheckRecorder.publish(new CheckOutcome.Skipped(check, e.getMessage()));
                    judged.add(new Judged(null, null));
                    continue;
                }
                CheckRecorder.publish(CheckOutcome.of(check, e, runtime.config().judge().model()));
                judged.add(new Judged(null, name(now) + ": " + e.getMessage()));
            } catch (IllegalArgumentException e) {
                CheckRecorder.publish(new CheckOutcome.Errored(check, JudgeException.Reason.INVALID_INPUT, e.getMessage()));
                judged.add(new Judged(null, name(now) + ": " + e.getMessage()));
            }
        }
        return judged;
    }

    /** Each changed case's comparison as its shard published it: the row of its test comparing the same two answers. */
    private static List<Judged> fromRows(List<ReportRow> rows, List<Pending> changed) {
        List<Judged> judged = new ArrayList<>();
        for (Pending c : changed) {
            Optional<ReportRow> comparison = rows.stream()
                    .filter(r -> r.ordinal() == ORDINAL && DESCRIPTION.equals(r.description()) && Objects.equals(r.testId(), c.now().testId())
                            && Objects.equals(r.answer(), c.now().answer()) && Objects.equals(r.groundTruth(), c.before()))
                    .findFirst();
            if (comparison.isEmpty()) {
                judged.add(new Judged(null, name(c.now()) + ": no shard report holds its comparison with the baseline's answer (run the"
                        + " shards with llmjudge.gate.pairwise-baseline=true and the same llmjudge.report.baseline)"));
            } else if (comparison.get().score() == null) {
                judged.add(new Judged(null, name(c.now()) + ": " + comparison.get().errorMessage()));
            } else {
                ReportRow row = comparison.get();
                judged.add(new Judged(new Compared(c.now(), c.before(), PairwiseJudgement.Preference.ofScore(row.score()),
                        PairwiseJudgement.isPositionInconsistent(row.justification())), null));
            }
        }
        return judged;
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
        long inconsistent = compared.stream().filter(Compared::inconsistent).count();
        double rate = compared.isEmpty() ? 0 : (double) losses.size() / compared.size();
        boolean passed = rate <= maxLossRate && errors.isEmpty();
        StringBuilder message = new StringBuilder("quality gate " + (passed ? "passed" : "failed") + " for " + label + ": ");
        message.append(losses.size()).append(" of ").append(compared.size()).append(compared.size() == 1 ? " case" : " cases")
                .append(" (").append(Figures.percent(rate, RoundingMode.CEILING)).append(") lose to the baseline's answers, ")
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
