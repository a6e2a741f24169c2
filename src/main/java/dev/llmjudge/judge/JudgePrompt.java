package dev.llmjudge.judge;

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
}
