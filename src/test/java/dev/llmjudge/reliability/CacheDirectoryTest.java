package dev.llmjudge.reliability;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llmjudge.internal.cache.CacheKeys;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeException.Reason;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Cache directories that cannot be used as they are: missing, in the way of a file, read-only,
 * or holding a truncated file. Each ends in a clear error naming the directory or file, or just
 * works; a replay run never writes.
 *
 * <p>Read-only, when the tests run as root: root ignores permission bits, so the read-only
 * directory is made immutable with {@code chattr +i} instead (the test is skipped, saying why,
 * where neither works).
 */
class CacheDirectoryTest extends LoopbackJudgeTest {
    private static final Map<String, String> REPLAY = Map.of(LlmJudgeConfig.CACHE_MODE, "replay");

    private LlmJudgeRuntime runtimeWithCacheAt(Path cacheDir, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put(LlmJudgeConfig.CACHE_DIR, cacheDir.toString());
        return harness.runtime(server.baseUrl(), all);
    }

    @Test
    void cache_dir_under_a_regular_file_errors_naming_the_file() throws IOException {
        Path blocker = Files.writeString(tempDir.resolve("not-a-directory"), "a file where a directory should be");
        Path cacheDir = blocker.resolve("verdicts");

        JudgeException e = harness.error(runtimeWithCacheAt(cacheDir, Map.of()));

        assertThat(e.reason()).isEqualTo(Reason.CACHE_IO);
        assertThat(e.getMessage()).contains(blocker.toString() + " is a file, not a directory", "llmjudge.cache.dir");
        assertThat(server.requestCount()).as("no judge call is wasted on a verdict that cannot be stored").isZero();
        harness.assertRecordedAsError(e);
    }

    @Test
    void cache_dir_that_is_a_regular_file_errors_naming_it() throws IOException {
        Path cacheDir = Files.writeString(tempDir.resolve("verdicts.json"), "{}");

        JudgeException e = harness.error(runtimeWithCacheAt(cacheDir, Map.of()));

        assertThat(e.reason()).isEqualTo(Reason.CACHE_IO);
        assertThat(e.getMessage()).contains(cacheDir.toString() + " is a file, not a directory", "llmjudge.cache.dir");
        harness.assertRecordedAsError(e);
    }

    @Test
    void missing_cache_dir_is_created_in_auto_mode() {
        Path cacheDir = tempDir.resolve("not/yet/there");

        harness.pass(runtimeWithCacheAt(cacheDir, Map.of()));

        assertThat(JudgeHarness.filesUnder(cacheDir)).singleElement().satisfies(f -> assertThat(f.toString()).endsWith(".json"));
    }

    @Test
    void missing_cache_dir_stays_missing_when_the_judge_errors_in_auto_mode() {
        Path cacheDir = tempDir.resolve("not/yet/there");
        server.otherwise(r -> Reply.error(400, "bad request"));

        JudgeException e = harness.error(runtimeWithCacheAt(cacheDir, Map.of()));

        assertThat(e.reason()).isEqualTo(Reason.BAD_REQUEST);
        assertThat(tempDir.resolve("not")).as("no directory is left behind by a check that recorded nothing").doesNotExist();
    }

    @Test
    void missing_cache_dir_in_replay_mode_errors_naming_it_the_case_and_the_expected_file_and_creates_nothing() {
        Path cacheDir = tempDir.resolve("checkout/src/test/llm-judge");
        LlmJudgeRuntime runtime = runtimeWithCacheAt(cacheDir, REPLAY);
        JudgeRequest request = new JudgeRequest(Metrics.answerSimilarity(),
                EvaluationCase.ofAnswer(JudgeHarness.ANSWER).withGroundTruth(JudgeHarness.GROUND_TRUTH));
        String key = new CacheKeys().key(request.metric(), runtime.judge().fingerprint(request));

        JudgeException e = harness.error(runtime);

        assertThat(e.reason()).isEqualTo(Reason.NOT_RECORDED);
        assertThat(e.getMessage()).contains("no recorded verdict for metric 'answer_similarity' on the case (answer \""
                + JudgeHarness.ANSWER + "\", ground truth \"" + JudgeHarness.GROUND_TRUTH + "\")",
                "expected " + cacheDir.toAbsolutePath().resolve("answer_similarity").resolve(key + ".json"),
                "the cache directory " + cacheDir.toAbsolutePath() + " (llmjudge.cache.dir) does not exist",
                "llmjudge.cache.mode=auto");
        assertThat(tempDir.resolve("checkout")).doesNotExist();
        assertThat(server.requestCount()).isZero();
        harness.assertRecordedAsError(e);
    }

