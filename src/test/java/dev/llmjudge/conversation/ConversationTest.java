package dev.llmjudge.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    }
}
