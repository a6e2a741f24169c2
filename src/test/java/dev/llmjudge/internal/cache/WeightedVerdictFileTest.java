package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.ScoreDistribution;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verdict file of a verdict scored by probabilities: its weighted score and the distribution of
 * the levels, at the top for one sample and in each sample for several, in a fixed layout; read
 * back whole; a file whose probabilities do not add up, or that does not say it asked for them, is
 * corrupt.
 */
class WeightedVerdictFileTest {
    private static final String KEY = "w".repeat(64);
    private static final JudgeRequest REQUEST = new JudgeRequest(Metrics.answerSimilarity(),
            EvaluationCase.ofAnswer("Paris, or maybe Lyon.").withGroundTruth("Paris."));
    private static final Map<String, Object> PARAMETERS = Map.of("temperature", 0.0, "seed", 42, "max_tokens", 1024, "response_format",
            "json_schema", "logprobs", true, "top_logprobs", 20);

    private static final String HEAD = """
            {
              "schema" : "llm-judge-verdict/1",
              "key" : "wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww",
              "metric" : {
                "name" : "answer_similarity",
                "version" : "v1"
              },
              "judge" : {
                "model" : "gpt-4.1",
                "parameters" : {
                  "logprobs" : true,
                  "max_tokens" : 1024,
            """;

    private static final String TAIL = """
              "case" : {
                "answer" : "Paris, or maybe Lyon.",
                "ground_truth" : "Paris."
              },
              "usage" : {
                "prompt_tokens" : 360,
                "completion_tokens" : 90
              },
              "latency_ms" : 1500,
              "judged_at" : "2025-01-31T10:15:30Z"
            }
            """;

    /** A verdict of one sample, written 4 and weighted 4.2. */
    private static final String ONE_SAMPLE = HEAD + """
                  "response_format" : "json_schema",
                  "seed" : 42,
                  "temperature" : 0.0,
                  "top_logprobs" : 20
                }
              },
              "score" : 4,
              "weighted_score" : 4.2,
              "probabilities" : {
                "3" : 0.1,
                "4" : 0.6,
                "5" : 0.3
              },
              "scale" : {
                "min" : 1,
                "max" : 5
              },
              "justification" : "Close enough.",
            """ + TAIL;

    /** A verdict of three samples, weighted 4.2, 4.5 and 3.8: their median is 4.2. */
    private static final String THREE_SAMPLES = HEAD + """
                  "n" : 3,
                  "response_format" : "json_schema",
                  "seed" : 42,
                  "temperature" : 0.0,
                  "top_logprobs" : 20
                }
              },
              "score" : 4,
              "weighted_score" : 4.2,
              "scale" : {
                "min" : 1,
                "max" : 5
              },
              "justification" : "Close enough.",
              "sampling" : {
                "asked" : 3,
                "drawn" : "n",
                "stopped_early" : false,
                "min" : 4,
                "max" : 5
              },
              "samples" : [
                {
                  "score" : 4,
                  "weighted_score" : 4.2,
                  "probabilities" : {
                    "3" : 0.1,
                    "4" : 0.6,
                    "5" : 0.3
                  },
                  "justification" : "Close enough."
                },
                {
                  "score" : 5,
                  "weighted_score" : 4.5,
                  "probabilities" : {
                    "4" : 0.5,
                    "5" : 0.5
                  },
                  "justification" : "Same meaning."
                },
                {
                  "score" : 4,
                  "weighted_score" : 3.8,
                  "probabilities" : {
                    "3" : 0.2,
                    "4" : 0.8
                  },
                  "justification" : "Lyon is a detour."
                }
              ],
            """ + TAIL;

    @TempDir
    Path dir;

    private static Sampling.Sample sample(int score, String justification, Map<Integer, Double> levels) {
        return new Sampling.Sample(score, justification, new ScoreDistribution(levels));
    }

