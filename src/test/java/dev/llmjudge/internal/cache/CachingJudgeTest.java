package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmjudge.config.CacheMode;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache modes, with an in-process judge that counts its calls (the HTTP path is covered by JudgePathTest). */
class CachingJudgeTest {
    @TempDir
    Path dir;

    private final AtomicInteger calls = new AtomicInteger();
    private final JudgeRequest request = new JudgeRequest(Metrics.answerSimilarity(),
            EvaluationCase.ofAnswer("Paris").withGroundTruth("Paris is the capital of France."));

    private final Judge counting = new Judge() {
        @Override
        public JudgeFingerprint fingerprint(JudgeRequest r) {
            return new JudgeFingerprint("counting-judge", Map.of("temperature", 0.0), List.of(r.evaluationCase().answer()));
        }

        @Override
        public Verdict judge(JudgeRequest r, JudgeFingerprint fingerprint) {
            calls.incrementAndGet();
            return new Verdict(r.metric().name(), r.metric().version(), 4, 1, 5, "Close.", "counting-judge",
                    Map.of("temperature", 0.0), null, false, null, Duration.ofMillis(12), null);
        }
    };

    private CachingJudge judge(CacheMode mode) {
        return new CachingJudge(counting, new VerdictStore(dir), mode);
    }

    @Test
    void should_judge_once_and_replay_afterwards_in_auto_mode() {
        Verdict first = judge(CacheMode.AUTO).judge(request);
        Verdict second = judge(CacheMode.AUTO).judge(request);

        assertThat(calls).hasValue(1);
        assertThat(first.cached()).isFalse();
        assertThat(second.cached()).isTrue();
        assertThat(second.score()).isEqualTo(4);
        assertThat(second.cacheKey()).isEqualTo(first.cacheKey()).hasSize(64);
        assertThat(second.latency()).isEqualTo(Duration.ofMillis(12));
    }

    @Test
    void should_judge_again_and_overwrite_in_refresh_mode() {
        judge(CacheMode.AUTO).judge(request);
        Verdict refreshed = judge(CacheMode.REFRESH).judge(request);
        assertThat(calls).hasValue(2);
        assertThat(refreshed.cached()).isFalse();
        assertThat(files()).hasSize(1);
    }

    @Test
    void should_judge_a_key_again_once_per_judge_in_refresh_mode_and_replay_what_it_recorded_afterwards() {
        judge(CacheMode.AUTO).judge(request);
        CachingJudge refreshing = judge(CacheMode.REFRESH);
        Verdict refreshed = refreshing.judge(request);
        assertThat(refreshing.wouldJudge(request, counting.fingerprint(request))).as("judged again already").isFalse();
        Verdict again = refreshing.judge(request);

        assertThat(calls).as("the recording call and one refresh").hasValue(2);
        assertThat(refreshed.cached()).isFalse();
        assertThat(again.cached()).isTrue();
        assertThat(again.cacheFile()).isEqualTo(refreshed.cacheFile());
        judge(CacheMode.REFRESH).judge(request);
        assertThat(calls).as("a judge of another run refreshes the key again").hasValue(3);
    }

    @Test
    void should_neither_read_nor_write_in_off_mode() {
        judge(CacheMode.AUTO).judge(request);
        judge(CacheMode.OFF).judge(request);
        judge(CacheMode.OFF).judge(request);
        assertThat(calls).hasValue(3);
        assertThat(files()).hasSize(1);
    }

    @Test
    void should_replay_a_recorded_verdict_without_judging() {
        judge(CacheMode.AUTO).judge(request);
        assertThat(judge(CacheMode.REPLAY).judge(request).cached()).isTrue();
        assertThat(calls).hasValue(1);
    }

