package dev.llmjudge.judge;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Ranked retrieved chunks as the one context text a metric reads: each chunk on its own
 * paragraph, numbered by its rank from 1, best first.
 *
 * <pre>{@code
 * ContextChunks.render(List.of("Refunds take 5 days.", "Shipping is free."));
 * // "[1] Refunds take 5 days.\n\n[2] Shipping is free."
 * }</pre>
 *
 * One string stays accepted wherever a context is: it is the context as written.
 */
public final class ContextChunks {
    private ContextChunks() {
    }

    /**
     * The chunks, numbered by rank.
     *
     * @throws IllegalArgumentException when the list is null or empty, or a chunk is null or blank (naming its rank)
     */
    public static String render(List<String> chunks) {
        requireChunks(chunks);
        return IntStream.range(0, chunks.size()).mapToObj(i -> "[" + (i + 1) + "] " + chunks.get(i)).collect(Collectors.joining("\n\n"));
    }

    /**
     * Checks that there is at least one chunk and that none is null or blank: blank as {@link JudgeRequest#isBlank} means it,
     * so a chunk of only no-break or zero-width spaces is blank too.
     *
     * @throws IllegalArgumentException naming the first bad chunk by its rank
     */
    public static List<String> requireChunks(List<String> chunks) {
        if (chunks == null || chunks.isEmpty()) {
            throw new IllegalArgumentException("the context has no chunks: pass the chunks the retriever returned, best first");
        }
        for (int i = 0; i < chunks.size(); i++) {
            String chunk = chunks.get(i);
            if (chunk == null || JudgeRequest.isBlank(chunk)) {
                throw new IllegalArgumentException("chunk " + (i + 1) + " of " + chunks.size() + " is " + (chunk == null ? "null" : "blank")
                        + ": pass the text of every chunk the retriever returned");
            }
        }
        return List.copyOf(chunks);
    }
}
