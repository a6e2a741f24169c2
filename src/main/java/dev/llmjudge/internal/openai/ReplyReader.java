package dev.llmjudge.internal.openai;

import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.JudgeException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.completions.CompletionUsage;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.metric.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the verdicts out of the replies to one judge call, one per choice, adding up what every
 * reply cost (a reply without {@code usage}, with one that cannot be read, or that is no chat
 * completion, as {@link TokenUsage#NOT_REPORTED}, its tokens unknown): a reply without a verdict
 * (no choices, a refusal, cut off, content {@link VerdictParser} rejects, a body that is no chat
 * completion) is asked for once more, and the second errors {@link Reason#INVALID_REPLY} with the fix
 * for its cause. A reply asked for several choices that holds some valid ones gives those. Scored
 * by probabilities, each valid choice also gives the distribution of the levels at its score's
 * token ({@link ScoreProbabilities}); a choice with a verdict but no such distribution errors
 * {@link Reason#NO_PROBABILITIES} at once, as asking again would not change what the endpoint returns.
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

    /** What a reply's choice holds: a verdict, or the problem that kept it from holding one; never both. */
    record Reading(VerdictParser.ParsedReply verdict, Problem problem, ChatCompletion.Choice choice) {
    }

    private final String model;
    private final Metric metric;
    private final int maxTokens;
    private final boolean probabilities;
    /** Replies without a verdict that end the call: {@link #ATTEMPTS} for a live call, one for a batch's only reply. */
    private final int attempts;
    private int invalidReplies;
    private TokenUsage spent = TokenUsage.NONE;

    ReplyReader(String model, Metric metric, int maxTokens) {
        this(model, metric, maxTokens, false);
    }

    /** {@code probabilities}: each sample also reads the distribution of the levels at its score's token. */
    ReplyReader(String model, Metric metric, int maxTokens, boolean probabilities) {
        this(model, metric, maxTokens, probabilities, ATTEMPTS);
    }

    /** {@code attempts}: the replies without a verdict that end the call; 1 when the reply is the only one (a batch's). */
    ReplyReader(String model, Metric metric, int maxTokens, boolean probabilities, int attempts) {
        this.model = model;
        this.metric = metric;
        this.maxTokens = maxTokens;
        this.probabilities = probabilities;
        this.attempts = attempts;
    }

    /** The verdict in a reply's first choice, or none when it held none and the judge may be asked once more. */
    List<Sampling.Sample> read(ChatCompletion completion) {
        return read(completion, 1);
    }

    /**
     * The samples of a reply's first {@code choices} choices that hold a verdict; none when no choice does and the judge may be
     * asked once more.
     */
    List<Sampling.Sample> read(ChatCompletion completion, int choices) {
        spent = spent.plus(usage(completion));
        List<Sampling.Sample> verdicts = new ArrayList<>();
        Problem first = null;
        try {
            for (Reading reading : readings(completion, choices)) {
                VerdictParser.ParsedReply verdict = reading.verdict();
                if (verdict != null) {
                    verdicts.add(new Sampling.Sample(verdict.score(), verdict.justification(), probabilities
                            ? ScoreProbabilities.read(reading.choice(), reading.choice().message().content().orElse(""), verdict.score(),
                                    metric, model) : null));
                } else if (first == null) {
                    first = reading.problem();
                }
            }
        } catch (OpenAIInvalidDataException e) {
            // The SDK checks a reply's members as they are read: a body that parsed as JSON holds no chat completion.
            reject(OpenAiErrors.notAChatCompletion(e), e);
            return List.of();
        }
        if (verdicts.isEmpty()) {
            reject(first, null);
        }
        return verdicts;
    }

    /**
     * Counts a reply whose body the SDK could not read as a chat completion at all (say, a sign-in page), so that
     * {@link #read} never saw it: the server answered, so it counts as a reply whose usage was not reported; the second throws.
     */
    void unreadable(Problem problem, Throwable cause) {
        spent = spent.plus(TokenUsage.NOT_REPORTED);
        reject(problem, cause);
    }

    /** Counts a reply without a verdict, whose usage {@link #read} counted; the second throws. */
    void reject(Problem problem, Throwable cause) {
        invalidReplies++;
        if (invalidReplies >= attempts) {
            throw new JudgeException(Reason.INVALID_REPLY, "the judge model '" + model + "' gave no valid verdict in " + invalidReplies
                    + (invalidReplies == 1 ? " attempt: " : " attempts: ") + problem.problem() + ". Nothing was cached. " + problem.fix(), cause);
        }
    }

    TokenUsage spent() {
        return spent;
    }

    /**
     * What a reply cost, as its {@code usage} says. A reply was billed all the same when it came without usage, or with one
     * that cannot be read (a count missing, negative or not a number): it counts as one whose tokens are unknown, never as 0
     * tokens, and never keeps its verdict from being read. {@code total_tokens} is not read: the total is the sum of the two.
     */
    static TokenUsage usage(ChatCompletion completion) {
        try {
            Optional<CompletionUsage> usage = completion.usage();
            if (usage.isEmpty()) {
                return TokenUsage.NOT_REPORTED;
            }
            long prompt = usage.get().promptTokens();
            long reply = usage.get().completionTokens();
            long cached = usage.get().promptTokensDetails().flatMap(CompletionUsage.PromptTokensDetails::cachedTokens).orElse(0L);
            return prompt < 0 || reply < 0 || cached < 0 ? TokenUsage.NOT_REPORTED : new TokenUsage(prompt, reply, cached);
        } catch (OpenAIInvalidDataException e) {
            return TokenUsage.NOT_REPORTED;
        }
    }

    /** What a reply holds, judged on its first choice. */
    static Reading reading(ChatCompletion completion, Metric metric, int maxTokens) {
        return new ReplyReader(null, metric, maxTokens).readings(completion, 1).get(0);
    }

    /** What each of the first {@code choices} choices of a reply holds; the problem of a reply without choices. */
    private List<Reading> readings(ChatCompletion completion, int choices) {
        if (completion.choices().isEmpty()) {
            return List.of(noVerdict("the reply has no choices", CAPABLE_MODEL, null));
        }
        return completion.choices().stream().limit(choices).map(this::reading).toList();
    }

    private Reading reading(ChatCompletion.Choice choice) {
        Optional<String> refusal = choice.message().refusal().filter(r -> !r.isBlank());
        if (refusal.isPresent()) {
            return noVerdict("the judge refused: " + VerdictParser.quote(refusal.get()), REFUSED, choice);
        }
        if ("length".equals(choice.finishReason()._value().asString().orElse(""))) {
            return noVerdict("the reply was cut off at the token limit (finish_reason=length)",
                    "Raise llmjudge.judge.max-tokens (now " + maxTokens + ") so that the justification and the score fit.", choice);
        }
        try {
            return new Reading(VerdictParser.parse(choice.message().content().orElse(""), metric.minScore(), metric.maxScore()), null,
                    choice);
        } catch (VerdictParser.InvalidReplyException e) {
            return noVerdict(e.getMessage(), CAPABLE_MODEL, choice);
        }
    }

    private static Reading noVerdict(String problem, String fix, ChatCompletion.Choice choice) {
        return new Reading(null, new Problem(problem, fix), choice);
    }
}
