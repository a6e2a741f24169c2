package dev.llmjudge.internal.embedding;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.store.embedding.CosineSimilarity;

/**
 * The only class that touches the optional embedding model, loaded when the JVM first initialises
 * it; without the dependency, that throws a {@link NoClassDefFoundError} that {@link EmbeddingJudge} words.
 */
final class MiniLmEmbeddings {
    private static final EmbeddingModel MODEL = new AllMiniLmL6V2QuantizedEmbeddingModel();

    private MiniLmEmbeddings() {
    }

    static double cosine(String a, String b) {
        return CosineSimilarity.between(MODEL.embed(a).content(), MODEL.embed(b).content());
    }
}