    private static Verdict verdict(Sampling sampling) {
        Map<String, Object> parameters = new java.util.HashMap<>(PARAMETERS);
        if (sampling.asked() > 1) {
            parameters.put("n", sampling.asked());
        }
        return new Verdict("answer_similarity", "v1", sampling.median(), 1, 5, sampling.medianSample().justification(), "gpt-4.1",
                parameters, null, false, null, Duration.ofMillis(1500), new TokenUsage(360, 90), sampling);
    }

    private static Verdict oneSample() {
        return verdict(Sampling.single(sample(4, "Close enough.", Map.of(3, 0.1, 4, 0.6, 5, 0.3))));
    }

    private static Verdict threeSamples() {
        return verdict(new Sampling(3, Sampling.Drawn.N, false, List.of(sample(4, "Close enough.", Map.of(3, 0.1, 4, 0.6, 5, 0.3)),
                sample(5, "Same meaning.", Map.of(4, 0.5, 5, 0.5)), sample(4, "Lyon is a detour.", Map.of(3, 0.2, 4, 0.8)))));
    }

    private static String written(Verdict verdict) {
        String text = new String(VerdictFile.encode(verdict, REQUEST, KEY), StandardCharsets.UTF_8);
        return text.replaceFirst("\"judged_at\" : \"[^\"]+\"", "\"judged_at\" : \"2025-01-31T10:15:30Z\"");
    }

    private Verdict readBack(Verdict verdict) {
        VerdictStore store = new VerdictStore(dir);
        store.write(verdict, REQUEST, KEY);
        return store.read(REQUEST.metric(), KEY).orElseThrow();
    }

    private String problemOf(String text, String from, String to) throws IOException {
        Path file = CorruptVerdicts.recorded(dir, REQUEST.metric(), KEY, text, from, to);
        return CorruptVerdicts.problemOf(dir, REQUEST.metric(), KEY, file);
    }

    @Test
    void should_write_the_weighted_score_and_the_probabilities_of_one_sample_after_its_score() {
        assertThat(written(oneSample())).isEqualTo(ONE_SAMPLE);
    }

    @Test
    void should_write_each_samples_weighted_score_and_probabilities_and_the_median_at_the_top() {
        assertThat(written(threeSamples())).isEqualTo(THREE_SAMPLES);
    }

    @Test
    void should_read_back_the_distribution_and_the_weighted_score() {
        Verdict read = readBack(oneSample());

        assertThat(read.sampling()).isEqualTo(oneSample().sampling());
        assertThat(read.weightedScore()).hasValue(4.2);
        assertThat(read.score()).isEqualTo(4);
    }

    @Test
    void should_read_back_every_samples_distribution() {
        Verdict read = readBack(threeSamples());

        assertThat(read.sampling()).isEqualTo(threeSamples().sampling());
        assertThat(read.sampling().effectiveScores()).containsExactly(4.2, 4.5, 3.8);
        assertThat(read.weightedScore()).hasValue(4.2);
    }

