package dev.llmjudge.examples.supportbot;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

/**
 * This example's choice for a machine with no judge (no {@code OPENAI_API_KEY}, no
 * {@code OPENAI_BASE_URL}): an LLM-judged check whose verdict is recorded under
 * {@code src/test/llm-judge} replays it; any other LLM-judged check skips its test with the
 * reason and the fix. Embedding checks ({@code isSemanticallySimilarTo}) run for real either way.
 *
 * <p>The library's own default is stricter on purpose: without a judge, a check that has no
 * recorded verdict is an error, so a team's CI can never pass by silently skipping. A project
 * that wants this example's leniency copies this class; one that wants the default leaves it out.
 *
 * <p>How: the runtime's LLM judge is wrapped in one that aborts the test instead of calling an
 * endpoint. It computes the same cache keys as the real judge, so recorded verdicts are found,
 * and it never reaches the embedding judge, which the runtime routes past it.
 */
final class SkipLlmChecksWithoutJudge implements BeforeEachCallback, AfterEachCallback {
    static final String REASON = "no judge configured: set OPENAI_API_KEY, or OPENAI_BASE_URL for a local OpenAI-compatible server"
            + " such as Ollama (with any non-empty OPENAI_API_KEY)";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SkipLlmChecksWithoutJudge.class);

    /**
     * The run-wide runtime whose LLM judge skips. JUnit closes it at the end of the run, and it
     * then says how many tests it skipped and why, since Maven's console lists only the count.
     */
    private static final class SkippingRuntime implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final AtomicInteger skipped = new AtomicInteger();
        final LlmJudgeRuntime runtime = LlmJudgeRuntime.builder()
                .config(LlmJudgeConfig.fromEnvironment())
                .decorate(llmJudge -> new SkipInsteadOfJudging(llmJudge, skipped))
                .build();

        @Override
        public void close() {
            runtime.close();
            if (skipped.get() > 0) {
                System.out.println("support-bot-example: skipped " + skipped.get() + " LLM-judged test(s) that have no recorded verdict: " + REASON);
            }
        }
    }

    /** Answers from the cache's point of view like the LLM judge, but aborts the test where it would call it. */
    private record SkipInsteadOfJudging(Judge llmJudge, AtomicInteger skipped) implements Judge {
        @Override
        public JudgeFingerprint fingerprint(JudgeRequest request) {
            return llmJudge.fingerprint(request);
        }

        @Override
        public Verdict judge(JudgeRequest request) {
            skipped.incrementAndGet();
            throw new TestAbortedException(REASON + ". Without a judge only recorded verdicts (src/test/llm-judge) are used, and the "
                    + request.metric().name() + " check of this test has none.");
        }
    }

    /** Whether any judge endpoint or key is configured, the way the OpenAI client and the library look for one. */
    static boolean judgeConfigured() {
        boolean env = Stream.of("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_KEY", "LLMJUDGE_JUDGE_BASE_URL")
                .map(System::getenv).anyMatch(SkipLlmChecksWithoutJudge::isSet);
        boolean properties = Stream.of("openai.apiKey", "openai.baseUrl", LlmJudgeConfig.JUDGE_BASE_URL)
                .map(System::getProperty).anyMatch(SkipLlmChecksWithoutJudge::isSet);
        return env || properties;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (judgeConfigured()) {
            return;
        }
        SkippingRuntime skipping = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(SkippingRuntime.class, k -> new SkippingRuntime(), SkippingRuntime.class);
        context.getStore(NAMESPACE).put(LlmJudgeRuntime.Scope.class, LlmJudgeRuntime.use(skipping.runtime));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LlmJudgeRuntime.Scope scope = context.getStore(NAMESPACE).remove(LlmJudgeRuntime.Scope.class, LlmJudgeRuntime.Scope.class);
        if (scope != null) {
            scope.close();
        }
    }
}
