package dev.llmjudge.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recorded verdicts read ahead in the background, so that a replayed check finds its verdict in memory. */
class VerdictReadAheadTest {
    private static final String KEY_A = "a".repeat(64);
    private static final String KEY_B = "b".repeat(64);

    @TempDir
    Path dir;

    private final JudgeRequest request = new JudgeRequest(Metrics.answerSimilarity(),
            EvaluationCase.ofAnswer("Paris").withGroundTruth("Paris is the capital of France."));

    private static Verdict verdict(int score, String justification) {
        return new Verdict("answer_similarity", "v1", score, 1, 5, justification, "counting-judge", Map.of(), null, false, null,
                Duration.ofMillis(12), null);
    }

    /** A new store of {@link #dir} that has read every metric directory ahead. */
    private VerdictStore readAhead() throws InterruptedException {
        VerdictStore store = new VerdictStore(dir);
        store.readAheadInBackground();
        store.awaitReadAhead();
        return store;
    }

    @Test
    void should_answer_from_what_was_read_ahead_without_the_file() throws Exception {
        new VerdictStore(dir).write(verdict(4, "Close."), request, KEY_A);
        VerdictStore store = readAhead();

        Files.delete(store.fileFor(Metrics.answerSimilarity(), KEY_A));

        assertThat(store.read(Metrics.answerSimilarity(), KEY_A)).get().satisfies(v -> {
            assertThat(v.score()).isEqualTo(4);
            assertThat(v.justification()).isEqualTo("Close.");
            assertThat(v.cached()).isTrue();
            assertThat(v.cacheKey()).isEqualTo(KEY_A);
        });
    }

    @Test
    void should_give_the_same_verdict_read_ahead_as_read_from_its_file() throws Exception {
        Verdict recorded = new Verdict("answer_similarity", "v1", 3, 1, 5, "Partly.", "counting-judge",
                Map.of("temperature", 0.0, "seed", 42, "response_format", "json_schema"), null, false, null, Duration.ofMillis(87),
                new TokenUsage(310, 42));
        new VerdictStore(dir).write(recorded, request, KEY_A);
        Verdict fromFile = new VerdictStore(dir).read(Metrics.answerSimilarity(), KEY_A).orElseThrow();
        VerdictStore store = readAhead();
        Files.delete(store.fileFor(Metrics.answerSimilarity(), KEY_A));

        Verdict readAhead = store.read(Metrics.answerSimilarity(), KEY_A).orElseThrow();

        assertThat(readAhead).isEqualTo(fromFile);
        assertThat(readAhead.parameters()).containsExactly(Map.entry("response_format", "json_schema"), Map.entry("seed", 42),
                Map.entry("temperature", 0.0));
        assertThat(readAhead.cacheFile()).isEqualTo(store.fileFor(Metrics.answerSimilarity(), KEY_A).toString());
    }

    @Test
    void should_reject_a_verdict_read_ahead_whose_score_is_outside_the_metrics_scale() throws Exception {
        new VerdictStore(dir).write(verdict(5, "Top."), request, KEY_A);
        VerdictStore store = readAhead();
        Metric threeLevels = Metric.builder("answer_similarity").definition("Same meaning.")
                .level(1, "No.").level(2, "Partly.").level(3, "Yes.").build();

        assertThatThrownBy(() -> store.read(threeLevels, KEY_A))
                .isInstanceOf(CorruptVerdictException.class)
                .hasMessageStartingWith("verdict file " + store.fileFor(threeLevels, KEY_A) + " is corrupt: its score 5 is outside 1..3");
    }

    @Test
    void should_replace_what_was_read_ahead_with_a_later_write() throws Exception {
        new VerdictStore(dir).write(verdict(2, "Before."), request, KEY_A);
        VerdictStore store = readAhead();

        store.write(verdict(5, "After."), request, KEY_A);

        assertThat(store.read(Metrics.answerSimilarity(), KEY_A)).get().extracting(Verdict::justification).isEqualTo("After.");
    }

