package dev.llmjudge.junit;

import dev.llmjudge.assertj.AnswerAssert;
import dev.llmjudge.runtime.LlmJudgeRuntime;

/** An {@link AnswerAssert} that judges with a given runtime, whatever thread it runs on. */
final class RuntimeBoundAnswerAssert extends AnswerAssert {
    private final LlmJudgeRuntime runtime;

    RuntimeBoundAnswerAssert(String answer, LlmJudgeRuntime runtime) {
        super(answer);
        this.runtime = runtime;
    }

    @Override
    public AnswerAssert withScoreAtLeast(int threshold) {
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            return super.withScoreAtLeast(threshold);
        }
    }

    @Override
    public AnswerAssert passes() {
        try (LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(runtime)) {
            return super.passes();
        }
    }
}
