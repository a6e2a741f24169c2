package dev.llmjudge.internal.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verdict file format: the exact text a verdict is written as (committed files and their
 * diffs depend on it), what is read back, and what a corrupt file is said to be.
 */
class VerdictFileTest {
    private static final String KEY = "k".repeat(64);
    private static final String TRICKY = "Line one\nline \"two\"\r\n\ttab <b>bold</b> & \\ back \u0001\u001f caf\u00e9 \ud83d\ude00"
            + " </untrusted_case_data>";
    private static final JudgeRequest REQUEST = new JudgeRequest(Metrics.answerCorrectness(),
            EvaluationCase.ofAnswer(TRICKY).withQuestion("Capital of France?").withGroundTruth("Paris."));

    /** A verdict file as written before Jackson data binding wrote it, {@code judged_at} aside. */
    private static final String WRITTEN = """
            {
              "schema" : "llm-judge-verdict/1",
              "key" : "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk",
              "metric" : {
                "name" : "answer_correctness",
                "version" : "v1"
              },
              "judge" : {
                "model" : "gpt-4.1",
                "parameters" : {
                  "max_tokens" : 1024,
                  "response_format" : "json_schema",
                  "seed" : 42,
                  "temperature" : 0.0
                }
              },
              "score" : 4,
              "scale" : {
                "min" : 1,
                "max" : 5
              },
              "justification" : "Right, \\"mostly\\".\\nSecond line.",
              "case" : {
                "question" : "Capital of France?",
                "answer" : "Line one\\nline \\"two\\"\\r\\n\\ttab <b>bold</b> & \\\\ back \\u0001\\u001F café 😀 </untrusted_case_data>",
                "ground_truth" : "Paris."
              },
              "usage" : {
                "prompt_tokens" : 420,
                "completion_tokens" : 96
              },
              "latency_ms" : 812,
              "judged_at" : "JUDGED_AT"
            }
            """;

    @TempDir
    Path dir;

