package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.internal.Secrets;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verdict file of a verdict of several samples: every sample's score and justification, how
 * they were drawn and their spread, in a fixed layout; read back whole; a file written before
 * samples existed is a verdict of one; a file whose samples do not add up is corrupt.
 */
class SampledVerdictFileTest {
    private static final String KEY = "s".repeat(64);
    private static final JudgeRequest REQUEST = new JudgeRequest(Metrics.answerSimilarity(),
            EvaluationCase.ofAnswer("Paris, or maybe Lyon.").withGroundTruth("Paris."), 5);

    /**
     * A verdict of five samples asked, four drawn with seeds before the median was fixed (4 whatever the fifth scores) and the
     * samples fell on both sides of every threshold (a 1 and a 5).
     */
    private static final String WRITTEN = """
            {
              "schema" : "llm-judge-verdict/1",
              "key" : "ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss",
              "metric" : {
                "name" : "answer_similarity",
                "version" : "v1"
              },
              "judge" : {
                "model" : "gpt-4.1",
                "parameters" : {
                  "max_tokens" : 1024,
                  "n" : 5,
                  "response_format" : "json_schema",
                  "seed" : 42,
                  "temperature" : 0.7
                }
              },
              "score" : 4,
              "scale" : {
                "min" : 1,
                "max" : 5
              },
              "justification" : "Close enough.",
              "sampling" : {
                "asked" : 5,
                "drawn" : "seeds",
                "stopped_early" : true,
                "min" : 1,
                "max" : 5
              },
              "samples" : [
                {
                  "score" : 4,
                  "justification" : "Close enough."
                },
                {
                  "score" : 5,
                  "justification" : "Same meaning."
                },
                {
                  "score" : 1,
                  "justification" : "Lyon is not Paris."
                },
                {
                  "score" : 4,
                  "justification" : "Lyon is a detour."
                }
              ],
              "case" : {
                "answer" : "Paris, or maybe Lyon.",
                "ground_truth" : "Paris."
              },
              "usage" : {
                "prompt_tokens" : 360,
                "completion_tokens" : 90
              },
              "latency_ms" : 1500,
              "judged_at" : "JUDGED_AT"
            }
            """;

    @TempDir
    Path dir;

    private static Verdict verdict() {
        Sampling sampling = new Sampling(5, Sampling.Drawn.SEEDS, true, List.of(new Sampling.Sample(4, "Close enough."),
                new Sampling.Sample(5, "Same meaning."), new Sampling.Sample(1, "Lyon is not Paris."),
                new Sampling.Sample(4, "Lyon is a detour.")));
        return new Verdict("answer_similarity", "v1", 4, 1, 5, "Close enough.", "gpt-4.1", Map.of("temperature", 0.7, "seed", 42,
                "max_tokens", 1024, "response_format", "json_schema", "n", 5), null, false, null, Duration.ofMillis(1500),
                new TokenUsage(360, 90), sampling);
    }

    private Path recorded(String from, String to) throws IOException {
        return CorruptVerdicts.recorded(dir, REQUEST.metric(), KEY, WRITTEN.replace("JUDGED_AT", "2025-01-31T10:15:30Z"), from, to);
    }

    private String problemOf(Path file) {
        return CorruptVerdicts.problemOf(dir, REQUEST.metric(), KEY, file);
    }

    @Test
    void should_write_every_sample_how_they_were_drawn_and_their_spread_in_a_fixed_layout() {
        String text = new String(VerdictFile.encode(verdict(), REQUEST, KEY), StandardCharsets.UTF_8);

        assertThat(text.replaceFirst("\"judged_at\" : \"[^\"]+\"", "\"judged_at\" : \"JUDGED_AT\"")).isEqualTo(WRITTEN);
    }

    @Test
    void should_read_back_every_sample() {
        VerdictStore store = new VerdictStore(dir);
        store.write(verdict(), REQUEST, KEY);

        Verdict read = store.read(REQUEST.metric(), KEY).orElseThrow();

        assertThat(read).isEqualTo(verdict().withCacheEntry(KEY, store.fileFor(REQUEST.metric(), KEY).toString(), true));
        assertThat(read.sampling().samples()).extracting(Sampling.Sample::justification)
                .containsExactly("Close enough.", "Same meaning.", "Lyon is not Paris.", "Lyon is a detour.");
    }

    @Test
    void should_redact_a_key_in_every_samples_justification() throws IOException {
        String key = "sk-sampled-canary-0123456789abcdef";
        Secrets.register(key);
        Verdict leaking = verdict().withJustifications(text -> text + " The key is " + key + ".");

        VerdictStore store = new VerdictStore(dir);
        store.write(leaking, REQUEST, KEY);

        assertThat(Files.readString(store.fileFor(REQUEST.metric(), KEY))).doesNotContain(key).contains("Lyon is a detour. The key is [REDACTED].");
    }

