package dev.llmjudge.batch;

import static dev.llmjudge.assertj.LlmJudgeAssertions.assertThatAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.internal.report.Pricing;
import dev.llmjudge.internal.report.RunReports;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import dev.llmjudge.testsupport.OpenAiBatchServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer;
import dev.llmjudge.testsupport.OpenAiCompatibleServer.Reply;
import dev.llmjudge.testsupport.TestRuntimes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchJudgingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Path cacheDir;
    private Path batchDir;
    private BatchRuns runs;
    private OpenAiCompatibleServer chat;
    private OpenAiBatchServer batch;

    @BeforeEach
    void start() {
        cacheDir = temp.resolve("verdicts");
        batchDir = temp.resolve("batch");
        runs = new BatchRuns(cacheDir, batchDir);
        chat = OpenAiCompatibleServer.start();
        batch = OpenAiBatchServer.start();
    }

    @AfterEach
    void stop() {
        chat.close();
        batch.close();
    }

    private static List<String> answers(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "Paris is the capital of France (" + i + ").").toList();
    }

    private List<Path> verdictFiles() throws IOException {
        if (!Files.isDirectory(cacheDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(cacheDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json") && !f.getFileName().toString().startsWith(".")).toList();
        }
    }

    private List<JsonNode> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void should_collect_the_body_the_live_judge_sends_once_per_key_and_call_no_endpoint() throws IOException {
        runs.collect(chat, answers(2));
        runs.collect(chat, answers(2));

        assertThat(chat.requestCount()).as("chat calls while collecting").isZero();
        List<JsonNode> requests = lines(batchDir.resolve("requests.jsonl"));
        assertThat(requests).as("one line per key, collected twice").hasSize(2);
        assertThat(lines(batchDir.resolve("cases.jsonl"))).hasSize(2);
        JsonNode first = requests.get(0);
        assertThat(first.path("method").asText()).isEqualTo("POST");
        assertThat(first.path("url").asText()).isEqualTo("/v1/chat/completions");
        try (LlmJudgeRuntime live = runs.runtime(chat, "off"); LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(live)) {
            assertThatAnswer(answers(1).get(0)).isSimilarTo("The capital of France is Paris.").withScoreAtLeast(4);
        }
        assertThat(first.path("body")).as("the body the live judge sent").isEqualTo(chat.lastRequest().json());
        try (LlmJudgeRuntime runtime = runs.runtime(chat, "auto")) {
            JudgeRequest request = new JudgeRequest(Metrics.answerSimilarity(),
                    EvaluationCase.ofAnswer(answers(1).get(0)).withGroundTruth("The capital of France is Paris."));
            assertThat(runtime.judge().judge(request).cacheKey()).as("custom_id is the verdict's cache key")
                    .isEqualTo(first.path("custom_id").asText());
        }
    }

    @Test
    void should_write_each_key_once_when_threads_of_two_runtimes_collect_the_same_checks_at_once() throws Exception {
        List<String> answers = answers(40);
        List<Thread> threads = IntStream.range(0, 4).mapToObj(i -> new Thread(() -> runs.collect(chat, answers))).toList();
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }

        List<JsonNode> requests = lines(batchDir.resolve("requests.jsonl"));
        assertThat(requests).hasSize(40);
        assertThat(requests).extracting(r -> r.path("custom_id").asText()).doesNotHaveDuplicates();
        assertThat(lines(batchDir.resolve("cases.jsonl"))).extracting(c -> c.path("custom_id").asText())
                .containsExactlyInAnyOrderElementsOf(requests.stream().map(r -> r.path("custom_id").asText()).toList());
    }

    @Test
    void should_write_each_key_once_when_several_jvms_collect_the_same_checks_at_once() throws Exception {
        List<Process> jvms = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            jvms.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), CollectingMain.class.getName(), cacheDir.toString(), batchDir.toString(), "60")
                    .redirectErrorStream(true).redirectOutput(temp.resolve("jvm-" + i + ".log").toFile()).start());
        }
        runs.collect(chat, answers(60));
        for (Process jvm : jvms) {
            assertThat(jvm.waitFor()).as(Files.readString(temp.resolve("jvm-" + jvms.indexOf(jvm) + ".log"))).isZero();
        }

        List<JsonNode> requests = lines(batchDir.resolve("requests.jsonl"));
        assertThat(requests).hasSize(60);
        assertThat(requests).extracting(r -> r.path("custom_id").asText()).doesNotHaveDuplicates();
        assertThat(lines(batchDir.resolve("cases.jsonl"))).hasSize(60);
    }

    @Test
    void should_record_every_verdict_of_a_completed_batch_through_each_status_and_replay_them_without_a_call() throws IOException {
        runs.collect(chat, answers(3));
        batch.script("validating", "in_progress", "in_progress", "finalizing", "completed");

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).as(submitted.err()).isZero();
        assertThat(submitted.out()).contains("3 requests to judge in 1 batch", "created batch_1 for 3 requests",
                "llm-judge batch: batch_1 in_progress, 1/3 completed, 0 failed, ", "batch_1 finalizing, 2/3 completed",
                "batch_1 completed, 3/3 completed, 0 failed", "3 verdicts recorded", "0 without a verdict");
        assertThat(verdictFiles()).hasSize(3);
        assertThat(Files.readString(verdictFiles().get(0))).contains("\"batch_id\" : \"batch_1\"");
        assertThat(batchDir.resolve("batch-state.json")).as("no batch under way").doesNotExist();

        try (LlmJudgeRuntime replay = runs.runtime(chat, "replay")) {
            for (String answer : answers(3)) {
                Verdict verdict = replay.judge().judge(new JudgeRequest(Metrics.answerSimilarity(),
                        EvaluationCase.ofAnswer(answer).withGroundTruth("The capital of France is Paris.")));
                assertThat(verdict.cached()).isTrue();
                assertThat(verdict.batchId()).isEqualTo("batch_1");
                assertThat(verdict.score()).isEqualTo(5);
            }
        }
        assertThat(chat.requestCount()).as("chat calls while replaying").isZero();
        assertThat(batch.count("POST", "/v1/chat/completions")).isZero();
    }

    @Test
    void should_list_a_line_with_an_invalid_reply_and_a_failed_request_record_only_the_valid_ones_and_count_what_was_billed()
            throws IOException {
        runs.collect(chat, answers(3));
        batch.replies(body -> body.toString().contains("(2)") ? Reply.content("I think it is fine.")
                : body.toString().contains("(3)") ? Reply.error(500, "The server had an error processing the request.")
                : Reply.verdict(4, "Close enough."));

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).isEqualTo(BatchJudging.SOME_FAILED);
        assertThat(verdictFiles()).hasSize(1);
        assertThat(submitted.err()).contains("no verdict for ", "gave no valid verdict in 1 attempt: ",
                "the request failed with HTTP 500: The server had an error processing the request.");
        // The valid and the invalid reply were billed (150 tokens each at the test server), the failed request was not.
        assertThat(submitted.out()).contains("1 verdicts recorded", "300 tokens billed", "2 without a verdict");
    }

    @Test
    void should_collect_a_verdict_of_three_samples_as_one_request_for_n_and_replay_the_samples_the_batch_returned() throws IOException {
        Map<String, String> threeSamples = Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3");
        runs.collect(chat, answers(1), threeSamples);
        assertThat(lines(batchDir.resolve("requests.jsonl"))).singleElement()
                .satisfies(line -> assertThat(line.path("body").path("n").asInt()).isEqualTo(3));
        batch.replies(body -> Reply.verdicts(5, 3, 4));

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).as(submitted.err()).isZero();
        try (LlmJudgeRuntime replay = runs.runtime(chat, "replay", threeSamples)) {
            Verdict verdict = replay.judge().judge(new JudgeRequest(Metrics.answerSimilarity(),
                    EvaluationCase.ofAnswer(answers(1).get(0)).withGroundTruth("The capital of France is Paris.")));
            assertThat(verdict.cached()).isTrue();
            assertThat(verdict.batchId()).isEqualTo("batch_1");
            assertThat(verdict.sampling().scores()).containsExactly(5, 3, 4);
            assertThat(verdict.sampling().drawn()).isEqualTo(Sampling.Drawn.N);
            assertThat(verdict.score()).as("the median").isEqualTo(4);
        }
        assertThat(chat.requestCount()).as("chat calls while collecting and replaying").isZero();
    }

    @Test
    void should_collect_a_verdict_scored_by_probabilities_with_logprobs_and_replay_its_weighted_score() throws IOException {
        Map<String, String> byProbabilities = Map.of(LlmJudgeConfig.JUDGE_SCORE_BY, "probabilities");
        runs.collect(chat, answers(1), byProbabilities);
        assertThat(lines(batchDir.resolve("requests.jsonl"))).singleElement()
                .satisfies(line -> assertThat(line.path("body").path("logprobs").asBoolean()).isTrue());
        batch.replies(body -> Reply.withLogprobs(new OpenAiCompatibleServer.Scored(4, "Close.", Map.of(4, 0.6, 5, 0.3, 3, 0.1))));

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).as(submitted.err()).isZero();
        try (LlmJudgeRuntime replay = runs.runtime(chat, "replay", byProbabilities)) {
            Verdict verdict = replay.judge().judge(new JudgeRequest(Metrics.answerSimilarity(),
                    EvaluationCase.ofAnswer(answers(1).get(0)).withGroundTruth("The capital of France is Paris.")));
            assertThat(verdict.batchId()).isEqualTo("batch_1");
            assertThat(verdict.score()).isEqualTo(4);
            assertThat(verdict.weightedScore().getAsDouble()).isCloseTo(4.2, within(1e-9));
        }
        assertThat(chat.requestCount()).isZero();
    }

    @Test
    void should_list_a_line_whose_logprobs_overflow_and_count_what_it_was_billed() throws IOException {
        Map<String, String> byProbabilities = Map.of(LlmJudgeConfig.JUDGE_SCORE_BY, "probabilities");
        runs.collect(chat, answers(1), byProbabilities);
        // Logprobs far above 0, which no probability has: the levels' weights overflow.
        batch.replies(body -> Reply.withLogprobs(new OpenAiCompatibleServer.Scored(4, "Close.", Map.of(4, Double.MAX_VALUE, 5,
                Double.MAX_VALUE))));

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).isEqualTo(BatchJudging.SOME_FAILED);
        assertThat(verdictFiles()).isEmpty();
        assertThat(submitted.err()).contains("no verdict for ", "replied with logprobs that give no distribution of the levels");
        assertThat(submitted.out()).contains("0 verdicts recorded", "150 tokens billed", "1 without a verdict");
    }

    @Test
    void should_record_nothing_for_a_reply_with_fewer_valid_samples_than_asked_and_say_why() throws IOException {
        runs.collect(chat, answers(1), Map.of(LlmJudgeConfig.JUDGE_SAMPLES, "3"));
        batch.replies(body -> Reply.verdicts(5, 4));

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).isEqualTo(BatchJudging.SOME_FAILED);
        assertThat(verdictFiles()).isEmpty();
        assertThat(submitted.err()).contains("the reply holds 2 valid verdicts of the 3 samples asked (n, from llmjudge.judge.samples)",
                "judge these cases live (llmjudge.cache.mode=auto)");
    }

    @Test
    void should_record_the_partial_output_of_an_expired_batch_and_list_the_expired_requests() throws IOException {
        runs.collect(chat, answers(3));
        batch.script("validating", "in_progress", "expired").partial(2);

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).isEqualTo(BatchJudging.SOME_FAILED);
        assertThat(submitted.out()).contains("batch_1 expired, 2/3 completed, 1 failed");
        assertThat(verdictFiles()).hasSize(2);
        assertThat(submitted.err()).contains("the batch reports batch_expired: This request could not be executed");
    }

    @Test
    void should_record_nothing_of_a_failed_batch_and_list_every_request() throws IOException {
        runs.collect(chat, answers(2));
        batch.script("validating", "failed");

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).isEqualTo(BatchJudging.SOME_FAILED);
        assertThat(verdictFiles()).isEmpty();
        assertThat(submitted.err().lines().filter(l -> l.contains("not judged: batch batch_1 ended failed"))).hasSize(2);
    }

    @Test
    void should_cancel_a_batch_under_way_and_record_what_it_had_judged() throws Exception {
        runs.collect(chat, answers(3));
        batch.script("validating", "in_progress").partial(1);
        Thread waiting = new Thread(() -> runs.command(batch, "submit", "-Dllmjudge.batch.poll-interval=20ms"));
        waiting.start();
        while (batch.count("GET", "/v1/batches/") < 2) {
            Thread.sleep(5);
        }
        waiting.interrupt();
        waiting.join();

        BatchRuns.Command cancelled = runs.command(batch, "cancel");

        assertThat(cancelled.out()).contains("resuming the batches of", "cancelling batch_1: cancelling", "batch_1 cancelled, 1/3 completed");
        assertThat(cancelled.status()).isEqualTo(BatchJudging.SOME_FAILED);
        assertThat(verdictFiles()).hasSize(1);
        assertThat(cancelled.err().lines().filter(l -> l.contains("ended cancelled before this request"))).hasSize(2);
        assertThat(batch.count("POST", "/v1/files")).as("uploads").isEqualTo(1);
    }

    @Test
    void should_resume_a_killed_poll_from_the_stored_batch_id_without_a_second_upload() throws Exception {
        runs.collect(chat, answers(3));
        String[] script = new String[42];
        script[0] = "validating";
        java.util.Arrays.fill(script, 1, 41, "in_progress");
        script[41] = "completed";
        batch.script(script);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), BatchJudgingMain.class.getName(), "submit"));
        command.addAll(runs.arguments(batch, "50ms"));
        Process first = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(temp.resolve("first.log").toFile()).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (batch.count("GET", "/v1/batches/") < 3 && System.nanoTime() < deadline && first.isAlive()) {
            Thread.sleep(10);
        }
        first.destroyForcibly().waitFor();
        assertThat(Files.readString(temp.resolve("first.log"))).contains("created batch_1", "batch_1 in_progress");
        assertThat(batchDir.resolve("batch-state.json")).as("the killed command's state").exists();

        BatchRuns.Command resumed = runs.command(batch, "resume");

        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming the batches of", "batch_1 completed, 3/3 completed", "3 verdicts recorded");
        assertThat(batch.count("POST", "/v1/files")).as("uploads").isEqualTo(1);
        assertThat(batch.count("POST", "/v1/batches")).as("batches created").isEqualTo(1);
        assertThat(verdictFiles()).hasSize(3);
    }

    private long listings() {
        return batch.requests().stream().filter(r -> r.method().equals("GET") && r.path().equals("/v1/batches")).count();
    }

    @Test
    void should_take_the_batch_a_create_made_when_its_reply_timed_out_and_never_create_a_second_one() throws IOException {
        runs.collect(chat, answers(2));
        batch.script("in_progress", "completed").delayNextCreate(Duration.ofMillis(1500));

        BatchRuns.Command submitted = runs.command(batch, "submit", "-Dllmjudge.judge.timeout=500ms");

        assertThat(submitted.status()).as(submitted.err()).isZero();
        assertThat(batch.count("POST", "/v1/batches")).as("batches created from one input file, each billed").isEqualTo(1);
        assertThat(listings()).as("listings of the batches after the create timed out").isEqualTo(1);
        assertThat(submitted.out()).contains("created batch_1 for 2 requests (part-1.jsonl)", "batch_1 completed", "2 verdicts recorded");
        assertThat(verdictFiles()).hasSize(2);
    }

    @Test
    void should_take_the_batch_a_create_made_before_a_gateway_answered_502_and_never_create_a_second_one() throws IOException {
        runs.collect(chat, answers(2));
        batch.script("in_progress", "completed").failNextCreate(502, true);

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).as(submitted.err()).isZero();
        assertThat(batch.count("POST", "/v1/batches")).as("creates sent").isEqualTo(1);
        assertThat(submitted.out()).contains("created batch_1 for 2 requests", "2 verdicts recorded");
        assertThat(verdictFiles()).hasSize(2);
    }

    @Test
    void should_stop_naming_the_uploaded_file_when_a_failed_create_left_no_batch_listed_and_create_it_once_on_resume() throws IOException {
        runs.collect(chat, answers(2));
        batch.script("in_progress", "completed").failNextCreate(500, false);

        BatchRuns.Command failed = runs.command(batch, "submit");

        assertThat(failed.status()).isEqualTo(BatchJudging.SOME_FAILED);
        assertThat(failed.err()).contains("llm-judge batch: creating the batch of the uploaded file file-1 failed (HTTP 500: ",
                "may have created it all the same; it lists no batch of that file yet. Not sending the create again, which could make a"
                        + " second batch of the same requests, billed twice. Check the provider's batches",
                "for one with input file file-1 before you submit again: resume lists them first, takes such a batch, and creates one"
                        + " only when none is listed.", "run resume to go on");
        assertThat(batch.count("POST", "/v1/batches")).as("creates sent").isEqualTo(1);
        assertThat(Files.readString(batchDir.resolve("batch-state.json"))).as("the state keeps the uploaded file").contains("file-1");

        BatchRuns.Command resumed = runs.command(batch, "resume");

        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("created batch_1 for 2 requests", "2 verdicts recorded");
        assertThat(listings()).as("listings: after the failed create, and before the create on resume").isEqualTo(2);
        assertThat(batch.count("POST", "/v1/files")).as("uploads").isEqualTo(1);
        assertThat(batch.count("POST", "/v1/batches")).as("creates sent: the failed one, and one once none was listed").isEqualTo(2);
        assertThat(verdictFiles()).hasSize(2);
    }

    @Test
    void should_take_on_resume_the_batch_a_create_made_after_the_command_stopped_without_creating_another() throws IOException {
        runs.collect(chat, answers(2));
        batch.script("in_progress", "completed").failNextCreate(500, false);
        assertThat(runs.command(batch, "submit").status()).isEqualTo(BatchJudging.SOME_FAILED);
        String late = batch.createBatch("file-1");

        BatchRuns.Command resumed = runs.command(batch, "resume");

        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("found " + late + ", created earlier from file-1, for 2 requests (part-1.jsonl)",
                late + " completed", "2 verdicts recorded");
        assertThat(batch.count("POST", "/v1/batches")).as("creates sent: only the failed one").isEqualTo(1);
        assertThat(verdictFiles()).hasSize(2);
    }

    @Test
    void should_retry_a_create_the_endpoint_refused_with_429_without_listing_the_batches() throws IOException {
        runs.collect(chat, answers(2));
        batch.script("in_progress", "completed").failNextCreate(429, false);

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).as(submitted.err()).isZero();
        assertThat(batch.count("POST", "/v1/batches")).as("creates sent: the refused one and its retry").isEqualTo(2);
        assertThat(listings()).isZero();
        assertThat(submitted.out()).contains("created batch_1 for 2 requests", "2 verdicts recorded");
    }

    @Test
    void should_refuse_a_batch_state_that_cannot_be_read_saying_which_file_what_is_wrong_and_what_to_do_and_call_nothing() throws IOException {
        Path state = batchDir.resolve("batch-state.json");
        Files.createDirectories(batchDir);
        Files.writeString(state, "{\"run\": \"20261202-101500\", \"parts\": [{\"file\": ");

        BatchRuns.Command resumed = runs.command(batch, "resume");

        assertThat(resumed.status()).isEqualTo(BatchJudging.USAGE);
        assertThat(resumed.err()).contains("llm-judge batch: the batch state " + state.toAbsolutePath() + " cannot be read: ", "(line 1, column",
                "It names the batches under way: mend it, or move it aside").doesNotContain("readable and writable", "Exception");
        assertThat(batch.requests()).as("no call to the provider").isEmpty();
        assertThat(state).as("the state is left as it was").exists();
    }

    @Test
    void should_keep_the_verdicts_a_live_run_recorded_while_the_batch_ran_not_list_them_as_failed_and_count_what_was_billed()
            throws IOException {
        runs.collect(chat, answers(3));
        chat.otherwise(request -> Reply.verdict(5, "Live verdict."));
        // While the batch runs, a live run records answers 2 and 3; the batch then gives no verdict for 2 and another for 3.
        batch.replies(body -> {
            String text = body.toString();
            if (text.contains("(1)")) {
                return Reply.verdict(4, "Batch verdict.");
            }
            try (LlmJudgeRuntime live = runs.runtime(chat, "auto"); LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(live)) {
                String answer = answers(3).get(text.contains("(2)") ? 1 : 2);
                assertThatAnswer(answer).isSimilarTo("The capital of France is Paris.").withScoreAtLeast(4);
            }
            return text.contains("(2)") ? Reply.content("I think it is fine.") : Reply.verdict(4, "Batch verdict.");
        });

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).as(submitted.err()).isZero();
        // Each of the three lines was billed (150 tokens at the test server), also the two whose verdicts the live run recorded.
        assertThat(submitted.out()).contains("1 verdicts recorded", "2 already recorded", "450 tokens billed", "0 without a verdict");
        assertThat(verdictFiles()).hasSize(3);
        List<String> contents = new ArrayList<>();
        for (Path file : verdictFiles()) {
            contents.add(Files.readString(file));
        }
        assertThat(contents).filteredOn(c -> c.contains("Live verdict.")).hasSize(2).noneMatch(c -> c.contains("batch_id"));
        assertThat(contents).filteredOn(c -> c.contains("Batch verdict.")).singleElement()
                .satisfies(c -> assertThat(c).contains("\"batch_id\" : \"batch_1\""));
    }

    @Test
    void should_price_what_the_batch_billed_at_the_batch_rate_and_its_cached_prompt_tokens_at_the_cached_rate() throws IOException {
        runs.collect(chat, answers(1), Map.of(LlmJudgeConfig.JUDGE_MODEL, "gpt-4.1"));
        batch.replies(body -> Reply.verdict(4, "Batch verdict.").withUsage(1_000_000, 800_000, 10_000));

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).as(submitted.err()).isZero();
        double usd = Pricing.estimateUsd("gpt-4.1", 1_000_000, 800_000, 10_000, true).orElseThrow();
        assertThat(RunReports.cost(usd)).isEqualTo("~$0.44").isNotEqualTo(RunReports.cost(
                Pricing.estimateUsd("gpt-4.1", 1_000_000, 10_000, true).orElseThrow()));
        assertThat(submitted.out()).contains("1 verdicts recorded", "1010000 tokens billed, ~$0.44 at the batch rate");
    }

    @Test
    void should_say_the_usage_was_not_reported_for_an_output_line_without_usage_and_claim_no_cost_for_it() throws IOException {
        runs.collect(chat, answers(2), Map.of(LlmJudgeConfig.JUDGE_MODEL, "gpt-4.1"));
        batch.replies(body -> body.toString().contains("(2)") ? Reply.verdict(4, "Batch verdict.").withoutUsage()
                : Reply.verdict(4, "Batch verdict."));

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).as(submitted.err()).isZero();
        // The line with usage was billed 150 tokens at the test server; the other's tokens are unknown, so is the batch's cost.
        assertThat(submitted.out()).contains("2 verdicts recorded",
                "150 tokens billed (" + RunReports.NOT_REPORTED + " for 1 reply), cost unknown at the batch rate")
                .doesNotContain("$");
    }

    @Test
    void should_record_the_verdict_of_an_output_line_whose_usage_cannot_be_read_and_say_its_usage_was_not_reported() throws IOException {
        runs.collect(chat, answers(2), Map.of(LlmJudgeConfig.JUDGE_MODEL, "gpt-4.1"));
        batch.replies(body -> body.toString().contains("(2)") ? Reply.verdict(4, "Batch verdict.")
                .edited(reply -> ((com.fasterxml.jackson.databind.node.ObjectNode) reply.get("usage")).put("prompt_tokens", "n/a"))
                : Reply.verdict(4, "Batch verdict."));

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).as(submitted.err()).isZero();
        assertThat(submitted.out()).contains("2 verdicts recorded",
                "150 tokens billed (" + RunReports.NOT_REPORTED + " for 1 reply), cost unknown at the batch rate")
                .doesNotContain("$");
    }

    @Test
    void should_judge_in_the_batch_and_replace_a_verdict_file_that_holds_no_verdict_as_a_live_run_would() throws IOException {
        runs.collect(chat, answers(2));
        List<String> keys = lines(batchDir.resolve("requests.jsonl")).stream().map(l -> l.path("custom_id").asText()).toList();
        Path metricDir = cacheDir.resolve(Metrics.answerSimilarity().name());
        Files.createDirectories(metricDir);
        // One file is corrupt before the submit, the other becomes corrupt while the batch runs: neither holds a verdict.
        Files.writeString(metricDir.resolve(keys.get(0) + ".json"), "{\"schema\": \"llm-judge-verdict/1\", \"score\": ");
        batch.replies(body -> {
            try {
                Files.writeString(metricDir.resolve(keys.get(1) + ".json"), "not a verdict");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Reply.verdict(4, "Batch verdict.");
        });

        BatchRuns.Command submitted = runs.command(batch, "submit");

        assertThat(submitted.status()).as(submitted.err()).isZero();
        assertThat(submitted.out()).contains("2 requests to judge in 1 batch", "2 verdicts recorded", "0 without a verdict")
                .doesNotContain("already recorded");
        assertThat(batch.file(batch.uploads().get(0)).lines()).hasSize(2);
        for (String key : keys) {
            assertThat(Files.readString(metricDir.resolve(key + ".json"))).as("the file of " + key)
                    .contains("Batch verdict.", "\"batch_id\" : \"batch_1\"");
        }
        try (LlmJudgeRuntime replay = runs.runtime(chat, "replay"); LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(replay)) {
            for (String answer : answers(2)) {
                assertThatAnswer(answer).isSimilarTo("The capital of France is Paris.").withScoreAtLeast(4);
            }
        }
        assertThat(chat.requestCount()).as("chat calls").isZero();
    }

    @Test
    void should_leave_out_a_verdict_recorded_before_the_submit_and_record_nothing_twice() throws IOException {
        runs.collect(chat, answers(2));
        try (LlmJudgeRuntime live = runs.runtime(chat, "auto"); LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(live)) {
            assertThatAnswer(answers(1).get(0)).isSimilarTo("The capital of France is Paris.").withScoreAtLeast(4);
        }
        Path live = verdictFiles().get(0);
        String liveContent = Files.readString(live);

        BatchRuns.Command submitted = runs.command(batch, "submit");
        BatchRuns.Command again = runs.command(batch, "submit");

        assertThat(submitted.status()).isZero();
        assertThat(submitted.out()).contains("1 requests to judge in 1 batch, 1 already recorded", "1 verdicts recorded");
        assertThat(batch.file(batch.uploads().get(0)).lines()).hasSize(1);
        assertThat(Files.readString(live)).as("the live verdict, untouched").isEqualTo(liveContent).doesNotContain("batch_id");
        assertThat(verdictFiles()).hasSize(2);
        assertThat(again.out()).contains("nothing to judge");
        assertThat(batch.count("POST", "/v1/files")).isEqualTo(1);
    }

    @Test
    void should_split_requests_over_the_batch_limit_into_several_batches() throws IOException {
        runs.collect(chat, answers(5));

        BatchRuns.Command submitted = runs.command(batch, "submit", "-Dllmjudge.batch.max-requests=2");

        assertThat(submitted.status()).as(submitted.err()).isZero();
        assertThat(submitted.out()).contains("5 requests to judge in 3 batches", "created batch_3 for 1 requests", "5 verdicts recorded");
        assertThat(batch.uploads()).extracting(id -> batch.file(id).lines().count()).containsExactly(2L, 2L, 1L);
        assertThat(verdictFiles()).hasSize(5);
    }

    @Test
    void should_split_requests_over_the_byte_limit_into_several_batches() throws IOException {
        runs.collect(chat, answers(3));
        long largest = Files.readAllLines(batchDir.resolve("requests.jsonl")).stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 1)
                .max().orElseThrow();

        long maxBytes = largest * 2 - 1;
        BatchRuns.Command submitted = runs.command(batch, "submit", "-Dllmjudge.batch.max-bytes=" + maxBytes);

        assertThat(submitted.status()).as(submitted.err()).isZero();
        assertThat(submitted.out()).contains("3 requests to judge in 3 batches");
        assertThat(batch.uploads()).as("each uploaded input file within llmjudge.batch.max-bytes").hasSize(3)
                .allSatisfy(id -> assertThat((long) batch.file(id).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(maxBytes));
        assertThat(verdictFiles()).hasSize(3);
    }

    @Test
    void should_refuse_to_collect_a_check_whose_answer_holds_the_api_key_write_it_nowhere_and_record_no_verdict_for_it()
            throws Exception {
        // A batch file may not hold the key, and a batch judging the request with the key masked would record a verdict on a
        // request it never saw: a check of whether the answer leaks the key would then pass on replay.
        String leaky = "Paris. By the way, my key is " + TestRuntimes.API_KEY + ".";
        runs.collect(chat, answers(1));
        try (LlmJudgeRuntime collect = runs.runtime(chat, "collect"); LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(collect)) {
            assertThatThrownBy(() -> assertThatAnswer(leaky).isSimilarTo("The capital of France is Paris.").withScoreAtLeast(4))
                    .isInstanceOf(JudgeException.class)
                    .hasMessageContaining("its case holds an API key", "Nothing was collected", "llmjudge.cache.mode=auto")
                    .hasMessageNotContaining(TestRuntimes.API_KEY);
        }
        batch.replies(body -> Reply.verdict(5, "Batch verdict."));

        assertThat(runs.command(batch, "submit").out()).contains("1 requests to judge in 1 batch", "1 verdicts recorded");

        try (Stream<Path> files = Files.walk(temp)) {
            List<Path> written = files.filter(Files::isRegularFile).toList();
            assertThat(written).isNotEmpty();
            for (Path file : written) {
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString()).doesNotContain(TestRuntimes.API_KEY)
                        .doesNotContain("my key is");
            }
        }
        assertThat(chat.requestCount()).as("chat calls").isZero();
        try (LlmJudgeRuntime replay = runs.runtime(chat, "replay"); LlmJudgeRuntime.Scope scope = LlmJudgeRuntime.use(replay)) {
            assertThatThrownBy(() -> assertThatAnswer(leaky).isSimilarTo("The capital of France is Paris.").withScoreAtLeast(4))
                    .isInstanceOf(JudgeException.class).hasMessageContaining("no recorded verdict");
        }
    }

    @Test
    void should_refuse_bad_usage_with_status_2() {
        BatchRuns.Command unknown = runs.command(batch, "judge");
        BatchRuns.Command unexpected = runs.command(batch, "submit", "--now");
        BatchRuns.Command nothingUnderWay = runs.command(batch, "resume");
        BatchRuns.Command badValue = runs.command(batch, "submit", "-Dllmjudge.batch.poll-interval=often");

        assertThat(unknown.err()).contains("unknown command 'judge'");
        assertThat(unexpected.err()).contains("unexpected argument '--now'");
        assertThat(nothingUnderWay.err()).contains("no batch is under way");
        assertThat(badValue.err()).contains("invalid value 'often' for llmjudge.batch.poll-interval");
        assertThat(List.of(unknown, unexpected, nothingUnderWay, badValue)).extracting(BatchRuns.Command::status)
                .containsOnly(BatchJudging.USAGE);
        assertThat(batch.count("POST", "/v1/files")).as("uploads").isZero();
    }

    @Test
    void should_not_echo_the_api_key_given_in_code_when_it_is_passed_as_an_argument_or_a_value() {
        String key = "sk-batch-argument-canary-0123456789";
        List<String> wrongArgument = new ArrayList<>(List.of("submit", key));
        List<String> wrongValue = new ArrayList<>(List.of("submit", "-Dllmjudge.batch.poll-interval=" + key));
        for (List<String> args : List.of(wrongArgument, wrongValue)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int status = BatchJudging.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), key);

            assertThat(status).isEqualTo(BatchJudging.USAGE);
            assertThat(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)).doesNotContain(key)
                    .contains("[REDACTED]");
        }
    }
}
