package dev.llmjudge.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Received;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Judges sharing one cache directory, in one JVM or in two, against one loopback server that
 * answers slowly enough for them to overlap: each key is claimed by one of them, which pays for
 * it, while the others wait and replay its verdict. A claim left by a killed JVM does not block,
 * a judge error releases the claim, and no claim file outlives its claim.
 */
class CacheClaimTest extends LoopbackJudgeTest {
    private static final Pattern CASE = Pattern.compile("The answer of ([\\w-]+)\\.");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SLOW = Duration.ofMillis(150);
    /** Longer than any test here may take: a request that waits this long is only ever answered by a kill. */
    private static final Duration NEVER = Duration.ofMinutes(5);

    @Test
    @Timeout(180)
    void sixteen_threads_and_another_jvm_of_eight_pay_once_for_each_of_sixty_keys() throws Exception {
        server.otherwise(r -> verdict().afterMillis(SLOW.toMillis()));
        List<String> shared = VerdictWriterMain.cases("shared", 40);
        List<String> mine = concat(shared, VerdictWriterMain.cases("parent", 10));
        List<String> theirs = concat(shared, VerdictWriterMain.cases("child", 10));

        List<Verdict> verdicts;
        List<String> childLines;
        try (Child child = Child.start(this, 8, theirs)) {
            verdicts = judgeAll(harness.runtime(server.baseUrl()), 16, mine, child::go);
            childLines = child.finish();
        }

        assertPaidOnceEach(concat(mine, VerdictWriterMain.cases("child", 10)));
        assertThat(childLines).as("the child judged or replayed every case").hasSize(theirs.size()).allMatch(l -> l.startsWith("OK "));
        long replayedHere = verdicts.stream().filter(Verdict::cached).count();
        long replayedThere = childLines.stream().filter(l -> l.endsWith(" true")).count();
        assertThat(replayedHere + replayedThere).as("each shared key is paid by one JVM and replayed by the other").isEqualTo(shared.size());
    }

    @Test
    @Timeout(120)
    void two_runtimes_in_one_jvm_pay_once_for_each_key() throws Exception {
        server.otherwise(r -> verdict().afterMillis(SLOW.toMillis()));
        List<String> shared = VerdictWriterMain.cases("shared", 20);
        List<String> first = concat(shared, VerdictWriterMain.cases("first", 5));
        List<String> second = concat(shared, VerdictWriterMain.cases("second", 5));
        LlmJudgeRuntime one = harness.runtime(server.baseUrl());
        LlmJudgeRuntime other = harness.runtime(server.baseUrl());

        judgeTogether(8, one, first, other, second);

        assertPaidOnceEach(concat(first, VerdictWriterMain.cases("second", 5)));
    }

    @Test
    @Timeout(120)
    void two_runtimes_refreshing_the_same_keys_at_once_pay_once_for_each() throws Exception {
        List<String> cases = VerdictWriterMain.cases("refreshed", 12);
        judgeAll(harness.runtime(server.baseUrl()), 4, cases, () -> { });
        // A thread per case in each runtime, and slow replies: the two refreshes of a key overlap.
        server.otherwise(r -> verdict().afterMillis(1_000));
        Map<String, String> refresh = Map.of(LlmJudgeConfig.CACHE_MODE, "refresh");
        LlmJudgeRuntime one = harness.runtime(server.baseUrl(), refresh);
        LlmJudgeRuntime other = harness.runtime(server.baseUrl(), refresh);

        judgeTogether(cases.size(), one, cases, other, cases);

        Map<String, Long> twice = new TreeMap<>();
        cases.forEach(c -> twice.put(c, 2L));
        assertThat(requestsPerCase()).as("requests per case: the recording run and one refresh").isEqualTo(twice);
        assertOnlyWholeVerdictsOf(cases);
    }