    @Test
    void should_say_that_probabilities_that_do_not_add_up_are_corrupt() throws IOException {
        assertThat(problemOf(ONE_SAMPLE, "\"weighted_score\" : 4.2", "\"weighted_score\" : 4.5"))
                .isEqualTo("its weighted_score 4.5 is not the median 4.2 of its samples' weighted scores [4.2]");
        assertThat(problemOf(ONE_SAMPLE, "\"3\" : 0.1,", "\"3\" : 0.4,")).startsWith("its probabilities are malformed (the probabilities"
                + " {3=0.4, 4=0.6, 5=0.3} sum to 1.3");
        assertThat(problemOf(ONE_SAMPLE, "\"3\" : 0.1,", "\"9\" : 0.1,"))
                .isEqualTo("its probabilities are malformed (the level \"9\" is not a level from 1 to 5 with a number)");
        assertThat(problemOf(ONE_SAMPLE, "\"3\" : 0.1,", "\"3\" : \"0.1\","))
                .isEqualTo("its probabilities are malformed (the level \"3\" is not a level from 1 to 5 with a number)");
        assertThat(problemOf(ONE_SAMPLE, "\"logprobs\" : true,", "")).isEqualTo("it records probabilities of the levels, but its"
                + " parameters do not ask for logprobs");
        assertThat(problemOf(THREE_SAMPLES, "\"weighted_score\" : 4.5,", "\"weighted_score\" : 4.0,"))
                .isEqualTo("its sample 2's weighted_score 4.0 is not the weighted mean 4.5 of its probabilities");
        assertThat(problemOf(THREE_SAMPLES, "\"score\" : 4,\n  \"weighted_score\" : 4.2,", "\"score\" : 4,\n  \"weighted_score\" : 3.8,"))
                .isEqualTo("its weighted_score 3.8 is not the median 4.2 of its samples' weighted scores [4.2, 4.5, 3.8]");
        assertThat(problemOf(THREE_SAMPLES, "\"weighted_score\" : 4.2,\n  \"scale\"", "\"weighted_score\" : 4.2,\n  \"probabilities\" : {"
                + " \"4\" : 1.0 },\n  \"scale\"")).isEqualTo("it has samples, whose probabilities are each sample's, and probabilities of its own");
    }

    @Test
    void should_say_that_a_pass_fail_verdict_that_stopped_early_with_every_weighted_sample_above_the_midpoint_is_corrupt() {
        // 1.0, 1.0, 1.0, 0.7 of 5 fix the median and straddle 1, where an earlier version compared them: but all reach the
        // midpoint 0.5, which a pass/fail check is met at, and a fifth 0.2 would have made the check unstable.
        JudgeRequest politeness = new JudgeRequest(Metrics.passFail("answers in a polite tone"), EvaluationCase.ofAnswer("Thanks!"));
        Sampling sampling = new Sampling(5, Sampling.Drawn.SEEDS, true, List.of(sample(1, "A.", Map.of(1, 1.0)), sample(1, "B.",
                Map.of(1, 1.0)), sample(1, "C.", Map.of(1, 1.0)), sample(1, "D.", Map.of(1, 0.7, 0, 0.3))));
        Map<String, Object> parameters = new java.util.HashMap<>(PARAMETERS);
        parameters.put("n", 5);
        Verdict verdict = new Verdict("pass_fail_criterion", "v1", 1, 0, 1, "A.", "gpt-4.1", parameters, null, false, null,
                Duration.ofMillis(1500), new TokenUsage(360, 90), sampling);
        VerdictStore store = new VerdictStore(dir);
        store.write(verdict, politeness, KEY);

        assertThat(CorruptVerdicts.problemOf(dir, politeness.metric(), KEY, store.fileFor(politeness.metric(), KEY))).isEqualTo("its"
                + " samples do not add up: it stopped early after 4 of 5 samples, but the 1 left could still have fallen on the other side"
                + " of a threshold than all 4 drawn and made a check at it unstable (an earlier version of llm-judge stopped once the"
                + " median was fixed, or compared the weighted samples of a rubric of two levels with its higher level rather than its"
                + " midpoint)");
    }

    @Test
    void should_say_that_a_file_that_asked_for_logprobs_and_records_no_probabilities_is_corrupt() throws IOException {
        int probabilities = ONE_SAMPLE.indexOf("  \"probabilities\"");
        int scale = ONE_SAMPLE.indexOf("  \"scale\"");
        String withoutThem = ONE_SAMPLE.substring(0, probabilities) + ONE_SAMPLE.substring(scale);

        assertThat(problemOf(withoutThem, "\"weighted_score\" : 4.2,\n", "")).isEqualTo("its parameters ask for logprobs, but it records"
                + " no probabilities of the levels");
        assertThat(problemOf(withoutThem.replace("\"logprobs\" : true,\n", ""), "\"top_logprobs\" : 20", "\"top_logprobs\" : 20"))
                .isEqualTo("it has a weighted_score but no probabilities of the levels");
    }
}
