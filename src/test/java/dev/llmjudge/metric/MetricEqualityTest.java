package dev.llmjudge.metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Metrics, rubric levels and examples are equal when every component is: what the prompt and key caches rely on. */
class MetricEqualityTest {
    private static final List<GradingLevel> RUBRIC = List.of(new GradingLevel(1, "No."), new GradingLevel(2, "Yes."));
    private static final Example EXAMPLE = new Example("Q?", "A.", "T.", "C.", 2, "Right.");

    private static Metric metric(String name, String version, String definition, List<GradingLevel> rubric, List<Example> examples,
            Set<Field> fields, String model, Integer pass) {
        return new Metric(name, version, definition, rubric, examples, fields, model, pass);
    }

    private static Metric base() {
        return metric("tone", "v1", "Is it polite?", RUBRIC, List.of(EXAMPLE), Set.of(Field.INPUT, Field.TARGET, Field.CONTEXT), "m", 2);
    }

    @Test
    void should_be_equal_with_the_same_hash_when_every_component_is_equal() {
        Metric copy = metric("tone", "v1", "Is it polite?", List.of(new GradingLevel(1, "No."), new GradingLevel(2, "Yes.")),
                List.of(new Example("Q?", "A.", "T.", "C.", 2, "Right.")), Set.of(Field.CONTEXT, Field.TARGET, Field.INPUT), "m", 2);

        assertThat(copy).isEqualTo(base()).hasSameHashCodeAs(base());
        assertThat(new GradingLevel(2, "Yes.")).isEqualTo(RUBRIC.get(1)).hasSameHashCodeAs(RUBRIC.get(1));
        assertThat(new Example("Q?", "A.", "T.", "C.", 2, "Right.")).isEqualTo(EXAMPLE).hasSameHashCodeAs(EXAMPLE);
        assertThat(new Example(null, "A.", null, null, 2, "Right.")).isEqualTo(new Example(null, "A.", null, null, 2, "Right."));
    }

    @Test
    void should_differ_when_any_component_differs() {
        Set<Field> fields = Set.of(Field.INPUT, Field.TARGET, Field.CONTEXT);
        List<Example> examples = List.of(EXAMPLE);
        assertThat(List.of(
                metric("tone2", "v1", "Is it polite?", RUBRIC, examples, fields, "m", 2),
                metric("tone", "v2", "Is it polite?", RUBRIC, examples, fields, "m", 2),
                metric("tone", "v1", "Is it kind?", RUBRIC, examples, fields, "m", 2),
                metric("tone", "v1", "Is it polite?", List.of(new GradingLevel(1, "No."), new GradingLevel(2, "Yes!")), examples, fields, "m", 2),
                metric("tone", "v1", "Is it polite?", RUBRIC, List.of(), fields, "m", 2),
                metric("tone", "v1", "Is it polite?", RUBRIC, examples, Set.of(Field.INPUT), "m", 2),
                metric("tone", "v1", "Is it polite?", RUBRIC, examples, fields, null, 2),
                metric("tone", "v1", "Is it polite?", RUBRIC, examples, fields, "m", null)))
                .allSatisfy(other -> assertThat(other).isNotEqualTo(base()));
        assertThat(List.of(new Example("Q", "A.", "T.", "C.", 2, "Right."), new Example("Q?", "B.", "T.", "C.", 2, "Right."),
                new Example("Q?", "A.", "U.", "C.", 2, "Right."), new Example("Q?", "A.", "T.", "D.", 2, "Right."),
                new Example("Q?", "A.", "T.", "C.", 1, "Right."), new Example("Q?", "A.", "T.", "C.", 2, "Wrong.")))
                .allSatisfy(other -> assertThat(other).isNotEqualTo(EXAMPLE));
        assertThat(new GradingLevel(1, "Yes.")).isNotEqualTo(RUBRIC.get(1));
        assertThat(new GradingLevel(2, "No.")).isNotEqualTo(RUBRIC.get(1));
    }
}
