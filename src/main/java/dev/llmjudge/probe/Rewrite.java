package dev.llmjudge.probe;

import dev.llmjudge.internal.Arguments;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * A deterministic change to an answer that should not change its score: the same answer padded
 * with neutral filler, as bullets, with extra white space. A bias probe judges each case as it is
 * and as rewritten, and compares the two scores.
 *
 * <pre>{@code
 * Rewrite.neutralPadding().apply("Refunds are possible within 30 days.");
 * // "Thank you for your question. Here is what I can tell you. Refunds are possible within 30 days. I hope this
 * //  answers your question. If anything is unclear, feel free to ask again. Thank you for your patience."
 * Rewrite.bullets().apply("Refunds are possible within 30 days. Items must be unused.");
 * // "- Refunds are possible within 30 days.\n- Items must be unused."
 * Rewrite.padding(List.of("Good question!"), List.of()).apply("Yes.");   // "Good question! Yes."
 * }</pre>
 *
 * A rewrite is applied to the text as given; the same answer always gives the same text, so its
 * verdicts are recorded and replayed like any other.
 */
public final class Rewrite {
    /** The neutral sentences {@link #neutralPadding()} puts before the answer: they greet, and say nothing about the subject. */
    public static final List<String> NEUTRAL_OPENING = List.of("Thank you for your question.", "Here is what I can tell you.");
    /** The neutral sentences {@link #neutralPadding()} puts after the answer. */
    public static final List<String> NEUTRAL_CLOSING = List.of("I hope this answers your question.",
            "If anything is unclear, feel free to ask again.", "Thank you for your patience.");

    /** Where a sentence ends: after {@code .}, {@code !} or {@code ?} followed by white space. */
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=\\S)");
    /** A list marker at the start of a line: {@code -}, {@code *}, {@code •}, or {@code 1.} / {@code 1)}. */
    private static final Pattern LIST_MARKER = Pattern.compile("^(?:[-*\u2022]|\\d+[.)])\\s+");

    private final String description;
    private final UnaryOperator<String> function;

    private Rewrite(String description, UnaryOperator<String> function) {
        this.description = description;
        this.function = function;
    }

    /**
     * The answer between {@link #NEUTRAL_OPENING} and {@link #NEUTRAL_CLOSING}, joined by single
     * spaces: five sentences of filler that add no information.
     */
    public static Rewrite neutralPadding() {
        return padding(NEUTRAL_OPENING, NEUTRAL_CLOSING);
    }

    /**
     * The answer between the sentences {@code before} and {@code after}, joined by single spaces.
     * Choose sentences that add nothing a rubric could reward: no facts, no claims about the answer.
     *
     * @throws IllegalArgumentException when there is no sentence, or one is null or blank
     */
    public static Rewrite padding(List<String> before, List<String> after) {
        List<String> opening = sentences(before, "before");
        List<String> closing = sentences(after, "after");
        if (opening.isEmpty() && closing.isEmpty()) {
            throw new IllegalArgumentException("padding needs at least one sentence before or after the answer, e.g."
                    + " Rewrite.padding(List.of(\"Thank you for your question.\"), List.of())");
        }
        return new Rewrite("padded with filler (" + count(opening.size()) + " before, " + closing.size() + " after)", answer -> {
            List<String> parts = new ArrayList<>(opening);
            parts.add(answer);
            parts.addAll(closing);
            return String.join(" ", parts);
        });
    }

    /**
     * The answer as a bulleted list: each line, and each sentence of a line (ending in {@code .},
     * {@code !} or {@code ?} followed by white space), becomes a line {@code - sentence}; blank
     * lines are dropped and list markers already there ({@code -}, {@code *}, {@code •}, {@code 1.})
     * are replaced.
     */
    public static Rewrite bullets() {
        return new Rewrite("as bullets", answer -> {
            List<String> items = new ArrayList<>();
            for (String line : answer.strip().split("\\R")) {
                String item = LIST_MARKER.matcher(line.strip()).replaceFirst("");
                for (String sentence : SENTENCE_END.split(item)) {
                    if (!sentence.isBlank()) {
                        items.add("- " + sentence.strip());
                    }
                }
            }
            return String.join("\n", items);
        });
    }

    /** The answer with every space doubled, every line break doubled, and a blank line before and after it. */
    public static Rewrite extraWhitespace() {
        return new Rewrite("with extra whitespace", answer -> "\n\n" + answer.replace(" ", "  ").replaceAll("\\R", "\n\n") + "\n\n");
    }

    /**
     * A rewrite of one's own, e.g. {@code Rewrite.of("in capitals", a -> a.toUpperCase(Locale.ROOT))}. It must be
     * deterministic (the same answer, the same text), so that its verdicts replay.
     *
     * @param description how the answer is changed, for failure messages, e.g. {@code "in capitals"}
     */
    public static Rewrite of(String description, UnaryOperator<String> function) {
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("a rewrite needs a description for failure messages, e.g. Rewrite.of(\"in capitals\", ...)");
        }
        return new Rewrite(description.strip(), Arguments.requireArgument(function, "Rewrite.of(\"" + description.strip() + "\", null)",
                "function", "the change to make to an answer, e.g. a -> a.toUpperCase(Locale.ROOT)"));
    }

    /** The rewritten answer. */
    public String apply(String answer) {
        return function.apply(answer);
    }

    /** How the answer is changed, e.g. {@code as bullets}. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return "Rewrite[" + description + "]";
    }

    private static List<String> sentences(List<String> sentences, String where) {
        Arguments.requireArgument(sentences, "before".equals(where) ? "Rewrite.padding(null, after)" : "Rewrite.padding(before, null)",
                "list of sentences " + where + " the answer", "the sentences, or List.of() for none");
        for (int i = 0; i < sentences.size(); i++) {
            String s = sentences.get(i);
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException("padding sentence " + (i + 1) + " " + where + " the answer is " + (s == null ? "null" : "blank")
                        + ": give whole sentences, e.g. \"Thank you for your question.\"");
            }
        }
        return List.copyOf(sentences);
    }

    private static String count(int sentences) {
        return sentences + (sentences == 1 ? " sentence" : " sentences");
    }
}
