package dev.llmjudge.config;

import java.util.Optional;

/**
 * The system under test, {@code llmjudge.sut.*}: each component is the key of its name.
 *
 * <pre>{@code
 * SutConfig sut = LlmJudgeConfig.fromEnvironment().sut();
 * sut.model();   // Optional.of("gpt-4.1") with -Dllmjudge.sut.model=gpt-4.1; empty unless configured
 * }</pre>
 */
public record SutConfig(Optional<String> model) {
}
