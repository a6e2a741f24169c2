package dev.llmjudge.testsupport;

import dev.llmjudge.config.ConfigOverrides;
import dev.llmjudge.config.JudgeConfig;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Runtimes pointed at a loopback {@link OpenAiCompatibleServer}, with a test-owned cache directory. */
public final class TestRuntimes {
    /** The model name the test runtimes ask for. */
    public static final String MODEL = "judge-test-model";
    /** The API key the test runtimes send. */
    public static final String API_KEY = "test-key-not-secret";

    private TestRuntimes() {
    }

    /** A configuration with the given overrides on top of the server, cache directory and test model. */
    public static LlmJudgeConfig config(OpenAiCompatibleServer server, Path cacheDir, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put(LlmJudgeConfig.JUDGE_BASE_URL, server.baseUrl());
        values.put(LlmJudgeConfig.CACHE_DIR, cacheDir.toString());
        values.put(LlmJudgeConfig.JUDGE_MODEL, MODEL);
        values.putAll(overrides);
        return LlmJudgeConfig.defaults().with(ConfigOverrides.of(values));
    }

    /** The judge section of the default configuration with these values set, e.g. {@code judge(Map.of(LlmJudgeConfig.JUDGE_MODEL, "m"))}. */
    public static JudgeConfig judge(Map<String, String> values) {
        return LlmJudgeConfig.defaults().with(ConfigOverrides.of(values)).judge();
    }

    /** The judge section of the default configuration with another model. */
    public static JudgeConfig judge(String model) {
        return judge(Map.of(LlmJudgeConfig.JUDGE_MODEL, model));
    }

    public static LlmJudgeRuntime runtime(OpenAiCompatibleServer server, Path cacheDir) {
        return runtime(server, cacheDir, Map.of());
    }

    public static LlmJudgeRuntime runtime(OpenAiCompatibleServer server, Path cacheDir, Map<String, String> overrides) {
        return LlmJudgeRuntime.builder().config(config(server, cacheDir, overrides)).apiKey(API_KEY).build();
    }
}
