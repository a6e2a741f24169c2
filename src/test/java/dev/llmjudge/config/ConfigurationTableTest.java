package dev.llmjudge.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.runtime.RunBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table of keys is the README's configuration table, and the one place of the defaults. */
class ConfigurationTableTest {

    @Test
    void should_be_the_readme_table() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("\n## Configuration\n"), readme.indexOf("\n## Performance\n"));
        List<List<String>> rows = section.lines().filter(line -> line.startsWith("| `llmjudge."))
                .map(line -> Arrays.stream(line.substring(1, line.length() - 1).split(" \\| ")).map(String::strip).toList()).toList();

        assertThat(rows).extracting(row -> row.get(0)).containsExactlyElementsOf(LlmJudgeConfig.keys().stream()
                .map(key -> "`" + key.name() + "`").toList());
        for (int i = 0; i < rows.size(); i++) {
            Key<?> key = LlmJudgeConfig.keys().get(i);
            assertThat(rows.get(i).get(2)).as("meaning of %s", key.name()).isEqualTo(key.description());
            if (key.defaultValue() != null) {
                assertThat(rows.get(i).get(1)).as("default of %s", key.name()).isEqualTo("`" + key.defaultValue() + "`");
            } else {
                assertThat(rows.get(i).get(1)).as("default of %s", key.name()).matches("unset.*|derived.*");
            }
        }
    }

    @Test
    void should_give_the_judge_settings_and_the_run_budget_their_defaults() {
        JudgeConfig defaults = LlmJudgeConfig.defaults().judge();

        assertThat(defaults.model()).isEqualTo("gpt-4.1");
        assertThat(RunBudget.builder().build().spent().maxInputTokens()).isEqualTo(defaults.maxInputTokens()).isEqualTo(100_000);
    }
}
