package dev.llmjudge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmjudge.internal.openai.TokenCounter;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Received;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The loopback server's replies with the usage a provider would report, counted with the library's
 * tokenizer (o200k, as gpt-4.1 and gpt-4o count): the request's messages as prompt tokens, each
 * choice's content as reply tokens, and, as a model of a provider's prompt cache, the leading system
 * message as cached prompt tokens when the same one came before. As many choices as the request's
 * {@code n}.
 */
final class CountingReplies implements Function<Received, Reply> {
    private static final TokenCounter TOKENS = TokenCounter.forModel("gpt-4o");

    private final long delayMillis;
    private final Set<String> seenPrefixes = ConcurrentHashMap.newKeySet();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong promptTokens = new AtomicLong();
    final AtomicLong cachedTokens = new AtomicLong();
    final AtomicLong completionTokens = new AtomicLong();

    CountingReplies(long delayMillis) {
        this.delayMillis = delayMillis;
    }

    @Override
    public Reply apply(Received request) {
        JsonNode body = request.json();
        List<String> messages = new ArrayList<>();
        body.path("messages").forEach(m -> messages.add(m.path("content").asText()));
        int n = Math.max(1, body.path("n").asInt(1));
        int[] scores = new int[n];
        java.util.Arrays.fill(scores, 5);
        Reply reply = Reply.verdicts(scores);
        long prompt = TOKENS.count(messages);
        String leading = messages.isEmpty() ? "" : messages.get(0);
        long cached = seenPrefixes.add(leading) ? 0 : TOKENS.count(List.of(leading));
        long completion = 0;
        for (JsonNode choice : readTree(reply.body()).path("choices")) {
            completion += TOKENS.count(choice.path("message").path("content").asText());
        }
        requests.incrementAndGet();
        promptTokens.addAndGet(prompt);
        cachedTokens.addAndGet(cached);
        completionTokens.addAndGet(completion);
        return reply.withUsage(prompt, cached, completion).afterMillis(delayMillis);
    }

    private static JsonNode readTree(String json) {
        try {
            return Bench.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
