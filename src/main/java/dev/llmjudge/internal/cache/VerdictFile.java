package dev.llmjudge.internal.cache;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.ScoreDistribution;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a verdict file holds, member by member in the order reviewers read it in a pull request,
 * written by Jackson's data binding; {@link VerdictFileReader} reads it back. {@code scale},
 * {@code case}, {@code judged_at} and a sampling's {@code min} and {@code max} are for reviewers
 * and not read back. A verdict of one sample has no {@code sampling} and no {@code samples}, so its
 * file is as it was before verdicts took several samples. A verdict scored by the reply has no
 * {@code weighted_score} and no {@code probabilities}, so its file is as it was before verdicts
 * could be scored by probabilities; one scored by probabilities has its {@code weighted_score}
 * and, with one sample, its {@code probabilities} (level to probability), else each sample's.
 * A verdict judged in a provider's batch ends with its {@code batch_id}; one judged live has none,
 * so its file is as it was before batch judging.
 */
record VerdictFile(
        String schema,
        String key,
        MetricVersion metric,
        JudgeUsed judge,
        Integer score,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("weighted_score") Double weightedScore,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<Integer, Double> probabilities,
        Scale scale,
        String justification,
        @JsonInclude(JsonInclude.Include.NON_NULL) SamplingUsed sampling,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<SampleGiven> samples,
        @JsonProperty("case") Map<String, String> evaluationCase,
        Usage usage,
        @JsonProperty("latency_ms") Long latencyMillis,
        @JsonProperty("judged_at") String judgedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("batch_id") String batchId) {

    private static final ObjectWriter PRETTY = JsonMapper.builder().build().writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    record MetricVersion(String name, String version) {
    }

    record JudgeUsed(String model, Map<String, Object> parameters) {
    }

    record Scale(int min, int max) {
    }

    /** How the samples were drawn, and their spread. */
    record SamplingUsed(int asked, String drawn, @JsonProperty("stopped_early") boolean stoppedEarly, int min, int max) {
    }

    record SampleGiven(int score, @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("weighted_score") Double weightedScore,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<Integer, Double> probabilities, String justification) {
        static SampleGiven of(Sampling.Sample sample) {
            ScoreDistribution d = sample.distribution();
            return new SampleGiven(sample.score(), d == null ? null : d.weightedScore(), d == null ? null : d.probabilities(),
                    Secrets.redact(sample.justification()));
        }
    }

    /**
     * {@code cached_prompt_tokens} only when the provider reported some, and {@code unreported_replies} (the replies whose
     * server reported no usage, their tokens unknown) only when there were some, so that files without them stay as they were.
     */
    record Usage(@JsonProperty("prompt_tokens") long promptTokens, @JsonProperty("completion_tokens") long completionTokens,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("cached_prompt_tokens") long cachedPromptTokens,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonProperty("unreported_replies") int unreportedReplies) {
    }

    /** The verdict file of {@code verdict}, recorded under {@code key} for {@code request}, the case and justification redacted. */
    static byte[] encode(Verdict verdict, JudgeRequest request, String key) {
        Map<String, String> evaluationCase = new LinkedHashMap<>();
        for (Field field : Field.values()) {
            if (request.metric().requires(field)) {
                evaluationCase.put(field.jsonName(), Secrets.redact(request.evaluationCase().get(field)));
            }
        }
        Sampling s = verdict.sampling();
        boolean single = s.drawn() == Sampling.Drawn.SINGLE;
        ScoreDistribution only = single ? s.samples().get(0).distribution() : null;
        VerdictFile file = new VerdictFile(VerdictStore.SCHEMA, key, new MetricVersion(verdict.metric(), verdict.metricVersion()),
                new JudgeUsed(verdict.judgeModel(), verdict.parameters()), verdict.score(),
                verdict.weightedScore().isPresent() ? verdict.weightedScore().getAsDouble() : null,
                only == null ? null : only.probabilities(),
                new Scale(verdict.minScore(), verdict.maxScore()), Secrets.redact(verdict.justification()),
                single ? null : new SamplingUsed(s.asked(), s.drawn().value(), s.stoppedEarly(), s.min(), s.max()),
                single ? null : s.samples().stream().map(SampleGiven::of).toList(),
                evaluationCase,
                new Usage(verdict.usage().promptTokens(), verdict.usage().completionTokens(), verdict.usage().cachedPromptTokens(),
                        verdict.usage().unreportedReplies()),
                verdict.latency().toMillis(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), verdict.batchId());
        try {
            return (PRETTY.writeValueAsString(file) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise verdict", e);
        }
    }
}
