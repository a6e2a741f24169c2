package dev.llmjudge.examples.supportbot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The articles the assistant answers from, read from a small Markdown file: each article starts
 * with a {@code ## id: Title} heading and has one fact per line; {@code #} lines are comments.
 *
 * <pre>{@code
 * KnowledgeBase kb = KnowledgeBase.bundled();
 * kb.article("returns").orElseThrow().facts().get(0);
 * }</pre>
 */
public final class KnowledgeBase {
    private static final String BUNDLED = "/supportbot/knowledge-base.md";

    private final List<Article> articles;

    public KnowledgeBase(List<Article> articles) {
        if (articles.isEmpty()) {
            throw new IllegalArgumentException("a knowledge base needs at least one article");
        }
        this.articles = List.copyOf(articles);
    }

    /** The knowledge base shipped with the assistant (Kestrel Outdoor's store policies). */
    public static KnowledgeBase bundled() {
        try (InputStream in = KnowledgeBase.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED + " is missing from the class path");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + BUNDLED, e);
        }
    }

    /** Parses the Markdown format described above. */
    public static KnowledgeBase parse(String markdown) {
        List<Article> articles = new ArrayList<>();
        String id = null;
        String title = null;
        List<String> facts = new ArrayList<>();
        int lineNumber = 0;
        for (String raw : markdown.split("\n", -1)) {
            lineNumber++;
            String line = raw.strip();
            if (line.startsWith("## ")) {
                if (id != null) {
                    articles.add(new Article(id, title, facts));
                }
                int colon = line.indexOf(':');
                if (colon < 0) {
                    throw new IllegalArgumentException("line " + lineNumber + ": an article heading is '## id: Title', got '" + line + "'");
                }
                id = line.substring(3, colon).strip();
                title = line.substring(colon + 1).strip();
                facts = new ArrayList<>();
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                if (id == null) {
                    throw new IllegalArgumentException("line " + lineNumber + ": a fact before the first '## id: Title' heading");
                }
                facts.add(line);
            }
        }
        if (id != null) {
            articles.add(new Article(id, title, facts));
        }
        return new KnowledgeBase(articles);
    }

    public List<Article> articles() {
        return articles;
    }

    public Optional<Article> article(String id) {
        return articles.stream().filter(a -> a.id().equals(id)).findFirst();
    }
}
