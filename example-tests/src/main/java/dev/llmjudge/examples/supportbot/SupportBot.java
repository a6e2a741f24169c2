package dev.llmjudge.examples.supportbot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Kestrel Outdoor's support assistant: a small, deterministic retrieval chatbot. It finds the
 * knowledge-base article that best matches the question (BM25), picks the one or two facts of
 * that article that share the most words with the question, and answers with them. When no
 * article matches well enough it says so and points to a person.
 *
 * <p>It is good at questions that use the articles' words and weaker at paraphrases, which is
 * what a regression suite for a chatbot has to notice.
 *
 * <pre>{@code
 * SupportBot bot = SupportBot.withBundledKnowledgeBase();
 * BotReply reply = bot.answer("How long do I have to return an item?");
 * reply.answer();    // "Items can be returned within 30 days of delivery for a full refund ..."
 * reply.context();   // the "Returns and refunds" article
 * }</pre>
 */
public final class SupportBot {
    /** Below this BM25 score the best article is not trusted to answer the question. */
    static final double MIN_RETRIEVAL_SCORE = 1.5;

    static final String FALLBACK = "I'm sorry, I don't have information about that. Our support team can help:"
            + " write to help@kestrel-outdoor.example or choose Chat with us on any page.";

    private final Bm25Retriever retriever;

    public SupportBot(KnowledgeBase knowledgeBase) {
        this.retriever = new Bm25Retriever(knowledgeBase.articles());
    }

    public static SupportBot withBundledKnowledgeBase() {
        return new SupportBot(KnowledgeBase.bundled());
    }

    /** Answers a customer's question. */
    public BotReply answer(String question) {
        if (question == null || question.isBlank()) {
            return new BotReply(question == null ? "" : question, "Could you tell me what you need help with?", null);
        }
        List<Bm25Retriever.Match> matches = retriever.search(question, 1);
        if (matches.isEmpty() || matches.get(0).score() < MIN_RETRIEVAL_SCORE) {
            return new BotReply(question, FALLBACK, null);
        }
        Article article = matches.get(0).article();
        return new BotReply(question, String.join(" ", bestFacts(article, question)), article);
    }

    /** The fact sharing the most words with the question, plus the runner-up when it shares at least half as many. */
    private static List<String> bestFacts(Article article, String question) {
        Set<String> asked = new HashSet<>(Tokens.of(question));
        List<int[]> ranked = new ArrayList<>(); // {fact index, shared words}
        for (int i = 0; i < article.facts().size(); i++) {
            Set<String> words = new HashSet<>(Tokens.of(article.facts().get(i)));
            words.retainAll(asked);
            ranked.add(new int[] {i, words.size()});
        }
        ranked.sort(Comparator.comparingInt((int[] r) -> r[1]).reversed().thenComparingInt(r -> r[0]));
        List<Integer> chosen = new ArrayList<>(List.of(ranked.get(0)[0]));
        if (ranked.size() > 1 && ranked.get(1)[1] > 0 && 2 * ranked.get(1)[1] >= ranked.get(0)[1]) {
            chosen.add(ranked.get(1)[0]);
        }
        chosen.sort(null);
        return chosen.stream().map(article.facts()::get).toList();
    }
}
