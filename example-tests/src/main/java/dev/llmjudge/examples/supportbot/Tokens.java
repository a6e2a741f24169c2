package dev.llmjudge.examples.supportbot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Splits text into lower-case word stems without stop words: "Returning items?" -> [return, item]. */
final class Tokens {
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "get", "how", "i", "if", "in",
            "is", "it", "its", "long", "me", "my", "of", "on", "or", "our", "the", "their", "there", "they", "this", "to",
            "we", "what", "when", "where", "which", "who", "will", "with", "you", "your");

    private Tokens() {
    }

    static List<String> of(String text) {
        List<String> tokens = new ArrayList<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!word.isEmpty() && !STOP_WORDS.contains(word)) {
                tokens.add(stem(word));
            }
        }
        return tokens;
    }

    /**
     * A deliberately crude stemmer: enough to match "returns", "returned" and "returning" to
     * "return", and "cancelled" to "cancel".
     */
    static String stem(String word) {
        for (String suffix : new String[] {"ing", "ed", "es", "s"}) {
            if (word.length() > suffix.length() + 3 && word.endsWith(suffix)) {
                String stem = word.substring(0, word.length() - suffix.length());
                int n = stem.length();
                return stem.charAt(n - 1) == stem.charAt(n - 2) ? stem.substring(0, n - 1) : stem;
            }
        }
        return word;
    }
}
