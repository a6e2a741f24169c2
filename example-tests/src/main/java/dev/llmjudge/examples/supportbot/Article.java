package dev.llmjudge.examples.supportbot;

import java.util.List;

/**
 * One knowledge-base article: an id, a title and its facts, one sentence each.
 *
 * @param id short identifier, e.g. {@code returns}
 * @param title the article's title, e.g. {@code Returns and refunds}
 * @param facts the article's sentences, in order
 */
public record Article(String id, String title, List<String> facts) {
    public Article {
        facts = List.copyOf(facts);
    }

    /** The article as the assistant's retrieved context: the title, then every fact. */
    public String text() {
        return title + ".\n" + String.join("\n", facts);
    }
}
