package dev.llmjudge.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.runtime.RunBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
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
    void should_name_in_the_junit_guide_only_keys_of_the_table_with_their_variables_and_defaults() throws IOException {
        List<List<String>> rows = tableAfter(Files.readString(Path.of("docs/junit.md")), "| key | environment variable | default | meaning |");
        Map<String, Key<?>> keys = LlmJudgeConfig.keys().stream().collect(Collectors.toMap(Key::name, Function.identity()));

        assertThat(rows).as("rows of docs/junit.md's table of keys").hasSizeGreaterThan(10);
        for (List<String> row : rows) {
            String name = row.get(0).replace("`", "");
            assertThat(keys).as("docs/junit.md names %s", name).containsKey(name);
            Key<?> key = keys.get(name);
            assertThat(row.get(1)).as("environment variable of %s", name).isEqualTo("`" + key.environmentVariable() + "`");
            if (key.defaultValue() != null) {
                assertThat(row.get(2)).as("default of %s", name).isEqualTo("`" + key.defaultValue() + "`");
            } else {
                assertThat(row.get(2)).as("default of %s", name).matches("unset.*|derived.*");
            }
        }
    }

    @Test
    void should_name_in_the_junit_guide_only_keys_that_the_annotation_attributes_override() throws IOException {
        List<List<String>> rows = tableAfter(Files.readString(Path.of("docs/junit.md")), "| attribute | overrides | example |");
        List<String> names = LlmJudgeConfig.keys().stream().map(Key::name).toList();

        assertThat(rows).as("rows of docs/junit.md's table of @LlmJudgeTest's attributes").isNotEmpty();
        for (List<String> row : rows) {
            assertThat(names).as("key %s overridden by %s", row.get(1), row.get(0)).contains(row.get(1).replace("`", ""));
        }
    }

    /** The rows of the Markdown table under {@code header} (its separator line left out), each row's cells stripped. */
    private static List<List<String>> tableAfter(String markdown, String header) {
        int start = markdown.indexOf(header + "\n");
        assertThat(start).as("table headed %s", header).isNotNegative();
        return markdown.substring(start).lines().skip(2).takeWhile(line -> line.startsWith("|"))
                .map(line -> Arrays.stream(line.substring(1, line.length() - 1).split(" \\| ")).map(String::strip).toList()).toList();
    }

    @Test
    void should_give_the_judge_settings_and_the_run_budget_their_defaults() {
        JudgeConfig defaults = LlmJudgeConfig.defaults().judge();

        assertThat(defaults.model()).isEqualTo("gpt-4.1");
        assertThat(RunBudget.builder().build().spent().maxInputTokens()).isEqualTo(defaults.maxInputTokens()).isEqualTo(100_000);
    }
}
