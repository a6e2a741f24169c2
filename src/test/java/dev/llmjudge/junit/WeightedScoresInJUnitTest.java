package dev.llmjudge.junit;

import static dev.llmjudge.junit.FixtureRuns.entriesOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.llmjudge.config.UnstableLimit;
import dev.llmjudge.internal.check.Check;
import dev.llmjudge.internal.check.CheckOutcome;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.ScoreDistribution;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.junit.fixtures.WeightedFixtures;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Scored;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Checks scored by probabilities in JUnit: the report entry shows the weighted score and the
 * distribution, a class's mean gate compares the weighted scores (4.2 passes a bound of 4 and
 * fails one of 4.5), and a max-unstable gate names the weighted samples. The judge gives every
 * check the distribution 3: 0.1, 4: 0.6, 5: 0.3.
 */
class WeightedScoresInJUnitTest {
    static OpenAiCompatibleServer server;

    @TempDir
    Path cache;

    @BeforeAll
    static void startJudge() {
        server = OpenAiCompatibleServer.start()
                .otherwise(request -> Reply.withLogprobs(new Scored(4, "Close.", Map.of(4, 0.6, 5, 0.3, 3, 0.1))));
    }

    @AfterAll
    static void stopJudge() {
        server.close();
    }

    @Test
    void should_publish_the_weighted_score_and_the_distribution_in_the_report_entry() {
        EngineExecutionResults results = FixtureRuns.run(WeightedFixtures.MeanOfFour.class, FixtureRuns.params(server, cache));

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(entriesOf(results, "capital()")).singleElement().satisfies(entry -> assertThat(entry)
                .containsEntry("outcome", "PASSED").containsEntry("score", "4").containsEntry("weightedScore", "4.2")
                .containsEntry("threshold", "4").containsEntry("probabilities", "3: 0.10, 4: 0.60, 5: 0.30"));
    }

    @Test
    void should_gate_the_mean_of_the_weighted_scores() {
        EngineExecutionResults atFour = FixtureRuns.run(WeightedFixtures.MeanOfFour.class, FixtureRuns.params(server, cache));
        atFour.containerEvents().assertThatEvents().haveExactly(1, event(FixtureRuns.classContainer(WeightedFixtures.MeanOfFour.class),
                finishedSuccessfully()));

        EngineExecutionResults atFourAndAHalf = FixtureRuns.run(WeightedFixtures.MeanOfFourAndAHalf.class, FixtureRuns.params(server, cache));
        atFourAndAHalf.containerEvents().assertThatEvents().haveExactly(1, event(
                FixtureRuns.classContainer(WeightedFixtures.MeanOfFourAndAHalf.class), finishedWithFailure(instanceOf(AssertionError.class),
                        message("quality gate failed for WeightedFixtures.MeanOfFourAndAHalf: mean answer_similarity 4.20 is below 4.5"
                                + " (1 scored, 0 errors)"))));
    }

    @Test
    void should_name_an_unstable_check_by_its_weighted_samples_and_median_in_a_max_unstable_gate_failure() {
        Sampling sampling = new Sampling(3, Sampling.Drawn.N, false, List.of(
                new Sampling.Sample(4, "A.", new ScoreDistribution(Map.of(3, 0.1, 4, 0.6, 5, 0.3))),
                new Sampling.Sample(5, "B.", new ScoreDistribution(Map.of(4, 0.5, 5, 0.5))),
                new Sampling.Sample(4, "C.", new ScoreDistribution(Map.of(3, 0.2, 4, 0.8)))));
        Verdict verdict = new Verdict("answer_similarity", "v1", 4, 1, 5, "A.", "m", Map.of(), null, false, null, null, null, sampling);
        Check check = Check.made(null, Metrics.answerSimilarity(), EvaluationCase.ofAnswer("Paris.").withGroundTruth("Paris"), 4);
        ReportRow row = ReportRow.of(CheckOutcome.of(check, verdict));

        assertThat(Gates.unstable("CLASS", "Bot", null, null, UnstableLimit.parse("0"), List.of(row))).satisfies(gate -> assertThat(gate.message())
                .startsWith("quality gate failed for Bot: 1 of 1 judged checks is unstable, more than the 0 allowed (their samples fall on"
                        + " both sides of the threshold):\n  answer_similarity samples 4.20, 4.50, 3.80 (median 4.20, threshold 4): "));
    }
}
