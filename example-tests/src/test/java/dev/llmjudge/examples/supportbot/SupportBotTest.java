package dev.llmjudge.examples.supportbot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Plain, unjudged tests of the assistant's machinery: retrieval and the hand-off to a person. */
class SupportBotTest {
    private final SupportBot bot = SupportBot.withBundledKnowledgeBase();

    @Test
    void retrieves_the_article_that_matches_the_question() {
        assertThat(bot.answer("How long do I have to return an item?").source().id()).isEqualTo("returns");
        assertThat(bot.answer("Can I cancel my order?").source().id()).isEqualTo("cancel");
        assertThat(bot.answer("Do gift cards expire?").source().id()).isEqualTo("giftcards");
    }

    @Test
    void answers_with_facts_of_the_retrieved_article_only() {
        BotReply reply = bot.answer("Which payment methods do you accept?");

        assertThat(reply.answer()).isEqualTo("We accept Visa, Mastercard, American Express, PayPal and gift cards.");
        assertThat(reply.context()).hasValueSatisfying(context -> assertThat(context).contains(reply.answer()));
    }

    @Test
    void hands_off_to_a_person_when_nothing_matches() {
        BotReply reply = bot.answer("Do you price match?");

        assertThat(reply.answer()).isEqualTo(SupportBot.FALLBACK);
        assertThat(reply.source()).isNull();
        assertThat(reply.context()).isEmpty();
    }

    @Test
    void a_knowledge_base_fact_before_any_heading_is_rejected_with_its_line() {
        assertThatThrownBy(() -> KnowledgeBase.parse("# comment\nA fact.\n## id: Title\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("line 2: a fact before the first '## id: Title' heading");
    }
}
