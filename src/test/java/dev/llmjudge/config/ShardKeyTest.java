package dev.llmjudge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code llmjudge.shard=K/N}: its parser, its errors, and the stable hash that puts a class in a shard. */
class ShardKeyTest {

    private static LlmJudgeConfig resolve(Map<String, String> parameters, Map<String, String> env) {
        return LlmJudgeConfig.resolve(ConfigSources.of(parameters, env));
    }

    @Test
    void should_keep_every_class_without_the_key() {
        assertThat(resolve(Map.of(), Map.of()).shard()).isEmpty();
    }

    @Test
    void should_read_k_of_n_from_a_parameter_or_its_environment_variable() {
        assertThat(resolve(Map.of("llmjudge.shard", "2/3"), Map.of()).shard()).hasValue(new Shard(2, 3));
        assertThat(resolve(Map.of(), Map.of("LLMJUDGE_SHARD", " 3 / 3 ")).shard()).hasValue(new Shard(3, 3));
        assertThat(new Shard(2, 3)).hasToString("2/3");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "0/3; expected K/N with K from 1 to 3: shards are counted from 1 (1/3 is the first)",
        "4/3; expected K/N with K from 1 to 3: there is no shard 4 of 3",
        "a/b; expected K/N, the shard K of N shards counted from 1, e.g. 2/3 for the second of three",
        "2; expected K/N, the shard K of N shards counted from 1, e.g. 2/3 for the second of three",
        "1/0; expected K/N with N, the number of shards, at least 1"})
    void should_refuse_a_malformed_value_saying_what_is_expected(String value, String expected) {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> resolve(Map.of("llmjudge.shard", value), Map.of()));

        assertThat(e.key()).isEqualTo("llmjudge.shard");
        assertThat(e.getMessage()).isEqualTo("invalid value '" + value + "' for llmjudge.shard: " + expected
                + " (set by -Dllmjudge.shard, junit-platform.properties or LLMJUDGE_SHARD)");
    }

    @Test
    void should_put_a_class_in_the_shard_its_sha_256_gives_on_any_machine() {
        // The SHA-256 of the name as a number, mod N, plus 1; e.g. printf %s com.example.Outer | sha256sum, mod 3 is 2.
        assertThat(Shard.of("com.example.SupportBotTest", 3)).isEqualTo(1);
        assertThat(Shard.of("com.example.SupportBotTest", 7)).isEqualTo(7);
        assertThat(Shard.of("com.example.Outer", 3)).isEqualTo(3);
        assertThat(Shard.of("com.example.Outer", 7)).isEqualTo(2);
        assertThat(Shard.of("com.example.Outer", 1)).isEqualTo(1);
    }

    @Test
    void should_hold_each_class_in_exactly_one_of_the_shards() {
        List<String> classes = IntStream.range(0, 300).mapToObj(i -> "com.example.Generated" + i + "Test").toList();
        Map<String, Integer> holders = new HashMap<>();
        for (int k = 1; k <= 4; k++) {
            Shard shard = new Shard(k, 4);
            classes.stream().filter(shard::holds).forEach(c -> holders.merge(c, 1, Integer::sum));
        }

        assertThat(holders).hasSize(classes.size()).allSatisfy((c, count) -> assertThat(count).as(c).isEqualTo(1));
        assertThat(IntStream.rangeClosed(1, 4).map(k -> (int) classes.stream().filter(new Shard(k, 4)::holds).count()))
                .as("300 classes over 4 shards, none far from 75").allMatch(n -> n > 45 && n < 105);
    }
}
