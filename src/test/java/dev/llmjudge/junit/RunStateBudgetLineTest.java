package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.config.ConfigSources;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.runtime.RunBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a run's budget is limited, the run ends with one line saying what it spent of it. */
class RunStateBudgetLineTest {
    private static RunBudget.Spent spent(long calls, long failed, long refused, long tokens, Long maxCalls, Long maxTokens) {
        return new RunBudget.Spent(calls, failed, refused, tokens - tokens / 4, tokens / 4, maxCalls, maxTokens, 100_000);
    }

    @Test
    void should_say_what_was_spent_of_each_limit() {
        assertThat(RunState.budgetLine(spent(62, 2, 3, 45_000, 100L, 100_000L))).contains(
                "llm-judge: budget: 62 of 100 judge calls (2 failed), 45,000 of 100,000 tokens; 3 checks refused: the budget was spent");
        assertThat(RunState.budgetLine(spent(1, 0, 0, 150, 5L, null))).contains("llm-judge: budget: 1 of 5 judge calls, 150 tokens");
        assertThat(RunState.budgetLine(spent(1, 0, 0, 150, null, 1_000L))).contains("llm-judge: budget: 1 judge call, 150 of 1,000 tokens");
        assertThat(RunState.budgetLine(spent(4, 0, 1, 600, null, 500L)))
                .contains("llm-judge: budget: 4 judge calls, 600 of 500 tokens; 1 check refused: the budget was spent");
    }

    @Test
    void should_say_nothing_without_a_limit() {
        assertThat(RunState.budgetLine(spent(62, 2, 0, 45_000, null, null))).isEmpty();
    }

    @Test
    void should_print_the_line_when_the_run_ends_with_a_limited_budget() {
        List<String> printed = new ArrayList<>();
        RunState limited = new RunState(printed::add);
        limited.sharedLimits(LlmJudgeRuntime.builder(), config(Map.of(LlmJudgeConfig.BUDGET_MAX_CALLS, "5")));
        RunState unlimited = new RunState(printed::add);
        unlimited.sharedLimits(LlmJudgeRuntime.builder(), config(Map.of()));

        limited.close();
        unlimited.close();

        assertThat(printed).containsExactly("llm-judge: budget: 0 of 5 judge calls, 0 tokens");
    }

    private static LlmJudgeConfig config(Map<String, String> params) {
        return LlmJudgeConfig.resolve(ConfigSources.of(params, Map.of()));
    }
}
