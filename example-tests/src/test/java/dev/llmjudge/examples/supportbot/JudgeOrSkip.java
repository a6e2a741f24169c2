package dev.llmjudge.examples.supportbot;

import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.OpenAiJudge;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.junit.LlmJudgeExtension;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.util.stream.Stream;
import org.opentest4j.TestAbortedException;

/**
 * The judge every test class of this example registers:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LlmJudgeExtension judge = JudgeOrSkip.extension();
 *
 * // or, with settings of the library's extension builder:
 * @RegisterExtension
 * static final LlmJudgeExtension judge = JudgeOrSkip.newInstance().maxScoreDrop(2).build();
 * }</pre>
 *
 * <p>With a judge configured ({@code OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, ...) it is the
 * library's extension as is. Without one, this example makes a choice of its own: an LLM-judged
 * check whose verdict is recorded under {@code src/test/llm-judge} replays it, and any other
 * LLM-judged check skips its test with the reason and the fix. Embedding checks
 * ({@code isSemanticallySimilarTo}) run for real either way: the runtime routes them past the
 * LLM judge.
 *
 * <p>The library's own default is stricter on purpose: without a judge, a check with no recorded
 * verdict is an error, so a team's CI can never pass by silently skipping. A project that wants
 * this example's leniency copies this class; one that wants the default writes
 * {@code @LlmJudgeTest} instead.
 */
final class JudgeOrSkip {
    static final String REASON = "no judge configured: set OPENAI_API_KEY, or OPENAI_BASE_URL for a local OpenAI-compatible server"
            + " such as Ollama (with any non-empty OPENAI_API_KEY)";

    private static final LlmJudgeExtension EXTENSION = newInstance().build();

    private JudgeOrSkip() {
    }

    /** The extension with the run's configuration. */
    static LlmJudgeExtension extension() {
        return EXTENSION;
    }

    /** The library's extension builder, set up to skip as described above when no judge is configured. */
    static LlmJudgeExtension.Builder newInstance() {
        LlmJudgeExtension.Builder builder = LlmJudgeExtension.newInstance();
        return judgeConfigured() ? builder : builder.judge(new SkipInsteadOfJudging());
    }

    /**
     * Looks like the LLM judge to the verdict cache (the same cache keys, so recorded verdicts are
     * found), but aborts the test where the LLM judge would be called.
     */
    private static final class SkipInsteadOfJudging implements Judge {
        // Computes fingerprints only; it never creates a client. It reads the same configuration the extension does
        // (system properties, junit-platform.properties, LLMJUDGE_* variables).
        private final OpenAiJudge llmJudge = new OpenAiJudge(LlmJudgeRuntime.settingsFrom(LlmJudgeConfig.fromEnvironment(), null));

        @Override
        public JudgeFingerprint fingerprint(JudgeRequest request) {
            return llmJudge.fingerprint(request);
        }

        @Override
        public Verdict judge(JudgeRequest request) {
            throw new TestAbortedException(REASON + ". Without a judge only recorded verdicts (src/test/llm-judge) are used, and the "
                    + request.metric().name() + " check of this test has none.");
        }
    }

    /** Whether any judge endpoint or key is configured, where the OpenAI client and the library look for one. */
    static boolean judgeConfigured() {
        boolean env = Stream.of("OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_KEY").map(System::getenv).anyMatch(JudgeOrSkip::isSet);
        boolean properties = Stream.of("openai.apiKey", "openai.baseUrl").map(System::getProperty).anyMatch(JudgeOrSkip::isSet);
        return env || properties || LlmJudgeConfig.fromEnvironment().judge().baseUrl().isPresent();
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