    @Test
    void should_report_a_corrupt_file_with_its_path_in_replay_mode() throws IOException {
        Verdict recorded = judge(CacheMode.AUTO).judge(request);
        Path file = Path.of(recorded.cacheFile());
        Files.writeString(file, "{\"schema\": \"llm-judge-verdict/1\", \"sco");

        assertThatThrownBy(() -> judge(CacheMode.REPLAY).judge(request))
                .isInstanceOf(CorruptVerdictException.class)
                .hasMessageStartingWith("verdict file " + file + " is corrupt: it is not valid JSON")
                .hasMessageEndingWith("Delete it and run again with a judge configured, or restore it from version control.");
    }

    @Test
    void should_judge_again_and_replace_a_corrupt_file_in_auto_mode() throws IOException {
        Verdict recorded = judge(CacheMode.AUTO).judge(request);
        Path file = Path.of(recorded.cacheFile());
        Files.writeString(file, "not json");

        Verdict again = judge(CacheMode.AUTO).judge(request);

        assertThat(calls).hasValue(2);
        assertThat(again.score()).isEqualTo(4);
        assertThat(Files.readString(file)).startsWith("{\n  \"schema\" : \"llm-judge-verdict/1\"");
    }

    @Test
    void should_reject_a_file_whose_score_is_outside_the_rubric() throws IOException {
        Verdict recorded = judge(CacheMode.AUTO).judge(request);
        Path file = Path.of(recorded.cacheFile());
        Files.writeString(file, Files.readString(file).replace("\"score\" : 4", "\"score\" : 9"));
        assertThatThrownBy(() -> judge(CacheMode.REPLAY).judge(request))
                .hasMessageContaining("its score 9 is outside 1..5");
    }

    @Test
    void should_find_a_verdict_recorded_under_the_former_key_format_and_judge_nothing() throws IOException {
        Verdict recorded = judge(CacheMode.AUTO).judge(request);
        String formerKey = new CacheKeys().formerKey(request.metric(), counting.fingerprint(request));
        Path file = Path.of(recorded.cacheFile());
        Path former = file.resolveSibling(formerKey + ".json");
        Files.writeString(former, Files.readString(file).replace(recorded.cacheKey(), formerKey));
        Files.delete(file);

        Verdict replayed = judge(CacheMode.REPLAY).judge(request);
        Verdict auto = judge(CacheMode.AUTO).judge(request);

        assertThat(calls).hasValue(1);
        assertThat(replayed.cached()).isTrue();
        assertThat(replayed.cacheFile()).isEqualTo(former.toString());
        assertThat(auto.cacheFile()).isEqualTo(former.toString());
        assertThat(files()).containsExactly(former);
    }

    @Test
    void should_never_record_a_judge_error() {
        Judge failing = judgingWith((r, fingerprint) -> {
            throw new JudgeException(JudgeException.Reason.SERVER_ERROR, "down");
        });
        assertThatThrownBy(() -> new CachingJudge(failing, new VerdictStore(dir), CacheMode.AUTO).judge(request)).hasMessage("down");
        assertThat(files()).isEmpty();
    }

    @Test
    void should_ignore_leftover_temporary_files() throws IOException {
        Files.createDirectories(dir.resolve("answer_similarity"));
        String key = new CacheKeys().key(request.metric(), counting.fingerprint(request));
        Files.writeString(dir.resolve("answer_similarity").resolve("." + key + ".abc.tmp"), "{\"half");
        assertThatThrownBy(() -> judge(CacheMode.REPLAY).judge(request)).isInstanceOf(JudgeException.class)
                .extracting(e -> ((JudgeException) e).reason()).isEqualTo(JudgeException.Reason.NOT_RECORDED);
    }

    @Test
    void should_tell_the_listener_what_was_replayed_and_judged() {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        CachingJudge.Listener listener = new CachingJudge.Listener() {
            @Override
            public void replayed() {
                events.add("replayed");
            }

            @Override
            public void judgingStarted() {
                events.add("started");
            }

            @Override
            public void judgingFinished(boolean succeeded) {
                events.add("finished " + succeeded);
            }
        };
        CachingJudge auto = new CachingJudge(counting, new VerdictStore(dir), CacheMode.AUTO, listener);
        auto.judge(request);
        auto.judge(request);

        assertThat(events).containsExactly("started", "finished true", "replayed");
    }