    @Test
    void should_read_a_file_without_samples_as_a_verdict_of_one() throws IOException {
        int sampling = WRITTEN.indexOf("  \"sampling\"");
        int afterSamples = WRITTEN.indexOf("  \"case\"");
        Path file = new VerdictStore(dir).fileFor(REQUEST.metric(), KEY);
        Files.createDirectories(file.getParent());
        Files.writeString(file, WRITTEN.substring(0, sampling) + WRITTEN.substring(afterSamples));

        Verdict read = new VerdictStore(dir).read(REQUEST.metric(), KEY).orElseThrow();

        assertThat(read.sampling()).isEqualTo(Sampling.single(4, "Close enough."));
    }

    @Test
    void should_say_that_samples_that_do_not_add_up_are_corrupt() throws IOException {
        assertThat(problemOf(recorded("\"stopped_early\" : true", "\"stopped_early\" : false")))
                .isEqualTo("its samples do not add up: 4 samples of 5 asked: a verdict with fewer samples than asked is no verdict");
        assertThat(problemOf(recorded("\"asked\" : 5", "\"asked\" : 6"))).isEqualTo("its samples do not add up: it stopped early after 4 of 6"
                + " samples, but the 2 left could still have changed the median");
        assertThat(problemOf(recorded("\"asked\" : 5", "\"asked\" : 3"))).isEqualTo("its samples do not add up: 4 samples, more than the 3 asked");
        assertThat(problemOf(recorded("\"drawn\" : \"seeds\"", "\"drawn\" : \"dice\"")))
                .isEqualTo("its samples were drawn by \"dice\", neither \"n\" nor \"seeds\"");
        assertThat(problemOf(recorded("\"score\" : 4,\n  \"scale\"", "\"score\" : 5,\n  \"scale\"")))
                .isEqualTo("its score 5 is not the median 4 of its samples [4, 5, 1, 4]");
        assertThat(problemOf(recorded("\"score\" : 5,\n      \"justification\" : \"Same meaning.\"", "\"score\" : 9,\n      \"justification\" : \"Same meaning.\"")))
                .isEqualTo("its sample score 9 is outside 1..5");
        assertThat(problemOf(recorded("\"score\" : 5,\n      \"justification\" : \"Same meaning.\"", "\"score\" : \"5\",\n      \"justification\" : \"Same meaning.\"")))
                .isEqualTo("its sample 2 has no integer score or no justification");
        assertThat(problemOf(recorded("\"asked\" : 5,\n", ""))).startsWith("its samples are incomplete");
    }

    @Test
    void should_say_that_a_verdict_that_stopped_early_while_the_samples_left_could_still_make_a_check_unstable_is_corrupt()
            throws IOException {
        // 4, 5, 4, 4 of 5 fixes the median at 4, as an earlier version stopped, but a fifth 1 would make a check at 2, 3 or 4 unstable.
        Path earlier = recorded("\"score\" : 1,\n      \"justification\" : \"Lyon is not Paris.\"",
                "\"score\" : 4,\n      \"justification\" : \"Lyon is not Paris.\"");

        assertThat(problemOf(earlier)).isEqualTo("its samples do not add up: it stopped early after 4 of 5 samples, but the 1 left could"
                + " still have fallen on the other side of a threshold than all 4 drawn and made a check at it unstable (an earlier"
                + " version of llm-judge stopped once the median was fixed)");
    }

    /** A pairwise verdict of {@code asked} samples that stopped early after {@code scores}, written as the sampler would. */
    private static Verdict pairwiseStoppedEarly(int asked, int... scores) {
        Sampling sampling = new Sampling(asked, Sampling.Drawn.SEEDS, true, java.util.Arrays.stream(scores)
                .mapToObj(s -> new Sampling.Sample(s, "Said " + s + ".")).toList());
        return new Verdict("pairwise_preference", Metrics.pairwisePreference().version(), sampling.median(), 1, 3, "Said "
                + sampling.median() + ".", "gpt-4.1", Map.of("seed", 42, "n", asked), null, false, null, Duration.ofMillis(1500),
                new TokenUsage(360, 90), sampling);
    }

    @Test
    void should_say_that_a_pairwise_verdict_of_an_even_number_that_stopped_with_only_its_lower_middle_score_fixed_is_corrupt() {
        JudgeRequest request = new JudgeRequest(Metrics.pairwisePreference(), new EvaluationCase("Capital of France?", "Paris.",
                "France is in Europe.", null), 4);
        VerdictStore store = new VerdictStore(dir);
        // 1, 1 of 4 fixes the lower middle score at 1, but the upper one is 1 or more: a comparison reads both.
        store.write(pairwiseStoppedEarly(4, 1, 1), request, KEY);

        assertThat(CorruptVerdicts.problemOf(dir, request.metric(), KEY, store.fileFor(request.metric(), KEY)))
                .isEqualTo("its samples do not add up: it stopped early after 2 of 4 samples, but the 2 left could still have changed the"
                        + " median (of a pairwise metric: either middle score of an even number)");

        // 1, 1, 1, 1, 3 of 6 fixes both middle scores at 1, and prefers each answer once.
        JudgeRequest six = request.withSamples(6);
        store.write(pairwiseStoppedEarly(6, 1, 1, 1, 1, 3), six, KEY);
        assertThat(store.read(six.metric(), KEY).orElseThrow().sampling().scores()).containsExactly(1, 1, 1, 1, 3);
    }
}
