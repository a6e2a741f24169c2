package dev.llmjudge.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.metric.Metrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationTest {
    private static final Conversation CONVERSATION = Conversation.builder()
            .system("You are a shop assistant.")
            .user("Hi, I'm Dana.")
            .assistant("Hello Dana.")
            .user("Where is order 1234?")
            .assistant("It ships Monday.")
            .build();

    @Test
    void should_number_turns_from_one_and_render_the_transcript() {
        assertThat(CONVERSATION.turn(4)).isEqualTo(new Turn(4, Role.USER, "Where is order 1234?"));
        assertThat(CONVERSATION.assistantTurns()).containsExactly(3, 5);
        assertThat(CONVERSATION.transcript()).isEqualTo("[Turn 1] system: You are a shop assistant.\n\n[Turn 2] user: Hi, I'm Dana.\n\n"
                + "[Turn 3] assistant: Hello Dana.\n\n[Turn 4] user: Where is order 1234?\n\n[Turn 5] assistant: It ships Monday.");
    }

    @Test
    void should_cut_one_window_per_assistant_turn_ending_at_it() {
        assertThat(CONVERSATION.windows(2)).extracting(Conversation.Window::firstTurn, Conversation.Window::lastTurn)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 3), org.assertj.core.groups.Tuple.tuple(4, 5));
        assertThat(CONVERSATION.windows(10)).extracting(Conversation.Window::firstTurn).containsExactly(1, 1);
        assertThat(CONVERSATION.windows(2).get(1).transcript()).isEqualTo("[Turn 4] user: Where is order 1234?\n\n[Turn 5] assistant: It ships Monday.");
    }

    @Test
    void should_reject_turns_out_of_order_and_unknown_numbers() {
        assertThatThrownBy(() -> new Conversation(List.of(new Turn(2, Role.USER, "Hi"))))
                .hasMessage("turn 1 is numbered 2: number the turns 1, 2, 3, ... in the order spoken");
        assertThatThrownBy(() -> CONVERSATION.turn(6)).hasMessage("the conversation has turns 1 to 5, not 6");
        assertThatThrownBy(() -> new Conversation(List.of())).hasMessageContaining("no turns");
        assertThatThrownBy(() -> Role.of("bot")).hasMessage("role 'bot' is not one of system, user, assistant");
        assertThat(Role.of(" Assistant ")).isEqualTo(Role.ASSISTANT);
    }

    @Test
    void should_read_the_faulted_turns_the_judge_names_last() {
        assertThat(FaultedTurns.in("Turn 4 forgets the name. Faulted turns: 4, 6 and 4")).containsExactly(4, 6);
        assertThat(FaultedTurns.in("Faulted turn: 3\nOn second thought... Faulted turns: 7")).containsExactly(7);
        assertThat(FaultedTurns.in("All good. Faulted turns: none")).isEmpty();
        assertThat(FaultedTurns.in("No label at all, turn 5 is fine.")).isEmpty();
        assertThat(FaultedTurns.in("Faulted turns: 99999999999999, 3")).containsExactly(3);
        assertThat(FaultedTurns.in("Faulted turns: turns 4, 6, and 8.")).containsExactly(4, 6, 8);
    }

    @Test
    void should_read_only_the_listed_turns_not_a_turn_cited_after_the_list() {
        assertThat(FaultedTurns.in("Turn 4 says Paris. Faulted turns: 4 (the user said Lyon in turn 1)")).containsExactly(4);
        assertThat(FaultedTurns.in("Faulted turns: 4, 6 - both forget what turn 1 said")).containsExactly(4, 6);
        assertThat(FaultedTurns.in("Faulted turns: 4; turn 2 was fine")).containsExactly(4);
        assertThat(FaultedTurns.in("Faulted turns: 5. Turn 3 was right to ask again.")).containsExactly(5);
        assertThat(FaultedTurns.in("Faulted turns: none (turn 3 only repeats turn 1)")).isEmpty();
    }

    @Test
    void should_reject_a_turn_of_only_no_break_or_zero_width_spaces_as_blank() {
        assertThatThrownBy(() -> Conversation.builder().user("Where is my order?").assistant("\u00A0").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("turn 2 (assistant) is blank: give every turn the text that was said");
        assertThatThrownBy(() -> Conversation.builder().user("\u200B\uFEFF").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("turn 1 (user) is blank: give every turn the text that was said");
    }

    /** A turn is blank exactly when the judge's request would call the same text blank. */
    @Test
    void should_call_a_turn_blank_exactly_when_a_request_would() {
        List<String> disagreements = new ArrayList<>();
        for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
            String text = Character.toString(c);
            if (Turn.isBlank(text) != JudgeRequest.isBlank(text)) {
                disagreements.add(String.format("U+%04X", c));
            }
        }
        assertThat(disagreements).isEmpty();
        String zeroWidth = "\u200B";
        assertThatThrownBy(() -> new JudgeRequest(Metrics.answerRelevance(), new EvaluationCase("Where?", zeroWidth, null, null)))
                .hasMessageContaining("it is blank");
        assertThatThrownBy(() -> new Turn(1, Role.USER, zeroWidth)).hasMessageContaining("is blank");
    }

    @Test
    void should_refuse_null_turns_a_null_turn_or_a_null_role_saying_what_to_pass() {
        assertThatThrownBy(() -> new Conversation(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the turns are null: pass the turns in order, or build the conversation with"
                        + " Conversation.builder().user(...).assistant(...).build()");
        assertThatThrownBy(() -> new Conversation(Arrays.asList(new Turn(1, Role.USER, "Hi"), null))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("turn 2 of 2 is null: pass every turn, e.g. new Turn(2, Role.USER, \"...\")");
        assertThatThrownBy(() -> Conversation.builder().user("Hi").turn(null, "Hello!")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("turn 2 has a null role: pass Role.SYSTEM, Role.USER or Role.ASSISTANT, or Role.of(label) for a label such as"
                        + " \"assistant\"");
    }
}
