package dev.llmjudge.internal.openai;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Counts the tokens of a prompt as OpenAI models do: {@code cl100k_base} for GPT-4 and GPT-3.5,
 * {@code o200k_base} for every other model (for servers other than OpenAI, a close estimate).
 */
public final class TokenCounter {
    /** Tokens the chat format adds around each message (role and separators). */
    static final int PER_MESSAGE_OVERHEAD = 4;
    /** GPT-4 (plain, dated, Turbo, 32k) and GPT-3.5 ({@code gpt-35} as Azure names it); every other model is o200k_base. */
    private static final Pattern CL100K_MODELS = Pattern.compile("gpt-4(?:-.*)?|gpt-3\\.5.*|gpt-35.*");

    private final Encoding encoding;

    private TokenCounter(Encoding encoding) {
        this.encoding = encoding;
    }

    /** The counter for a model name, e.g. {@code gpt-4.1}, {@code openai/gpt-4o} or {@code GPT-4-Turbo}. */
    public static TokenCounter forModel(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        name = name.substring(name.lastIndexOf('/') + 1);
        EncodingType type = CL100K_MODELS.matcher(name).matches() ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE;
        return new TokenCounter(Registry.INSTANCE.getEncoding(type));
    }

    public String encodingName() {
        return encoding.getName();
    }

    /** The tokens of a text (special-token markers in it are counted as plain text). */
    public int count(String text) {
        return encoding.countTokensOrdinary(text);
    }

    /** The tokens of chat messages, with the chat format's overhead per message. */
    public int count(List<String> messages) {
        return messages.stream().mapToInt(message -> count(message) + PER_MESSAGE_OVERHEAD).sum();
    }

    /** An upper bound of {@link #count(List)} without the tokenizer (and its vocabulary): a token is at least one UTF-8 byte. */
    public static long upperBound(List<String> messages) {
        return messages.stream().mapToLong(message -> message.getBytes(StandardCharsets.UTF_8).length + PER_MESSAGE_OVERHEAD).sum();
    }

    /** Loads the vocabularies on first use only. */
    private static final class Registry {
        static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
    }
}
