package dev.llmjudge.metric;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetricsTest {

    /** Blank criteria and how a message shows them in the call. */
    static Stream<Arguments> blankCriteria() {
        return Stream.of(Arguments.of("", "\"\""), Arguments.of("   ", "\"   \""), Arguments.of("\n\t", "\"\\n\\t\""));
    }

    static Stream<Arguments> builtIns() {
        return Stream.of(
                Arguments.of(Metrics.answerSimilarity(), "answer_similarity", Set.of(Field.ANSWER, Field.GROUND_TRUTH)),
                Arguments.of(Metrics.answerCorrectness(), "answer_correctness",
                        Set.of(Field.QUESTION, Field.ANSWER, Field.GROUND_TRUTH)),
                Arguments.of(Metrics.faithfulness(), "faithfulness", Set.of(Field.ANSWER, Field.CONTEXT)),
                Arguments.of(Metrics.answerRelevance(), "answer_relevance", Set.of(Field.QUESTION, Field.ANSWER)),
                Arguments.of(Metrics.relevance(), "relevance", Set.of(Field.QUESTION, Field.ANSWER, Field.CONTEXT)));
    }

    // --- built-in metrics

    @ParameterizedTest(name = "{1}")
    @MethodSource("builtIns")
    void should_have_exact_name_and_version_v1(Metric metric, String name, Set<Field> fields) {
        assertThat(metric.name()).isEqualTo(name);
        assertThat(metric.version()).isEqualTo("v1");
        assertThat(metric.definition()).isNotBlank();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("builtIns")
    void should_have_a_rubric_of_five_described_levels(Metric metric, String name, Set<Field> fields) {
        assertThat(metric.rubric()).extracting(GradingLevel::score).containsExactly(1, 2, 3, 4, 5);
        assertThat(metric.rubric()).extracting(GradingLevel::description).allSatisfy(d -> assertThat(d).isNotBlank());
        assertThat(metric.minScore()).isEqualTo(1);
        assertThat(metric.maxScore()).isEqualTo(5);
        assertThat(metric.passThreshold()).isNull();
        assertThat(metric.model()).isEmpty();
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("builtIns")
    void should_require_exactly_its_fields(Metric metric, String name, Set<Field> fields) {
        assertThat(metric.requiredFields()).containsExactlyInAnyOrderElementsOf(fields);
        for (Field field : Field.values()) {
            assertThat(metric.requires(field)).as("%s requires %s", name, field).isEqualTo(fields.contains(field));
        }
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("builtIns")
    void should_have_graded_examples_with_distinct_scores_and_every_required_field(
            Metric metric, String name, Set<Field> fields) {
        assertThat(metric.examples()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(metric.examples().stream().map(Example::score).distinct().count()).isGreaterThanOrEqualTo(2);
        for (Example example : metric.examples()) {
            assertThat(example.justification()).isNotBlank();
            assertThat(example.score()).isBetween(metric.minScore(), metric.maxScore());
            for (Field field : fields) {
                assertThat(example.get(field)).as("%s example's %s", name, field.label()).isNotBlank();
            }
        }
    }

    @Test
    void should_give_each_built_in_a_distinct_definition() {
        List<String> definitions = builtIns().map(a -> ((Metric) a.get()[0]).definition()).toList();
        assertThat(definitions).doesNotHaveDuplicates();
    }

    @Test
    void should_judge_faithfulness_without_the_question() {
        Metric faithfulness = Metrics.faithfulness();

        assertThat(faithfulness.requires(Field.QUESTION)).isFalse();
        assertThat(faithfulness.requires(Field.CONTEXT)).isTrue();
        assertThat(faithfulness.requires(Field.GROUND_TRUTH)).isFalse();
    }

    @Test
    void should_compare_similarity_with_the_ground_truth_not_the_context() {
        Metric similarity = Metrics.answerSimilarity();

        assertThat(similarity.requires(Field.GROUND_TRUTH)).isTrue();
        assertThat(similarity.requires(Field.CONTEXT)).isFalse();
        assertThat(similarity.requires(Field.QUESTION)).isFalse();
    }

    @Test
    void should_judge_answer_relevance_without_ground_truth_or_context() {
        assertThat(Metrics.answerRelevance().requiredFields()).containsExactlyInAnyOrder(Field.QUESTION, Field.ANSWER);
    }

    @Test
    void should_return_the_same_built_in_instance_each_time() {
        assertThat(Metrics.answerSimilarity()).isSameAs(Metrics.answerSimilarity());
        assertThat(Metrics.relevance()).isEqualTo(BuiltInMetrics.RELEVANCE);
    }

    // --- criterion and pass/fail

    @Test
    void should_embed_the_criterion_in_a_1_to_5_metric() {
        Metric metric = Metrics.criterion("answers in a polite tone");

        assertThat(metric.name()).isEqualTo("criterion");
        assertThat(metric.version()).isEqualTo("v1");
        assertThat(metric.definition()).contains("answers in a polite tone");
        assertThat(metric.rubric()).extracting(GradingLevel::score).containsExactly(1, 2, 3, 4, 5);
        assertThat(metric.requiredFields()).containsExactly(Field.ANSWER);
        assertThat(metric.examples()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(metric.examples().stream().map(Example::score).distinct().count()).isGreaterThanOrEqualTo(2);
        assertThat(metric.passThreshold()).isNull();
    }

    @Test
    void should_give_different_criteria_different_definitions() {
        Metric polite = Metrics.criterion("answers in a polite tone");
        Metric brief = Metrics.criterion("answers in one sentence");

        assertThat(polite.definition()).isNotEqualTo(brief.definition());
        assertThat(polite).isNotEqualTo(brief);
    }

    @Test
    void should_embed_the_criterion_in_a_pass_fail_metric() {
        Metric metric = Metrics.passFail("never quotes a price");

        assertThat(metric.name()).isEqualTo("pass_fail_criterion");
        assertThat(metric.version()).isEqualTo("v1");
        assertThat(metric.definition()).contains("never quotes a price");
        assertThat(metric.minScore()).isZero();
        assertThat(metric.maxScore()).isEqualTo(1);
        assertThat(metric.rubric()).extracting(GradingLevel::score).containsExactly(0, 1);
        assertThat(metric.rubric().get(0).description()).contains("does not meet the criterion");
        assertThat(metric.rubric().get(1).description()).contains("meets the criterion");
        assertThat(metric.passThreshold()).isEqualTo(1);
        assertThat(metric.requiredFields()).containsExactly(Field.ANSWER);
        assertThat(metric.examples()).extracting(Example::score).contains(0, 1);
    }

    @ParameterizedTest
    @MethodSource("blankCriteria")
    void should_name_the_call_made_and_show_it_with_a_criterion_for_a_blank_criterion(String criterion, String shown) {
        String hint = ": the criterion is blank: describe what the answer must do, e.g. ";
        assertThatThrownBy(() -> Metrics.criterion(criterion)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Metrics.criterion(" + shown + ")" + hint + "Metrics.criterion(\"answers in a polite tone\")");
        assertThatThrownBy(() -> Metrics.passFail(criterion)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Metrics.passFail(" + shown + ")" + hint + "Metrics.passFail(\"answers in a polite tone\")");
        assertThatThrownBy(() -> Metrics.withSteps("polite_tone", criterion)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Metrics.withSteps(\"polite_tone\", " + shown + ")" + hint
                        + "Metrics.withSteps(\"polite_tone\", \"answers in a polite tone\")");
        assertThatThrownBy(() -> assertThatAnswer("Thank you for asking.").meets(criterion)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("meets(" + shown + ")" + hint + "meets(\"answers in a polite tone\")");
    }

    @Test
    void should_name_the_call_made_and_say_the_criterion_is_null_not_blank_for_a_null_criterion() {
        String hint = ": the criterion is null: describe what the answer must do, e.g. ";
        assertThatThrownBy(() -> Metrics.criterion(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Metrics.criterion(null)" + hint + "Metrics.criterion(\"answers in a polite tone\")");
        assertThatThrownBy(() -> Metrics.passFail(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Metrics.passFail(null)" + hint + "Metrics.passFail(\"answers in a polite tone\")");
        assertThatThrownBy(() -> Metrics.withSteps("polite_tone", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Metrics.withSteps(\"polite_tone\", null)" + hint
                        + "Metrics.withSteps(\"polite_tone\", \"answers in a polite tone\")");
        assertThatThrownBy(() -> assertThatAnswer("Thank you for asking.").meets(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("meets(null)" + hint + "meets(\"answers in a polite tone\")");
    }

    @Test
    void should_say_the_criterion_of_evaluation_steps_is_null_or_blank_with_what_to_pass() {
        assertThatThrownBy(() -> new EvaluationSteps(null, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("criterion is null: describe what the answer must do, e.g. \"answers in a polite tone\"");
        assertThatThrownBy(() -> new EvaluationSteps(" ", List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("criterion is blank: describe what the answer must do, e.g. \"answers in a polite tone\"");
    }

    @Test
    void should_say_the_evaluation_steps_are_null_and_what_to_pass() {
        assertThatThrownBy(() -> new EvaluationSteps("answers in a polite tone", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the evaluation steps for 'answers in a polite tone' are null: pass the steps in order, e.g."
                        + " List.of(\"Read the answer.\", \"Score by how polite it reads.\"), or EvaluationSteps.pending(criterion) while"
                        + " the judge has not written them");
    }

    @Test
    void should_name_the_position_of_a_null_or_blank_evaluation_step() {
        List<String> withNull = new ArrayList<>(List.of("Read the answer."));
        withNull.add(null);
        assertThatThrownBy(() -> new EvaluationSteps("answers in a polite tone", withNull)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the evaluation steps for 'answers in a polite tone' hold a null step (step 2 of 2): give every step its text");
        assertThatThrownBy(() -> new EvaluationSteps("answers in a polite tone", List.of(" ", "Read the answer.")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the evaluation steps for 'answers in a polite tone' hold a blank step (step 1 of 2): give every step its text");
    }

    // --- builder validation

    @Test
    void should_refuse_null_parts_of_a_metric_saying_what_to_pass() {
        assertThatThrownBy(() -> Metric.builder(null).definition("Conciseness.").level(1, "Filler.").level(2, "Brief.").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric name null is not valid: use 1 to 64 lower-case letters, digits and underscores, e.g. 'answer_similarity'");
        assertThatThrownBy(() -> Metrics.withSteps(null, "answers in a polite tone")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric name null is not valid: use 1 to 64 lower-case letters, digits and underscores, e.g. 'answer_similarity'");
        assertThatThrownBy(() -> conciseness().level(4, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("grading level 4 has a null description: describe what an answer at this level looks like");
        assertThatThrownBy(() -> conciseness().example(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'conciseness': example(null): the example is null: pass one built with Example.builder()");
        assertThatThrownBy(() -> conciseness().requires(Field.QUESTION, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'conciseness': requires(...) was given a null field: pass the fields the metric reads, e.g."
                        + " requires(Field.QUESTION, Field.GROUND_TRUTH)");
        assertThatThrownBy(() -> conciseness().requires((Field[]) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'conciseness': requires(...) was given a null field: pass the fields the metric reads, e.g."
                        + " requires(Field.QUESTION, Field.GROUND_TRUTH)");
        assertThatThrownBy(() -> Metrics.answerSimilarity().withSteps(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'answer_similarity': withSteps(null): the evaluation steps are null: pass the steps to follow, or use"
                        + " Metrics.withSteps(name, criterion) to have the judge write them");
    }

    private static Metric.Builder conciseness() {
        return Metric.builder("conciseness")
                .definition("Conciseness measures whether the answer says what is needed and nothing more.")
                .level(1, "Mostly filler.")
                .level(2, "Long-winded.")
                .level(3, "Some repetition.")
                .example(Example.builder().answer("Yes.").score(3).justification("Direct.").build());
    }

    @Test
    void should_build_a_custom_metric_with_defaults() {
        Metric metric = conciseness().build();

        assertThat(metric.version()).isEqualTo("v1");
        assertThat(metric.requiredFields()).containsExactly(Field.ANSWER);
        assertThat(metric.model()).isEmpty();
        assertThat(metric.minScore()).isEqualTo(1);
        assertThat(metric.maxScore()).isEqualTo(3);
    }

    @Test
    void should_hash_a_metric_by_its_name_and_version_and_keep_apart_metrics_that_differ_past_them() {
        Metric metric = conciseness().build();
        Metric same = conciseness().build();
        Metric moreExamples = conciseness().example(Example.builder().answer("Well, yes.").score(2).justification("Hedges.").build()).build();
        Map<Metric, String> byMetric = new HashMap<>();
        byMetric.put(metric, "one example");
        byMetric.put(moreExamples, "two examples");

        assertThat(same).isEqualTo(metric).hasSameHashCodeAs(metric);
        assertThat(moreExamples).isNotEqualTo(metric).hasSameHashCodeAs(metric);
        assertThat(byMetric).hasSize(2).containsEntry(same, "one example").containsEntry(moreExamples, "two examples");
    }

    @Test
    void should_fail_when_rubric_has_a_gap() {
        Metric.Builder builder = Metric.builder("conciseness")
                .definition("Conciseness.")
                .level(1, "Mostly filler.")
                .level(2, "Long-winded.")
                .level(4, "Brief.");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1, 2, 4]")
                .hasMessageContaining("no gaps");
    }

    @Test
    void should_fail_when_rubric_has_a_single_level() {
        Metric.Builder builder = Metric.builder("conciseness").definition("Conciseness.").level(1, "Any.");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least two levels");
    }

    @Test
    void should_fail_when_name_is_invalid() {
        Metric.Builder builder = Metric.builder("Answer Similarity")
                .definition("Similarity.")
                .level(1, "Different.")
                .level(2, "Same.");

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'Answer Similarity'")
                .hasMessageContaining("answer_similarity");
    }

    @Test
    void should_fail_when_an_example_misses_a_required_field() {
        Metric.Builder builder = conciseness().requires(Field.GROUND_TRUTH);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("metric 'conciseness' reads the ground truth but one of its examples has none: "
                        + "give every example every required field");
    }

    @Test
    void should_fail_when_an_example_score_is_outside_the_rubric() {
        Metric.Builder builder = conciseness()
                .example(Example.builder().answer("Well, maybe.").score(5).justification("Too high.").build());

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scored 5, outside its rubric 1..3");
    }

    @Test
    void should_fail_when_pass_threshold_is_outside_the_rubric() {
        Metric.Builder builder = conciseness().passThreshold(4);

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pass threshold 4, outside its rubric 1..3");
    }

    @Test
    void should_set_the_model_with_withModel() {
        Metric original = Metrics.answerSimilarity();

        Metric judgedByGpt4o = original.withModel("gpt-4o");

        assertThat(judgedByGpt4o.model()).contains("gpt-4o");
        assertThat(judgedByGpt4o.name()).isEqualTo(original.name());
        assertThat(judgedByGpt4o.rubric()).isEqualTo(original.rubric());
        assertThat(original.model()).isEmpty();
    }

    @Test
    void should_fail_when_model_override_is_blank() {
        assertThatThrownBy(() -> Metrics.faithfulness().withModel(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank model override");
    }
}
