package dev.llmjudge.internal.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tokens of a check computed from several verdicts, some judged in this run and some replayed. */
class PartsUsageTest {
    private static Verdict part(boolean replayed, long prompt, long reply) {
        return new Verdict("chunk_relevance", "1", 1, 0, 1, "Helps.", "m", Map.of(), null, replayed, null, Duration.ofMillis(1),
                new TokenUsage(prompt, reply, 10));
    }

    @Test
    void should_count_only_the_parts_judged_in_this_run_and_every_part_when_all_were_replayed() {
        assertThat(PartsUsage.of(List.of(part(true, 100, 20), part(false, 200, 30), part(false, 300, 40))))
                .isEqualTo(new TokenUsage(500, 70, 20));
        assertThat(PartsUsage.of(List.of(part(true, 100, 20), part(true, 200, 30)))).isEqualTo(new TokenUsage(300, 50, 20));
    }

    @Test
    void should_add_the_parts_judged_before_a_failure_to_a_copy_of_its_error_leaving_the_error_itself_unchanged() {
        JudgeException failure = new JudgeException(JudgeException.Reason.INVALID_REPLY, "no verdict").withSpent(new TokenUsage(7, 3));

        JudgeException whole = PartsUsage.failedAfter(failure, List.of(part(false, 100, 20), part(true, 200, 30)));

        assertThat(whole).isNotSameAs(failure).hasMessage("no verdict");
        assertThat(whole.reason()).isEqualTo(JudgeException.Reason.INVALID_REPLY);
        assertThat(whole.spent()).isEqualTo(new TokenUsage(107, 23, 10));
        assertThat(failure.spent()).isEqualTo(new TokenUsage(7, 3));
        assertThat(PartsUsage.failedAfter(failure, List.of(part(true, 100, 20)))).isSameAs(failure);
    }
}
