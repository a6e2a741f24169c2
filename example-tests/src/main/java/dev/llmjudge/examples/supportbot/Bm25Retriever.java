package dev.llmjudge.examples.supportbot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the articles that best match a question with Okapi BM25 over word stems (title and
 * facts), the classic keyword-retrieval ranking.
 *
 * <pre>{@code
 * Bm25Retriever retriever = new Bm25Retriever(KnowledgeBase.bundled().articles());
 * retriever.search("How long does shipping take?", 1).get(0).article().id();   // "shipping"
 * }</pre>
 */
public final class Bm25Retriever {
    private static final double K1 = 1.2;
    private static final double B = 0.75;

    /** An article and how well it matches. */
    public record Match(Article article, double score) {
    }

    private final List<Article> articles;
    private final List<Map<String, Integer>> termCounts = new ArrayList<>();
    private final List<Integer> lengths = new ArrayList<>();
    private final Map<String, Integer> documentFrequency = new HashMap<>();
    private final double averageLength;

    public Bm25Retriever(List<Article> articles) {
        this.articles = List.copyOf(articles);
        long total = 0;
        for (Article article : this.articles) {
            List<String> tokens = Tokens.of(article.title() + " " + String.join(" ", article.facts()));
            Map<String, Integer> counts = new HashMap<>();
            tokens.forEach(t -> counts.merge(t, 1, Integer::sum));
            counts.keySet().forEach(t -> documentFrequency.merge(t, 1, Integer::sum));
            termCounts.add(counts);
            lengths.add(tokens.size());
            total += tokens.size();
        }
        averageLength = (double) total / this.articles.size();
    }

    /** The best {@code limit} matches with a positive score, best first (ties keep knowledge-base order). */
    public List<Match> search(String question, int limit) {
        List<String> query = Tokens.of(question);
        List<Match> matches = new ArrayList<>();
        for (int i = 0; i < articles.size(); i++) {
            double score = 0;
            Map<String, Integer> counts = termCounts.get(i);
            for (String term : query) {
                int tf = counts.getOrDefault(term, 0);
                if (tf == 0) {
                    continue;
                }
                int df = documentFrequency.get(term);
                double idf = Math.log(1 + (articles.size() - df + 0.5) / (df + 0.5));
                score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths.get(i) / averageLength));
            }
            if (score > 0) {
                matches.add(new Match(articles.get(i), score));
            }
        }
        matches.sort(Comparator.comparingDouble(Match::score).reversed());
        return matches.subList(0, Math.min(limit, matches.size()));
    }
}
