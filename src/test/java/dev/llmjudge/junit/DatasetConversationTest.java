package dev.llmjudge.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.conversation.Conversation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSONL rows with a conversation ({@code messages}) or ranked context chunks. */
class DatasetConversationTest {

    private static DatasetReader.Entry only(String line) {
        List<DatasetReader.Entry> entries = DatasetReader.readJsonl("c.jsonl", line, List.of());
        assertThat(entries).hasSize(1);
        return entries.get(0);
    }

    @Test
    void should_read_messages_as_a_conversation_numbered_from_one() {
        DatasetRow row = only("{\"id\": \"c1\", \"messages\": [{\"role\": \"system\", \"content\": \"You are a shop assistant.\"},"
                + " {\"role\": \"user\", \"content\": \"I'm Dana.\", \"name\": \"ignored\"}, {\"role\": \"Assistant\", \"content\": \"Hi Dana.\"}]}")
                .row();

        assertThat(row.conversation()).isEqualTo(Conversation.builder().system("You are a shop assistant.").user("I'm Dana.")
                .assistant("Hi Dana.").build());
        assertThat(row.id()).isEqualTo("c1");
        assertThat(row.assertThatConversation()).isNotNull();
    }

    @Test
    void should_read_a_context_array_as_ranked_chunks_and_keep_one_string_as_it_was() {
        DatasetRow chunks = only("{\"question\": \"Q\", \"context\": [\"first\", \"second\"]}").row();
        DatasetRow text = only("{\"question\": \"Q\", \"context\": \"one text\"}").row();

        assertThat(chunks.contexts()).containsExactly("first", "second");
        assertThat(chunks.context()).isEqualTo("[1] first\n\n[2] second");
        assertThat(text.contexts()).containsExactly("one text");
        assertThat(text.context()).isEqualTo("one text");
        assertThat(text.conversation()).isNull();
    }

    @Test
    void should_name_line_column_and_message_of_a_bad_conversation() {
        assertThat(only("{\"messages\": \"hello\"}").error()).hasMessage("c.jsonl:1:14: \"messages\" must be an array of"
                + " {\"role\": \"user\", \"content\": \"...\"} objects, not value_string");
        assertThat(only("{\"messages\": []}").error()).hasMessageContaining("\"messages\" is an empty array");
        assertThat(only("{\"messages\": [{\"role\": \"bot\", \"content\": \"Hi\"}]}").error())
                .hasMessage("c.jsonl:1:15: message 1: role 'bot' is not one of system, user, assistant");
        assertThat(only("{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}, {\"role\": \"assistant\"}]}").error())
                .hasMessageContaining("message 2 has no \"content\"");
        assertThat(only("{\"messages\": [{\"role\": \"user\", \"content\": \" \"}]}").error())
                .hasMessageContaining("message 1: turn 1 (user) is blank");
        assertThat(only("{\"messages\": [{\"role\": \"user\", \"content\": 3}]}").error())
                .hasMessageContaining("message 1 has a \"content\" that is a number: write it as a string");
        assertThat(only("{\"context\": [\"a\", 2]}").error()).hasMessageContaining("\"context\" holds a number");
        assertThat(only("{\"context\": [\"a\", \"\"]}").error()).hasMessageContaining("chunk 2 of 2 is blank");
    }

    @Test
    void should_say_when_a_row_has_no_conversation_to_assert_on() {
        DatasetRow row = only("{\"question\": \"Q\"}").row();

        assertThatThrownBy(row::assertThatConversation).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("c.jsonl:1 has no \"messages\"");
    }
}
