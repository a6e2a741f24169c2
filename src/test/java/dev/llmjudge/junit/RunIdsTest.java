package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmjudge.config.Shard;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunIdsTest {

    @Test
    void should_take_a_configured_run_id_made_safe_for_a_directory_name() {
        assertThat(RunIds.current(Optional.of(" ci 1234/2 "))).isEqualTo("run-ci_1234_2");
    }

    @Test
    void should_name_a_shard_after_its_run_and_give_the_run_back_without_the_shard() {
        String shard = RunIds.current(Optional.of("4711"), Optional.of(new Shard(2, 3)));

        assertThat(shard).isEqualTo("run-4711-shard-2-of-3");
        assertThat(RunIds.withoutShard(shard)).isEqualTo("run-4711");
        assertThat(RunIds.withoutShard("run-4711")).isEqualTo("run-4711");
    }

    @Test
    void should_share_the_surefire_execution_timestamp_in_a_fork() {
        String booter = System.getProperty("surefire.real.class.path");
        assumeTrue(booter != null && booter.contains("surefirebooter-"), "runs in a Surefire fork");

        String id = RunIds.current(Optional.empty());

        assertThat(id).matches("surefire-\\d+");
        // The timestamp Surefire gives the booter jar of every fork of this execution.
        assertThat(booter).contains("surefirebooter-" + id.substring("surefire-".length()) + "_");
    }

    @Test
    void should_note_what_refresh_judged_again_under_the_build_as_well_as_a_configured_run_id_that_may_stay_the_same() {
        String build = RunIds.current(Optional.empty());

        assertThat(RunIds.refreshRun(Optional.of("ci"))).isEqualTo("run-ci-" + build);
        assertThat(RunIds.refreshRun(Optional.empty())).isEqualTo(build);
    }
}
