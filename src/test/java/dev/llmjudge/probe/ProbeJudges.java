package dev.llmjudge.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.internal.openai.PromptRenderer;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Received;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/** Fake judges for the loopback server that score the answer of the case they are sent, and the cases the probes use. */
final class ProbeJudges {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Three short cases of a support bot, each answer under 100 characters. */
    static final List<EvaluationCase> CASES = List.of(
            new EvaluationCase("Can I get a refund after 30 days?", "Refunds are possible within 30 days of delivery only.",
                    "Refunds are possible within 30 days of delivery only.", null),
            new EvaluationCase("Do you ship to Canada?", "Yes, we ship to Canada. Delivery takes 5-8 business days.",
                    "We ship to Canada and Mexico; delivery takes 5-8 business days.", null),
            new EvaluationCase("When are you open?", "Monday to Friday, 9am to 5pm.", "Monday to Friday, 9am-5pm.", null));

    private ProbeJudges() {
    }

    /** The answer in the case data block of the request's user message. */
    static String answerOf(Received request) {
        String user = request.json().path("messages").get(1).path("content").asText();
        int open = user.indexOf(PromptRenderer.DATA_OPEN) + PromptRenderer.DATA_OPEN.length();
        int close = user.indexOf(PromptRenderer.DATA_CLOSE, open);
        try {
            JsonNode data = JSON.readTree(user.substring(open, close).replace("\\u003c", "<").replace("\\u003e", ">"));
            return data.path("answer").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A judge that scores by {@code score}, saying what it read. */
    static Function<Received, Reply> scoring(String name, ToIntFunction<String> score) {
        return request -> {
            String answer = answerOf(request);
            int s = score.applyAsInt(answer);
            return Reply.verdict(s, name + " judge: " + s + " for " + answer.length() + " characters.");
        };
    }

    /** Scores every answer 4, whatever its length or form. */
    static Function<Received, Reply> stable() {
        return scoring("stable", answer -> 4);
    }

    /** Rewards length: 2 under 100 characters, 4 under 200, else 5. */
    static Function<Received, Reply> rewardingLength() {
        return scoring("length", answer -> answer.length() < 100 ? 2 : answer.length() < 200 ? 4 : 5);
    }

    /** Penalises length: 4 under 100 characters, else 2 (a rubric that rightly dislikes filler). */
    static Function<Received, Reply> penalisingLength() {
        return scoring("brevity", answer -> answer.length() < 100 ? 4 : 2);
    }

    /** Rewards bullets: 5 when a line starts with "- ", else 3. */
    static Function<Received, Reply> rewardingBullets() {
        return scoring("bullets", answer -> answer.lines().anyMatch(line -> line.startsWith("- ")) ? 5 : 3);
    }

    /** Penalises white space runs: 2 when the answer holds two spaces in a row, else 4. */
    static Function<Received, Reply> penalisingWhitespace() {
        return scoring("tidy", answer -> answer.contains("  ") ? 2 : 4);
    }
}
