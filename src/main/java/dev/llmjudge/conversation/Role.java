package dev.llmjudge.conversation;

import java.util.Locale;

/** Who speaks a {@link Turn}: the system prompt, the user or the assistant under test. */
public enum Role {
    /** The system prompt: the role and the rules the assistant was given. */
    SYSTEM,
    /** The person talking to the assistant. */
    USER,
    /** The assistant under test. */
    ASSISTANT;

    /** The role as transcripts and datasets spell it: {@code system}, {@code user}, {@code assistant}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The role a dataset names, e.g. {@code "assistant"} (any case).
     *
     * @throws IllegalArgumentException for any other name, saying which are accepted
     */
    public static Role of(String label) {
        if (label != null) {
            for (Role role : values()) {
                if (role.label().equals(label.strip().toLowerCase(Locale.ROOT))) {
                    return role;
                }
            }
        }
        throw new IllegalArgumentException("role '" + label + "' is not one of system, user, assistant");
    }
}