    @Test
    void should_tell_the_listener_a_call_finished_only_once_its_verdict_is_recorded() {
        List<Long> filesWhenFinished = new java.util.concurrent.CopyOnWriteArrayList<>();
        CachingJudge.Listener listener = new CachingJudge.Listener() {
            @Override
            public void judgingFinished(boolean succeeded) {
                filesWhenFinished.add((long) files().size());
            }
        };
        new CachingJudge(counting, new VerdictStore(dir), CacheMode.AUTO, listener).judge(request);

        // Progress counts the verdict as judged here, and a verdict judged ahead stops being "remaining" once recorded.
        assertThat(filesWhenFinished).containsExactly(1L);
    }

    @Test
    void should_give_a_check_joining_a_judgement_under_way_the_verdict_as_recorded_so_that_the_call_counts_once() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Judge slow = judgingWith((r, fingerprint) -> {
            await(release);
            return counting.judge(r, fingerprint);
        });
        CachingJudge auto = new CachingJudge(slow, new VerdictStore(dir), CacheMode.AUTO);

        List<Verdict> verdicts = twoChecksAtOnce(release, () -> auto.judge(request));

        assertThat(verdicts).extracting(Verdict::cached).containsExactlyInAnyOrder(false, true);
        assertThat(calls).hasValue(1);
    }

    @Test
    void should_give_a_check_joining_a_failed_call_its_error_without_what_the_call_spent_so_that_it_counts_once() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Judge billedThenFailing = judgingWith((r, fingerprint) -> {
            await(release);
            calls.incrementAndGet();
            throw new JudgeException(JudgeException.Reason.INVALID_REPLY, "two replies held no verdict").withSpent(new TokenUsage(240, 60));
        });
        CachingJudge auto = new CachingJudge(billedThenFailing, new VerdictStore(dir), CacheMode.AUTO);

        List<JudgeException> errors = twoChecksAtOnce(release, () -> {
            try {
                auto.judge(request);
                throw new AssertionError("the judge failed, so must the check");
            } catch (JudgeException e) {
                return e;
            }
        });

        assertThat(calls).hasValue(1);
        assertThat(errors).hasSize(2).allSatisfy(e -> {
            assertThat(e.reason()).isEqualTo(JudgeException.Reason.INVALID_REPLY);
            assertThat(e).hasMessage("two replies held no verdict");
        });
        assertThat(errors).extracting(JudgeException::spent).containsExactlyInAnyOrder(new TokenUsage(240, 60), TokenUsage.NONE);
    }

    /**
     * Runs {@code check} twice at once: the first judges until {@code release} is counted down, the second starts meanwhile
     * and joins its call (or, late, reads its file); returns what each gave.
     */
    private static <T> List<T> twoChecksAtOnce(CountDownLatch release, Callable<T> check) throws Exception {
        ExecutorService checks = Executors.newFixedThreadPool(2);
        try {
            Future<T> first = checks.submit(check);
            Thread.sleep(100);
            Future<T> second = checks.submit(check);
            Thread.sleep(200);
            release.countDown();
            return List.of(first.get(), second.get());
        } finally {
            checks.shutdownNow();
        }
    }

    /** Holds a judge call back until the test releases it. */
    private static void await(CountDownLatch release) {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A judge that describes requests as {@link #counting} does and grades them with {@code grading}. */
    private Judge judgingWith(BiFunction<JudgeRequest, JudgeFingerprint, Verdict> grading) {
        return new Judge() {
            @Override
            public JudgeFingerprint fingerprint(JudgeRequest r) {
                return counting.fingerprint(r);
            }

            @Override
            public Verdict judge(JudgeRequest r, JudgeFingerprint fingerprint) {
                return grading.apply(r, fingerprint);
            }
        };
    }

    private List<Path> files() {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
