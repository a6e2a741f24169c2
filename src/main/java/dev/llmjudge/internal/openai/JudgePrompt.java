package dev.llmjudge.internal.openai;

import java.util.List;

/**
 * The two messages sent to a chat judge: the grading instructions (system) and the case
 * (user).
 *
 * @param system the judge's instructions: role, metric definition, rubric, examples, output format
 * @param user the case to grade, as a delimited data block
 */
public record JudgePrompt(String system, String user) {
    public List<String> messages() {
        return List.of(system, user);
    }

    /** The prompt whose {@link #messages()} these are. */
    public static JudgePrompt of(List<String> messages) {
        if (messages.size() != 2) {
            throw new IllegalArgumentException("a judge prompt is two messages, the instructions and the case; got " + messages.size());
        }
        return new JudgePrompt(messages.get(0), messages.get(1));
    }
}
