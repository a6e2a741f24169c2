package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunIdsTest {

    @Test
    void should_take_a_configured_run_id_made_safe_for_a_directory_name() {
        assertThat(RunIds.current(Optional.of(" ci 1234/2 "))).isEqualTo("run-ci_1234_2");
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
}