    @Test
    @Timeout(120)
    void a_claim_left_by_a_jvm_killed_while_judging_does_not_block_the_next_one() throws Exception {
        String held = "held-0";
        server.otherwise(r -> firstRequestFor(held, r) ? verdict().afterMillis(NEVER.toMillis()) : verdict());
        LlmJudgeRuntime runtime = harness.runtime(server.baseUrl());
        ExecutorService next = Executors.newSingleThreadExecutor();
        try {
            Future<Verdict> judged;
            try (Child child = childAskingAbout(held)) {
                assertThat(heldByAnotherProcess(claimFileOf(held))).as("the child holds the claim on %s while it is being judged", held)
                        .isTrue();
                judged = next.submit(() -> runtime.judge().judge(VerdictWriterMain.request(held)));
                Thread.sleep(500);
                assertThat(judged).as("this JVM waits while the child holds the claim").isNotDone();
                child.kill();
            }
            Verdict verdict = judged.get(60, TimeUnit.SECONDS);
            assertThat(verdict.cached()).as("judged by this JVM once the child was killed, not replayed").isFalse();
        } finally {
            next.shutdownNow();
        }

        assertThat(requestsPerCase()).as("the killed JVM's request and this one's").isEqualTo(Map.of(held, 2L));
        assertOnlyWholeVerdictsOf(List.of(held));
    }

    @Test
    @Timeout(120)
    void a_judge_error_in_the_claiming_jvm_releases_the_claim_and_the_waiting_one_judges() throws Exception {
        String failing = "failing-0";
        server.otherwise(r -> firstRequestFor(failing, r) ? Reply.error(400, "bad request").afterMillis(3_000) : verdict());
        Verdict verdict;
        List<String> childLines;
        try (Child child = childAskingAbout(failing)) {
            verdict = harness.runtime(server.baseUrl()).judge().judge(VerdictWriterMain.request(failing));
            childLines = child.finish();
        }

        assertThat(childLines).as("the child's outcome").containsExactly("ERROR " + failing + " BAD_REQUEST");
        assertThat(verdict.cached()).as("judged here: the child's error is not this JVM's").isFalse();
        assertThat(requestsPerCase()).as("the child's failed request and this JVM's").isEqualTo(Map.of(failing, 2L));
        assertThat(server.maxConcurrentRequests()).as("this JVM waited for the child's claim instead of asking at the same time")
                .isEqualTo(1);
        assertOnlyWholeVerdictsOf(List.of(failing));
    }

    @Test
    @Timeout(120)
    void old_claim_files_are_swept_unless_a_jvm_holds_them() throws Exception {
        String held = "held-0";
        server.otherwise(r -> firstRequestFor(held, r) ? verdict().afterMillis(NEVER.toMillis()) : verdict());
        try (Child child = childAskingAbout(held)) {
            Path heldClaim = claimFileOf(held);
            Path leftover = Files.createFile(claimFileOf("left-0"));
            Path fresh = Files.createFile(claimFileOf("fresh-0"));
            FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
            Files.setLastModifiedTime(heldClaim, hourAgo);
            Files.setLastModifiedTime(leftover, hourAgo);

            harness.runtime(server.baseUrl()).judge().judge(VerdictWriterMain.request("written-0"));

            assertThat(leftover).as("an hour old and locked by no one: left by a JVM that died").doesNotExist();
            assertThat(fresh).as("may be about to be locked by a JVM that just created it").exists();
            assertThat(heldClaim).as("an hour old, but held by the child").exists();
            assertThat(heldByAnotherProcess(heldClaim)).isTrue();
        }
    }

