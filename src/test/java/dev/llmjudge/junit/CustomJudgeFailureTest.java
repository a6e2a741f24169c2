package dev.llmjudge.junit;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.llmjudge.internal.report.JsonReport;
import dev.llmjudge.internal.report.ReportRow;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.junit.fixtures.OnlyThroughEngineTestKit;
import org.assertj.core.api.InstanceOfAssertFactories;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/** A custom judge that fails with an exception of its own: the check is an error row, and the key it quotes is masked. */
class CustomJudgeFailureTest {
    static final String KEY = "sk-custom-judge-canary-1c2d3e4f5a6b";

    /** Scores every answer 5, but throws for one that starts with "Lyon", quoting the key. */
    static final Judge FAILING = new Judge() {
        @Override
        public JudgeFingerprint fingerprint(JudgeRequest request) {
            return new JudgeFingerprint("custom-model", Map.of(), List.of(request.evaluationCase().answer()));
        }

        @Override
        public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
            if (request.evaluationCase().answer().startsWith("Lyon")) {
                throw new IllegalStateException("upstream rejected Authorization: Bearer " + KEY);
            }
            var m = request.metric();
            return new Verdict(m.name(), m.version(), m.maxScore(), m.minScore(), m.maxScore(), "Always top.", fingerprint.model(),
                    fingerprint.parameters(), null, false, null, Duration.ZERO, TokenUsage.NONE);
        }
    };

    @ExtendWith(OnlyThroughEngineTestKit.class)
    public static class WithFailingJudge {
        @RegisterExtension
        static LlmJudgeExtension judge = LlmJudgeExtension.newInstance().apiKey(KEY).judge(FAILING).build();

        @Test
        void judged() {
            assertThatAnswer("Paris.").isSimilarTo("Paris").withScoreAtLeast(4);
        }

        @Test
        void judgeFails() {
            assertThatAnswer("Lyon.").isSimilarTo("Paris").withScoreAtLeast(4);
        }
    }

    @TempDir
    Path cache;

    @TempDir
    Path reports;

    @Test
    void should_report_a_custom_judges_own_exception_as_an_error_row_with_the_key_masked() throws IOException {
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        TestExecutionListener observer = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                result.getThrowable().ifPresent(thrown::add);
            }
        };
        Map<String, String> params = new HashMap<>();
        params.put("llmjudge.cache.dir", cache.toString());
        params.put("llmjudge.report.dir", reports.toString());
        params.put("llmjudge.report.run-id", "custom-judge");

        LauncherRuns.Run run = LauncherRuns.run(Map.of(), params, List.of(observer), WithFailingJudge.class);

        assertThat(run.summary().getTestsFailedCount()).isEqualTo(1);
        assertThat(thrown).singleElement().asInstanceOf(InstanceOfAssertFactories.throwable(JudgeException.class))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(JudgeException.Reason.JUDGE_FAILED))
                .hasMessage("the judge failed with java.lang.IllegalStateException: upstream rejected Authorization: Bearer [REDACTED]"
                        + " (no verdict; the check is an error, never a score)")
                .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain(KEY));
        assertThat(JsonReport.read(reports.resolve("report.json")).rows()).extracting(ReportRow::outcome, ReportRow::errorReason)
                .containsExactlyInAnyOrder(tuple(ReportRow.PASSED, null), tuple(ReportRow.ERROR, "JUDGE_FAILED"));
        assertThat(run.console()).doesNotContain(KEY);
    }
}
