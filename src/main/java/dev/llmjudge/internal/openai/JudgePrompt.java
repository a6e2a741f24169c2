package dev.llmjudge.internal.openai;

import java.util.List;

/** The two messages sent to a chat judge: the grading instructions (system) and the case to grade (user). */
public record JudgePrompt(String system, String user) {
    public List<String> messages() {
        return List.of(system, user);
    }
}
