package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VerdictStore.isRecorded: one listing of a metric's directory, kept up to date with the store's own writes. */
class RecordedKeysTest {
    private static final String KEY_A = "a".repeat(64);
    private static final String KEY_B = "b".repeat(64);
    private static final String KEY_C = "c".repeat(64);

    @TempDir
    Path dir;

    private final JudgeRequest request = new JudgeRequest(Metrics.answerSimilarity(),
            EvaluationCase.ofAnswer("Paris").withGroundTruth("Paris is the capital of France."));
    private final Verdict verdict = new Verdict("answer_similarity", "v1", 4, 1, 5, "Close.", "counting-judge",
            Map.of(), null, false, null, Duration.ofMillis(12), null);

    @Test
    void should_know_the_files_present_at_first_use_and_not_temporary_files() throws IOException {
        new VerdictStore(dir).write(verdict, request, KEY_A);
        Files.writeString(dir.resolve("answer_similarity").resolve("." + KEY_B + ".1234.tmp"), "{\"half");

        VerdictStore store = new VerdictStore(dir);

        assertThat(store.isRecorded(Metrics.answerSimilarity(), KEY_A)).isTrue();
        assertThat(store.isRecorded(Metrics.answerSimilarity(), KEY_B)).isFalse();
        assertThat(store.isRecorded(Metrics.faithfulness(), KEY_A)).isFalse();
    }

    @Test
    void should_know_its_own_writes_after_the_listing() {
        VerdictStore store = new VerdictStore(dir);
        assertThat(store.isRecorded(Metrics.answerSimilarity(), KEY_C)).isFalse();

        store.write(verdict, request, KEY_C);

        assertThat(store.isRecorded(Metrics.answerSimilarity(), KEY_C)).isTrue();
    }

    @Test
    void should_list_the_directory_once_so_later_writes_by_others_are_not_seen_until_read() {
        VerdictStore store = new VerdictStore(dir);
        assertThat(store.isRecorded(Metrics.answerSimilarity(), KEY_A)).isFalse();

        new VerdictStore(dir).write(verdict, request, KEY_A);

        assertThat(store.isRecorded(Metrics.answerSimilarity(), KEY_A)).isFalse();
        assertThat(store.read(Metrics.answerSimilarity(), KEY_A)).isPresent();
    }
}
