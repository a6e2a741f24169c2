package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The commit and the CI run page a report is headed with: from the environment when it says, else from git, never a failure. */
class BuildCommitTest {
    private static final Map<String, String> ACTIONS = Map.of("GITHUB_SERVER_URL", "https://github.com", "GITHUB_REPOSITORY", "acme/support-bot",
            "GITHUB_RUN_ID", "987654321");

    @Test
    void should_take_the_commit_github_actions_names() {
        assertThat(BuildCommit.of(Map.of("GITHUB_SHA", "0123456789ABCDEF0123456789abcdef01234567")))
                .contains("0123456789abcdef0123456789abcdef01234567");
    }

    @Test
    void should_ask_git_for_the_head_when_the_environment_names_no_commit_or_a_malformed_one() throws Exception {
        // This build runs in a git checkout (its own worktree), where git knows the commit.
        Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(git.waitFor()).as("git rev-parse HEAD: " + head).isZero();

        assertThat(BuildCommit.of(Map.of())).contains(head);
        assertThat(BuildCommit.of(Map.of("GITHUB_SHA", "not a commit; rm -rf /"))).contains(head);
    }

    @Test
    void should_link_the_ci_run_page_only_when_all_three_variables_are_set_and_well_formed() {
        assertThat(BuildCommit.ciRunPage(ACTIONS)).contains("https://github.com/acme/support-bot/actions/runs/987654321");
        assertThat(BuildCommit.ciRunPage(with("GITHUB_SERVER_URL", "https://ghe.example.com/"))).contains(
                "https://ghe.example.com/acme/support-bot/actions/runs/987654321");
        for (Map.Entry<String, String> bad : List.of(Map.entry("GITHUB_SERVER_URL", "javascript:alert(1)"),
                Map.entry("GITHUB_SERVER_URL", "https://github.com?x=1"), Map.entry("GITHUB_REPOSITORY", "acme/bot)](x"),
                Map.entry("GITHUB_RUN_ID", "12 34"))) {
            assertThat(BuildCommit.ciRunPage(with(bad.getKey(), bad.getValue()))).as(bad.toString()).isEmpty();
        }
        Map<String, String> missing = new HashMap<>(ACTIONS);
        missing.remove("GITHUB_RUN_ID");
        assertThat(BuildCommit.ciRunPage(missing)).isEqualTo(Optional.empty());
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> env = new HashMap<>(ACTIONS);
        env.put(key, value);
        return env;
    }
}