    @Test
    void replay_reads_a_committed_cache_and_never_writes() throws IOException {
        harness.pass(harness.runtime(server.baseUrl()));
        Path leftover = Files.writeString(harness.verdictFiles().get(0).resolveSibling(".abc.1234.tmp"), "{\"half");
        Files.setLastModifiedTime(leftover, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
        Map<String, String> before = snapshot(harness.cacheDir);
        server.otherwise(r -> Reply.error(500, "the judge must not be asked"));

        harness.pass(harness.runtime(server.baseUrl(), REPLAY));
        JudgeException missing = JudgeHarness.error(harness.runtime(server.baseUrl(), REPLAY),
                () -> assertThatAnswer("Lyon").isSimilarTo("Marseille").withScoreAtLeast(4));

        assertThat(server.requestCount()).as("only the recording run asked the judge").isEqualTo(1);
        assertThat(missing.reason()).isEqualTo(Reason.NOT_RECORDED);
        assertThat(snapshot(harness.cacheDir)).as("every file and directory, byte for byte, with its time stamp").isEqualTo(before);
    }

    @Test
    void read_only_cache_dir_errors_naming_it_in_auto_mode_and_works_in_replay() throws IOException {
        harness.pass(harness.runtime(server.baseUrl()));
        Map<String, String> before = snapshot(harness.cacheDir);

        try (ReadOnly readOnly = ReadOnly.make(harness.cacheDir)) {
            harness.pass(harness.runtime(server.baseUrl(), REPLAY));
            harness.pass(harness.runtime(server.baseUrl()));
            assertThat(server.requestCount()).as("recorded verdicts are read, in auto mode too").isEqualTo(1);

            JudgeException e = JudgeHarness.error(harness.runtime(server.baseUrl()),
                    () -> assertThatAnswer("Lyon").isSimilarTo("Marseille").withScoreAtLeast(1));

            assertThat(e.reason()).isEqualTo(Reason.CACHE_IO);
            assertThat(e.getMessage()).contains("cannot write verdict file", harness.cacheDir.toAbsolutePath().toString(),
                    "writable", "llmjudge.cache.dir", "llmjudge.cache.mode=replay");
        }
        assertThat(snapshot(harness.cacheDir)).isEqualTo(before);
    }

    @Test
    void a_verdict_that_cannot_be_recorded_after_its_call_was_billed_errors_with_the_call_s_tokens() {
        // While the judge answers, the verdict's directory (holding only the claim) gives way to a file: the write fails.
        server.otherwise(r -> {
            replaceByAFile(claimedDirectory());
            return Reply.verdict(5, "Same meaning.");
        });
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl());

        JudgeException e = harness.error(runtime);

        assertThat(e.reason()).isEqualTo(Reason.CACHE_IO);
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(e.spent()).as("the call was billed, though its verdict could not be kept").isEqualTo(new TokenUsage(120, 30));
        assertThat(runtime.spent().totalTokens()).isEqualTo(150);
        harness.assertRecordedAsError(e);
        assertThat(harness.rows().get(0).promptTokens()).isEqualTo(120);
        assertThat(harness.rows().get(0).completionTokens()).isEqualTo(30);
    }

    /** The directory of the one claim file under the cache directory. */
    private Path claimedDirectory() {
        return JudgeHarness.filesUnder(harness.cacheDir).stream().reduce((a, b) -> {
            throw new AssertionError("more than one file under the cache directory: " + a + ", " + b);
        }).orElseThrow().getParent();
    }

    private static void replaceByAFile(Path dir) {
        try {
            for (Path file : JudgeHarness.filesUnder(dir)) {
                Files.delete(file);
            }
            Files.delete(dir);
            Files.writeString(dir, "a file where the verdict's directory was");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void truncated_verdict_file_is_never_read_as_a_verdict() throws IOException {
        harness.pass(harness.runtime(server.baseUrl()));
        Path file = harness.verdictFiles().get(0);
        String whole = Files.readString(file);
        Files.writeString(file, whole.substring(0, whole.length() / 2));

        JudgeException e = harness.error(harness.runtime(server.baseUrl(), REPLAY));
        assertThat(e.reason()).isEqualTo(Reason.CORRUPT_CACHE);
        assertThat(e.getMessage()).contains(file.toString(), "is corrupt", "Delete it");

        harness.pass(harness.runtime(server.baseUrl()));
        assertThat(server.requestCount()).as("auto mode judges it again").isEqualTo(2);
        assertThat(Files.readString(file)).startsWith("{").endsWith("}\n");
    }

    /** Path (relative), size, time stamp and SHA-256 of everything under a directory. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.toList()) {
                String what = Files.isDirectory(p) ? "dir" : Files.size(p) + " " + sha256(p);
                all.put(dir.relativize(p).toString(), what + " " + Files.getLastModifiedTime(p));
            }
        }
        return all;
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes a directory tree unwritable, also for root, and undoes it on close. */
    private record ReadOnly(Path dir, boolean immutable) implements AutoCloseable {
        static ReadOnly make(Path dir) throws IOException {
            if (!"root".equals(System.getProperty("user.name"))) {
                setWritable(dir, false);
                return new ReadOnly(dir, false);
            }
            // Root writes through permission bits; an immutable directory stops root too, where the file system allows it.
            assumeTrue(chattr("+i", dir), "root ignores permission bits and chattr +i is not available here");
            return new ReadOnly(dir, true);
        }

        @Override
        public void close() throws IOException {
            if (immutable) {
                chattr("-i", dir);
            } else {
                setWritable(dir, true);
            }
        }

        private static boolean chattr(String flag, Path dir) {
            try {
                Process p = new ProcessBuilder("chattr", "-R", flag, dir.toString()).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                return p.waitFor() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private static void setWritable(Path dir, boolean writable) throws IOException {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.filter(Files::isDirectory).toList()) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(writable ? "rwx------" : "r-x------"));
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }
}
