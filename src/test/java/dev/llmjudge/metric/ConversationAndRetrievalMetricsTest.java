package dev.llmjudge.metric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.conversation.FaultedTurns;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationAndRetrievalMetricsTest {

    @Test
    void should_ask_the_judge_of_every_conversation_metric_to_name_the_faulted_turns_in_the_form_the_reader_parses() {
        List<Metric> conversation = List.of(Metrics.knowledgeRetention(), Metrics.roleAdherence(), Metrics.conversationCompleteness(),
                Metrics.conversationRelevance());

        assertThat(conversation).allSatisfy(metric -> {
            assertThat(metric.definition()).contains("\"" + FaultedTurns.LABEL + " \"").contains("[Turn n] role: text");
            assertThat(metric.requiredFields()).containsExactly(Field.ANSWER);
            assertThat(metric.minScore()).isEqualTo(1);
            assertThat(metric.maxScore()).isEqualTo(5);
            metric.examples().forEach(example -> assertThat(FaultedTurns.in(example.justification())).isNotEmpty());
        });
    }

    @Test
    void should_make_the_per_chunk_and_per_statement_metrics_pass_fail() {
        assertThat(Metrics.chunkRelevance().requiredFields()).containsExactlyInAnyOrder(Field.QUESTION, Field.ANSWER);
        assertThat(Metrics.statementSupport().requiredFields()).containsExactlyInAnyOrder(Field.ANSWER, Field.CONTEXT);
        assertThat(List.of(Metrics.chunkRelevance(), Metrics.statementSupport())).allSatisfy(metric -> {
            assertThat(metric.passThreshold()).isEqualTo(1);
            assertThat(metric.minScore()).isZero();
            assertThat(metric.maxScore()).isEqualTo(1);
        });
    }

    @Test
    void should_keep_the_metrics_judged_on_derived_cases_out_of_those_a_dataset_judges_ahead() {
        List<Metric> derived = List.of(Metrics.knowledgeRetention(), Metrics.roleAdherence(), Metrics.conversationCompleteness(),
                Metrics.conversationRelevance(), Metrics.chunkRelevance(), Metrics.statementSupport(), Metrics.pairwisePreference());

        assertThat(Metrics.builtInNames()).doesNotContainAnyElementsOf(derived.stream().map(Metric::name).toList());
        assertThat(derived).allSatisfy(metric -> assertThat(Metrics.builtIn(metric.name())).isEmpty());
    }
}