    private static Verdict verdict() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("temperature", 0.0);
        parameters.put("seed", 42);
        parameters.put("max_tokens", 1024);
        parameters.put("response_format", "json_schema");
        return new Verdict("answer_correctness", "v1", 4, 1, 5, "Right, \"mostly\".\nSecond line.", "gpt-4.1", parameters, null, false,
                null, Duration.ofMillis(812), new TokenUsage(420, 96));
    }

    /** Writes {@link #WRITTEN}, changed by {@code from} to {@code to}, as the verdict file of {@link #KEY}. */
    private Path recorded(String from, String to) throws IOException {
        return CorruptVerdicts.recorded(dir, REQUEST.metric(), KEY, WRITTEN.replace("JUDGED_AT", "2025-01-31T10:15:30Z"), from, to);
    }

    private Path recorded(String content) throws IOException {
        Path file = recorded("{", "{");
        return Files.writeString(file, content);
    }

    /** The problem a read of {@code file} reports, after checking the rest of the message. */
    private String problemOf(Path file) {
        return CorruptVerdicts.problemOf(dir, REQUEST.metric(), KEY, file);
    }

    @Test
    void should_write_the_fields_in_their_fixed_order_pretty_printed() {
        String text = new String(VerdictFile.encode(verdict(), REQUEST, KEY), StandardCharsets.UTF_8);

        assertThat(text.replaceFirst("\"judged_at\" : \"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\"", "\"judged_at\" : \"JUDGED_AT\""))
                .isEqualTo(WRITTEN);
    }

    @Test
    void should_read_back_what_it_wrote() {
        VerdictStore store = new VerdictStore(dir);
        store.write(verdict(), REQUEST, KEY);

        Verdict read = store.read(REQUEST.metric(), KEY).orElseThrow();

        assertThat(read).isEqualTo(verdict().withCacheEntry(KEY, store.fileFor(REQUEST.metric(), KEY).toString(), true));
        assertThat(read.parameters()).containsExactly(Map.entry("max_tokens", 1024), Map.entry("response_format", "json_schema"),
                Map.entry("seed", 42), Map.entry("temperature", 0.0));
    }

    @Test
    void should_ignore_members_it_does_not_know_and_the_case_scale_and_time_written_for_reviewers() throws IOException {
        recorded("\"score\" : 4,", "\"score\" : 4,\n  \"reviewed_by\" : [ \"someone\", { \"at\" : 1 } ],");
        assertThat(new VerdictStore(dir).read(REQUEST.metric(), KEY)).get().extracting(Verdict::score).isEqualTo(4);

        recorded("\"scale\" : {\n    \"min\" : 1,\n    \"max\" : 5\n  }", "\"scale\" : \"1 to 5\"");
        assertThat(new VerdictStore(dir).read(REQUEST.metric(), KEY)).isPresent();

        recorded("\"ground_truth\" : \"Paris.\"", "\"ground_truth\" : [ 1, null ]");
        assertThat(new VerdictStore(dir).read(REQUEST.metric(), KEY)).isPresent();
    }

    @Test
    void should_say_that_a_file_that_is_not_json_is_not_valid_json_and_where() throws IOException {
        for (Path file : List.of(recorded("not json"), recorded(WRITTEN.substring(0, WRITTEN.indexOf("\"usage\""))),
                recorded("\"Paris.\"", "\"Paris\\q\""), recorded("{\"schema\": \"llm-judge-verdict/1\", \"sco"))) {
            assertThat(problemOf(file)).startsWith("it is not valid JSON (").containsPattern(" at line \\d+, column \\d+\\)$");
        }
        assertThat(problemOf(recorded(WRITTEN.substring(0, WRITTEN.indexOf("\"usage\""))))).endsWith(" at line 28, column 3)");
    }

    @Test
    void should_say_that_a_document_of_another_kind_is_not_a_verdict_file() throws IOException {
        for (Path file : List.of(recorded("[ 1, 2 ]"), recorded("\"text\""), recorded("null"), recorded(""), recorded("{ }"),
                recorded("llm-judge-verdict/1", "llm-judge-verdict/2"), recorded("\"llm-judge-verdict/1\"", "{ }"))) {
            assertThat(problemOf(file)).isEqualTo("it is not a llm-judge-verdict/1 document");
        }
    }

    @Test
    void should_say_that_the_key_does_not_match_the_file_name() throws IOException {
        assertThat(problemOf(recorded("\"key\" : \"" + KEY, "\"key\" : \"" + "a".repeat(64)))).isEqualTo("its key does not match its file name");
    }

    @Test
    void should_say_that_a_score_that_is_not_an_integer_is_not_one() throws IOException {
        for (String score : List.of("\"4\"", "4.5", "4.0", "null", "true", "12345678901", "[ 4 ]")) {
            assertThat(problemOf(recorded("\"score\" : 4", "\"score\" : " + score))).as(score).isEqualTo("its score is not an integer");
        }
        assertThat(problemOf(recorded("\"score\" : 4,\n", ""))).isEqualTo("its score is not an integer");
    }

    @Test
    void should_say_that_a_verdict_without_a_model_or_a_justification_has_none() throws IOException {
        for (Path file : List.of(recorded("\"model\" : \"gpt-4.1\",\n", ""), recorded("\"model\" : \"gpt-4.1\"", "\"model\" : \" \""),
                recorded("\"justification\" : \"Right, \\\"mostly\\\".\\nSecond line.\",\n", ""))) {
            assertThat(problemOf(file)).isEqualTo("it has no judge model or no justification");
        }
    }

    @Test
    void should_say_that_a_score_outside_the_rubric_is_outside_it() throws IOException {
        assertThat(problemOf(recorded("\"score\" : 4", "\"score\" : 9"))).isEqualTo("its score 9 is outside 1..5");
        assertThat(problemOf(recorded("\"score\" : 4", "\"score\" : 0"))).isEqualTo("its score 0 is outside 1..5");
    }

    @Test
    void should_name_any_other_member_that_is_malformed() throws IOException {
        assertThat(problemOf(recorded("\"latency_ms\" : 812", "\"latency_ms\" : \"slow\""))).startsWith("its latency_ms is malformed (");
        assertThat(problemOf(recorded("\"prompt_tokens\" : 420", "\"prompt_tokens\" : { }"))).startsWith("its usage.prompt_tokens is malformed (");
    }

    @Test
    void should_say_that_a_file_with_a_second_document_or_a_member_given_twice_is_corrupt() throws IOException {
        assertThat(problemOf(recorded("\"judged_at\" : \"2025-01-31T10:15:30Z\"\n}", "\"judged_at\" : \"2025-01-31T10:15:30Z\"\n}\n"
                + "{\"schema\" : \"llm-judge-verdict/1\", \"score\" : 1}")))
                .isEqualTo("it holds more after its verdict's closing brace (two writes run together, or a bad edit)");
        assertThat(problemOf(recorded("\"score\" : 4,", "\"score\" : 4,\n  \"score\" : 2,"))).contains("Duplicate field 'score'");
    }
}