    /** Judges every case once on {@code threads} threads, after {@code start}. */
    private static List<Verdict> judgeAll(LlmJudgeRuntime runtime, int threads, List<String> cases, ThrowingRunnable start)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            start.run();
            List<Future<Verdict>> judged = new ArrayList<>();
            for (String c : cases) {
                judged.add(pool.submit(() -> runtime.judge().judge(VerdictWriterMain.request(c))));
            }
            List<Verdict> verdicts = new ArrayList<>();
            for (Future<Verdict> f : judged) {
                verdicts.add(f.get(90, TimeUnit.SECONDS));
            }
            return verdicts;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Judges {@code first} in {@code one} and {@code second} in {@code other} at the same time, each on {@code threads} threads. */
    private static void judgeTogether(int threads, LlmJudgeRuntime one, List<String> first, LlmJudgeRuntime other, List<String> second)
            throws Exception {
        ExecutorService both = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<List<Verdict>> a = both.submit(() -> judgeAll(one, threads, first, go::await));
            Future<List<Verdict>> b = both.submit(() -> judgeAll(other, threads, second, go::await));
            go.countDown();
            a.get(90, TimeUnit.SECONDS);
            b.get(90, TimeUnit.SECONDS);
        } finally {
            both.shutdownNow();
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static Reply verdict() {
        return Reply.verdict(5, "The answer conveys the same meaning as the ground truth.");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }

    /** The server received one request for each case, and the cache holds a whole verdict file for each and nothing else. */
    private void assertPaidOnceEach(List<String> cases) throws IOException {
        assertThat(requestsPerCase()).as("requests per case")
                .isEqualTo(cases.stream().collect(Collectors.toMap(c -> c, c -> 1L, (x, y) -> x, TreeMap::new)));
        assertOnlyWholeVerdictsOf(cases);
    }

    private static String caseOf(Received request) {
        Matcher m = CASE.matcher(request.promptText());
        return m.find() ? m.group(1) : "(no case in " + request.body() + ")";
    }

    /** Whether {@code request} is the first the server received for {@code caseName}. */
    private boolean firstRequestFor(String caseName, Received request) {
        return caseOf(request).equals(caseName) && server.requests().stream().filter(r -> caseOf(r).equals(caseName)).count() == 1;
    }

    private Map<String, Long> requestsPerCase() {
        return server.requests().stream().collect(Collectors.groupingBy(CacheClaimTest::caseOf, TreeMap::new, Collectors.counting()));
    }

    /** A child JVM judging one case, once the server has received its request (so the child holds the claim on the case). */
    private Child childAskingAbout(String caseName) throws IOException, InterruptedException {
        Child child = Child.start(this, 1, List.of(caseName));
        child.go();
        awaitRequestFor(caseName);
        return child;
    }

    private void awaitRequestFor(String caseName) throws InterruptedException {
        Predicate<Received> forCase = r -> caseOf(r).equals(caseName);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.requests().stream().noneMatch(forCase)) {
            assertThat(System.nanoTime()).as("the child asked the judge about %s within a minute", caseName).isLessThan(until);
            Thread.sleep(20);
        }
    }

    private Path metricDir() {
        return harness.cacheDir.resolve(Metrics.answerSimilarity().name());
    }

    private Path claimFileOf(String caseName) {
        return metricDir().resolve("." + VerdictWriterMain.key(caseName) + ".claim");
    }

    /** Whether a process other than this JVM holds a lock on {@code file}. */
    private static boolean heldByAnotherProcess(Path file) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
            return lock == null;
        }
    }

    /** The metric directory holds exactly one verdict file per case, each whole and under its own key, and nothing else. */
    private void assertOnlyWholeVerdictsOf(List<String> cases) throws IOException {
        try (Stream<Path> files = Files.list(metricDir())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("one verdict file per key, and no claim or temporary file left behind")
                    .containsExactlyInAnyOrderElementsOf(cases.stream().map(c -> VerdictWriterMain.key(c) + ".json").toList());
        }
        for (String c : cases) {
            String key = VerdictWriterMain.key(c);
            JsonNode file = JSON.readTree(metricDir().resolve(key + ".json").toFile());
            assertThat(file.path("key").asText()).as("key in the verdict file of %s", c).isEqualTo(key);
            assertThat(file.path("score").asInt()).as("score in the verdict file of %s", c).isEqualTo(5);
            assertThat(file.path("case").path("answer").asText()).isEqualTo("The answer of " + c + ".");
        }
    }

    /** A {@link JudgingMain} in another JVM, on this test's server and cache directory. */
    private record Child(Process process, BufferedReader out, Path errorFile) implements AutoCloseable {
        static Child start(CacheClaimTest test, int threads, List<String> cases) throws IOException {
            Path errors = test.tempDir.resolve("child.err");
            Process process = JudgingMain.start(errors, test.server.baseUrl(), test.harness.cacheDir, threads, cases);
            Child child = new Child(process, new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                    errors);
            assertThat(child.out.readLine()).as("the child started; its errors: %s", child.errors()).isEqualTo("READY");
            return child;
        }

        void go() throws IOException {
            OutputStream in = process.getOutputStream();
            in.write("GO\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        /** The child's outcome lines, once it is done. */
        List<String> finish() throws IOException, InterruptedException {
            List<String> lines = new ArrayList<>();
            for (String line = out.readLine(); !"DONE".equals(line); line = out.readLine()) {
                assertThat(line).as("the child finished; its errors: %s", errors()).isNotNull();
                lines.add(line);
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
            return lines;
        }

        /** SIGKILL: no finally block and no shutdown hook runs in the child. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        /** Kills the child if it still runs, e.g. after a failed assertion. */
        @Override
        public void close() {
            process.destroyForcibly();
        }

        String errors() {
            try {
                return Files.readString(errorFile);
            } catch (IOException e) {
                return "(none)";
            }
        }
    }
}
