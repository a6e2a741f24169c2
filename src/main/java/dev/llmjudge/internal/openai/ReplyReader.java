package dev.llmjudge.internal.openai;

import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.JudgeException;
import com.openai.models.chat.completions.ChatCompletion;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.metric.Metric;
import java.util.Optional;

/**
 * Reads the verdict out of the replies to one judge call: a reply that holds none (no choices,
 * a refusal, cut off at the token limit, or content {@link VerdictParser} rejects) is described
 * with the fix for its cause, and the judge is asked once more; the second such reply errors
 * {@link Reason#INVALID_REPLY}. It adds up the tokens every reply cost, valid or not.
 *
 * <pre>{@code
 * ReplyReader replies = new ReplyReader("gpt-4.1", Metrics.answerSimilarity(), 1024);
 * Optional<VerdictParser.ParsedReply> verdict = replies.read(completion);   // empty: ask again
 * TokenUsage spent = replies.spent();
 * }</pre>
 */
final class ReplyReader {
    /** Replies without a verdict that end a call: one more is asked for after the first. */
    static final int ATTEMPTS = 2;
    /** The fix for a reply whose content holds no single valid verdict. */
    static final String CAPABLE_MODEL = "The model may not follow response_format (the verdict's JSON schema):"
            + " choose a more capable model with llmjudge.judge.model.";
    static final String REFUSED = "The case content may trip the judge model's safety rules: try another model with"
            + " llmjudge.judge.model.";

    /** Why a reply held no verdict, and what to do about it. */
    record Problem(String problem, String fix) {
    }

    /** What a reply holds: a verdict, or the problem that kept it from holding one; never both. */
    record Reading(VerdictParser.ParsedReply verdict, Problem problem) {
    }

    private final String model;
    private final Metric metric;
    private final int maxTokens;
    private int invalidReplies;
    private TokenUsage spent = TokenUsage.NONE;

    /**
     * @param model the judge model, for the error message
     * @param metric the metric whose score range a verdict must be in
     * @param maxTokens {@code llmjudge.judge.max-tokens}, for the fix of a reply cut off at it
     */
    ReplyReader(String model, Metric metric, int maxTokens) {
        this.model = model;
        this.metric = metric;
        this.maxTokens = maxTokens;
    }

    /**
     * The verdict in a reply, or empty when the reply held none and the judge may be asked once
     * more. Books the reply's tokens either way.
     *
     * @throws JudgeException {@link Reason#INVALID_REPLY} when this is the second reply without a verdict
     */
    Optional<VerdictParser.ParsedReply> read(ChatCompletion completion) {
        completion.usage().ifPresent(usage -> spent = spent.plus(new TokenUsage(usage.promptTokens(), usage.completionTokens())));
        Reading reading = reading(completion, metric, maxTokens);
        if (reading.problem() != null) {
            reject(reading.problem(), null);
        }
        return Optional.ofNullable(reading.verdict());
    }

    /**
     * Counts a reply that held no verdict for a reason found before it could be read, e.g. a
     * body that is not a chat completion.
     *
     * @throws JudgeException {@link Reason#INVALID_REPLY}, with {@code cause}, when this is the second reply without a verdict
     */
    void reject(Problem problem, Throwable cause) {
        invalidReplies++;
        if (invalidReplies >= ATTEMPTS) {
            throw new JudgeException(Reason.INVALID_REPLY, "the judge model '" + model + "' gave no valid verdict in " + invalidReplies
                    + " attempts: " + problem.problem() + ". Nothing was cached. " + problem.fix(), cause);
        }
    }

    /** The tokens the server reported for every reply read so far. */
    TokenUsage spent() {
        return spent;
    }

    /** What a reply holds, judged on its first choice. */
    static Reading reading(ChatCompletion completion, Metric metric, int maxTokens) {
        if (completion.choices().isEmpty()) {
            return noVerdict("the reply has no choices", CAPABLE_MODEL);
        }
        ChatCompletion.Choice choice = completion.choices().get(0);
        Optional<String> refusal = choice.message().refusal().filter(r -> !r.isBlank());
        if (refusal.isPresent()) {
            return noVerdict("the judge refused: " + VerdictParser.quote(refusal.get()), REFUSED);
        }
        if ("length".equals(choice.finishReason()._value().asString().orElse(""))) {
            return noVerdict("the reply was cut off at the token limit (finish_reason=length)",
                    "Raise llmjudge.judge.max-tokens (now " + maxTokens + ") so that the justification and the score fit.");
        }
        try {
            return new Reading(VerdictParser.parse(choice.message().content().orElse(""), metric.minScore(), metric.maxScore()), null);
        } catch (VerdictParser.InvalidReplyException e) {
            return noVerdict(e.getMessage(), CAPABLE_MODEL);
        }
    }

    private static Reading noVerdict(String problem, String fix) {
        return new Reading(null, new Problem(problem, fix));
    }
}
