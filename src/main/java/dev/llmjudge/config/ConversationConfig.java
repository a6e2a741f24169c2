package dev.llmjudge.config;

/**
 * How conversations are judged, {@code llmjudge.conversation.*}.
 *
 * <pre>{@code
 * ConversationConfig conversation = LlmJudgeConfig.fromEnvironment().conversation();
 * conversation.window();   // 4 unless llmjudge.conversation.window says otherwise
 * }</pre>
 *
 * @param window the turns in each window judged by {@code conversation_relevance}, at least 2 ({@value LlmJudgeConfig#CONVERSATION_WINDOW})
 */
public record ConversationConfig(int window) {
}