    @Test
    void should_leave_a_corrupt_file_to_be_reported_with_its_path() throws Exception {
        VerdictStore store = new VerdictStore(dir);
        Path file = store.fileFor(Metrics.answerSimilarity(), KEY_B);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"schema\": \"llm-judge-verdict/1\", \"sco");
        store.readAheadInBackground();
        store.awaitReadAhead();

        assertThatThrownBy(() -> store.read(Metrics.answerSimilarity(), KEY_B))
                .isInstanceOf(CorruptVerdictException.class)
                .hasMessageStartingWith("verdict file " + file + " is corrupt");
    }

    @Test
    void should_find_a_verdict_recorded_after_the_read_ahead_on_disk() throws Exception {
        VerdictStore store = readAhead();

        new VerdictStore(dir).write(verdict(3, "Written by another store."), request, KEY_B);

        assertThat(store.read(Metrics.answerSimilarity(), KEY_B)).get().extracting(Verdict::score).isEqualTo(3);
    }

    /** Key {@code i} of the answer_similarity verdicts {@link #recordOneMoreThanReadOneByOne} records. */
    private static String key(int i) {
        return String.format("%064x", i);
    }

    /** Records one answer_similarity verdict more than a store reads one by one, and reads those in a new store. */
    private VerdictStore recordOneMoreThanReadOneByOne() {
        VerdictStore writer = new VerdictStore(dir);
        for (int i = 0; i < VerdictStore.READ_AHEAD_AFTER + 1; i++) {
            writer.write(verdict(4, "Close."), request, key(i));
        }
        VerdictStore store = new VerdictStore(dir);
        for (int i = 0; i < VerdictStore.READ_AHEAD_AFTER; i++) {
            assertThat(store.read(Metrics.answerSimilarity(), key(i))).isPresent();
        }
        return store;
    }

    @Test
    void should_start_reading_ahead_by_itself_after_enough_files_were_read_one_by_one() throws Exception {
        VerdictStore store = recordOneMoreThanReadOneByOne();
        store.awaitReadAhead();
        String last = key(VerdictStore.READ_AHEAD_AFTER);

        Files.delete(store.fileFor(Metrics.answerSimilarity(), last));

        assertThat(store.read(Metrics.answerSimilarity(), last)).as("read ahead, so found without its file").isPresent();
    }

    @Test
    void should_read_ahead_only_the_metric_that_is_being_replayed() throws Exception {
        JudgeRequest faithfulness = new JudgeRequest(Metrics.faithfulness(), EvaluationCase.ofAnswer("Paris").withContext("Paris is the capital."));
        new VerdictStore(dir).write(new Verdict("faithfulness", "v1", 5, 1, 5, "Supported.", "counting-judge", Map.of(), null, false,
                null, Duration.ofMillis(5), null), faithfulness, KEY_B);
        VerdictStore store = recordOneMoreThanReadOneByOne();
        store.awaitReadAhead();
        String last = key(VerdictStore.READ_AHEAD_AFTER);

        Files.delete(store.fileFor(Metrics.answerSimilarity(), last));
        Files.delete(store.fileFor(Metrics.faithfulness(), KEY_B));

        assertThat(store.read(Metrics.answerSimilarity(), last)).as("answer_similarity was read ahead").isPresent();
        assertThat(store.read(Metrics.faithfulness(), KEY_B)).as("faithfulness was not: its file is gone").isEmpty();
    }

    @Test
    void should_never_keep_an_old_file_read_ahead_after_this_jvm_recorded_its_key() {
        VerdictStore.ReadAhead ahead = new VerdictStore.ReadAhead();
        VerdictStore.Recorded old = new VerdictStore.Recorded(2, "Before.", "counting-judge", Map.of(), "v1", 1, 0, 0);
        VerdictStore.Recorded other = new VerdictStore.Recorded(4, "Other.", "counting-judge", Map.of(), "v1", 1, 0, 0);

        // The background thread read the file before this JVM rewrote it, and offers it after.
        ahead.written(KEY_A);
        ahead.offer(KEY_A, old);
        ahead.offer(KEY_B, other);

        assertThat(ahead.recorded).doesNotContainKey(KEY_A).containsEntry(KEY_B, other);
    }
}
