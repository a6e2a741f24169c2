package dev.llmjudge.examples.supportbot;

import java.util.Optional;

/**
 * What the assistant said, and what it said it from.
 *
 * @param question the customer's question
 * @param answer the assistant's answer
 * @param source the article the answer rests on, or {@code null} when none matched
 */
public record BotReply(String question, String answer, Article source) {

    /** The retrieved context the answer should be faithful to: the source article's text. */
    public Optional<String> context() {
        return Optional.ofNullable(source).map(Article::text);
    }
}
