package dev.llmjudge.internal.cache;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.llmjudge.judge.Sampling;
import dev.llmjudge.judge.ScoreDistribution;
import dev.llmjudge.judge.TokenUsage;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.Metric;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a verdict file ({@link VerdictFile}) with Jackson's streaming parser, member by member.
 * Replaying a verdict thus needs jackson-core only: Jackson's data binding, which writes verdict
 * files, takes about 0.4 s of a cold JVM to load, more than a suite of replayed checks takes.
 * Members it does not know, and those written for reviewers ({@code scale}, {@code case},
 * {@code judged_at}, a sampling's {@code min} and {@code max}), are skipped. A file without
 * {@code samples}, as every file was before verdicts took several, is a verdict of one sample. A
 * file without {@code probabilities} is scored by the reply; with them (at the top for one sample,
 * in each sample for several), each {@code weighted_score} must be what they give. A file without
 * {@code usage.unreported_replies}, as every file was before they were recorded, had its usage reported.
 */
final class VerdictFileReader {
    /** A member given twice (a bad merge, a hand edit) makes the file corrupt, rather than the last one silently winning. */
    private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private VerdictFileReader() {
    }

    /** A member whose value has the wrong shape, named by its path ({@code usage.prompt_tokens}). */
    private static final class Malformed extends Exception {
        Malformed(String member, String found) {
            super("its " + member + " is malformed (expected an integer, found " + found + ")", null, false, false);
        }
    }

    /** Reads one member's value, the parser on its first token; it must consume the whole value. */
    private interface Member {
        void read(String name) throws IOException, Malformed;
    }

    /** The members read back; the others are for reviewers. */
    private static final class Members {
        String schema;
        String key;
        String metricVersion;
        String model;
        Map<String, Object> parameters = Map.of();
        Integer score;
        String justification;
        long promptTokens;
        long completionTokens;
        long cachedPromptTokens;
        /** The replies the server reported no usage for; 0 in a file written before they were recorded. */
        int unreportedReplies;
        long latencyMillis;
        boolean sampled;
        Integer asked;
        String drawn;
        Boolean stoppedEarly;
        List<Sampling.Sample> samples;
        /** Why a sample is not one, e.g. {@code "sample 2 has no integer score"}; {@code null} while all are. */
        String badSample;
        /** The weighted score as written, or {@code null}. */
        Double weightedScore;
        /** The levels' probabilities as written (each a number, or {@code null} for another value), or {@code null}. */
        Map<String, Double> probabilities;
        /** The provider's batch that judged the verdict, or {@code null} for a live call. */
        String batchId;
    }

    /** The tolerance of a written weighted score: it is rounded to {@value ScoreDistribution#DECIMALS} decimals. */
    private static final double WEIGHTED_TOLERANCE = 5e-7;

    /** The verdict recorded in {@code bytes}, the file {@code file} of {@code key}; throws {@link CorruptVerdictException} if there is none. */
    static Verdict read(byte[] bytes, Path file, Metric metric, String key) {
        Members read = new Members();
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CorruptVerdictException(file, "it is not a " + VerdictStore.SCHEMA + " document");
            }
            eachMember(p, member -> read(p, member, read, file, metric));
            if (p.nextToken() != null) {
                throw new CorruptVerdictException(file, "it holds more after its verdict's closing brace (two writes run together,"
                        + " or a bad edit)");
            }
        } catch (Malformed e) {
            throw new CorruptVerdictException(file, e.getMessage());
        } catch (IOException e) {
            throw new CorruptVerdictException(file, notJson(e));
        }
        if (!VerdictStore.SCHEMA.equals(read.schema)) {
            throw new CorruptVerdictException(file, "it is not a " + VerdictStore.SCHEMA + " document");
        }
        if (!key.equals(read.key)) {
            throw new CorruptVerdictException(file, "its key does not match its file name");
        }
        if (read.score == null) {
            throw new CorruptVerdictException(file, "its score is not an integer");
        }
        if (read.model == null || read.model.isBlank() || read.justification == null) {
            throw new CorruptVerdictException(file, "it has no judge model or no justification");
        }
        int score = read.score;
        if (score < metric.minScore() || score > metric.maxScore()) {
            throw new CorruptVerdictException(file, "its score " + score + " is outside " + metric.minScore() + ".." + metric.maxScore());
        }
        Sampling sampling = sampling(read, file, metric);
        if (sampling.median() != score) {
            throw new CorruptVerdictException(file, "its score " + score + " is not the median " + sampling.median() + " of its samples "
                    + sampling.scores());
        }
        checkWeightedScore(file, sampling, read);
        return new Verdict(metric.name(), read.metricVersion == null ? metric.version() : read.metricVersion, score, metric.minScore(),
                metric.maxScore(), read.justification, read.model, read.parameters, key, true, file.toString(),
                Duration.ofMillis(read.latencyMillis), new TokenUsage(read.promptTokens, read.completionTokens, read.cachedPromptTokens,
                        read.unreportedReplies), sampling,
                read.batchId);
    }

    /**
     * That a verdict scored by probabilities says so, with the weighted score they give: its
     * parameters asked for logprobs exactly when its samples have probabilities, and its
     * {@code weighted_score} is the median of theirs.
     */
    private static void checkWeightedScore(Path file, Sampling sampling, Members read) {
        boolean asked = Boolean.TRUE.equals(read.parameters.get("logprobs"));
        if (asked != sampling.byProbabilities()) {
            throw new CorruptVerdictException(file, asked ? "its parameters ask for logprobs, but it records no probabilities of the"
                    + " levels" : "it records probabilities of the levels, but its parameters do not ask for logprobs");
        }
        if (!sampling.byProbabilities()) {
            if (read.weightedScore != null) {
                throw new CorruptVerdictException(file, "it has a weighted_score but no probabilities of the levels");
            }
            return;
        }
        double weighted = sampling.effectiveMedian();
        if (read.weightedScore == null || Math.abs(read.weightedScore - weighted) > WEIGHTED_TOLERANCE) {
            throw new CorruptVerdictException(file, "its weighted_score " + read.weightedScore + " is not the median " + weighted
                    + " of its samples' weighted scores " + sampling.effectiveScores());
        }
    }

    /** The distribution a file or a sample records ({@code name}: where, for the message); {@code null} for none. */
    private static ScoreDistribution distribution(Members read, Path file, Metric metric, String name) {
        if (read.probabilities == null) {
            if (read.weightedScore != null && name != null) {
                throw new CorruptVerdictException(file, "its " + name + " has a weighted_score but no probabilities");
            }
            return null;
        }
        Map<Integer, Double> levels = new TreeMap<>();
        for (Map.Entry<String, Double> level : read.probabilities.entrySet()) {
            Integer score = level.getKey().matches("-?\\d{1,9}") ? Integer.valueOf(level.getKey()) : null;
            if (score == null || score < metric.minScore() || score > metric.maxScore() || level.getValue() == null) {
                throw new CorruptVerdictException(file, "its " + (name == null ? "" : name + "'s ") + "probabilities are malformed (the"
                        + " level \"" + level.getKey() + "\" is not a level from " + metric.minScore() + " to " + metric.maxScore()
                        + " with a number)");
            }
            levels.put(score, level.getValue());
        }
        ScoreDistribution distribution;
        try {
            distribution = new ScoreDistribution(levels);
        } catch (IllegalArgumentException e) {
            throw new CorruptVerdictException(file, "its " + (name == null ? "" : name + "'s ") + "probabilities are malformed ("
                    + e.getMessage() + ")");
        }
        if (name != null && (read.weightedScore == null || Math.abs(read.weightedScore - distribution.weightedScore()) > WEIGHTED_TOLERANCE)) {
            throw new CorruptVerdictException(file, "its " + name + "'s weighted_score " + read.weightedScore + " is not the weighted"
                    + " mean " + distribution.weightedScore() + " of its probabilities");
        }
        return distribution;
    }

    /** The samples a file records: one, the verdict's own, when it has none; else each, as its {@code sampling} says they were drawn. */
    private static Sampling sampling(Members read, Path file, Metric metric) {
        if (!read.sampled && read.samples == null) {
            return Sampling.single(new Sampling.Sample(read.score, read.justification, distribution(read, file, metric, null)));
        }
        if (read.probabilities != null) {
            throw new CorruptVerdictException(file, "it has samples, whose probabilities are each sample's, and probabilities of its own");
        }
        if (read.badSample != null) {
            throw new CorruptVerdictException(file, "its " + read.badSample);
        }
        if (read.samples == null || read.samples.isEmpty() || read.asked == null || read.stoppedEarly == null) {
            throw new CorruptVerdictException(file, "its samples are incomplete (it needs \"samples\" and \"sampling\" with \"asked\","
                    + " \"drawn\" and \"stopped_early\")");
        }
        Sampling.Drawn drawn = Arrays.stream(Sampling.Drawn.values()).filter(d -> d != Sampling.Drawn.SINGLE && d.value().equals(read.drawn))
                .findFirst().orElseThrow(() -> new CorruptVerdictException(file, "its samples were drawn by \"" + read.drawn
                        + "\", neither \"n\" nor \"seeds\""));
        for (Sampling.Sample sample : read.samples) {
            if (sample.score() < metric.minScore() || sample.score() > metric.maxScore()) {
                throw new CorruptVerdictException(file, "its sample score " + sample.score() + " is outside " + metric.minScore() + ".."
                        + metric.maxScore());
            }
        }
        Sampling sampling;
        try {
            sampling = new Sampling(read.asked, drawn, read.stoppedEarly, read.samples);
        } catch (IllegalArgumentException e) {
            throw new CorruptVerdictException(file, "its samples do not add up: " + e.getMessage());
        }
        int left = read.asked - read.samples.size();
        if (read.stoppedEarly && !Sampling.medianIsSettled(read.samples, left, metric)) {
            // Sampling stops only when the samples left cannot change the median: a file that says otherwise was edited.
            throw new CorruptVerdictException(file, "its samples do not add up: it stopped early after " + read.samples.size() + " of "
                    + read.asked + " samples, but the " + left + " left could still have changed the median"
                    + (metric.pairwise() ? " (of a pairwise metric: either middle score of an even number)" : ""));
        }
        boolean twoLevels = metric.maxScore() == metric.minScore() + 1;
        if (read.stoppedEarly && !Sampling.mayStopEarly(read.samples, left, metric)) {
            // Before the early stop waited for the instability too, it stopped once the median was fixed; and before a pass/fail
            // rubric scored by probabilities was met at its midpoint, its samples were compared with 1. Such a verdict may hide
            // that its check is unstable, so it is judged again (auto) or reported (replay), as any file that does not add up.
            throw new CorruptVerdictException(file, "its samples do not add up: it stopped early after " + read.samples.size() + " of "
                    + read.asked + " samples, but the " + left + " left could still have fallen on the other side of a threshold than"
                    + " all " + read.samples.size() + " drawn and made a check at it unstable (an earlier version of llm-judge"
                    + " stopped once the median was fixed" + (twoLevels && sampling.byProbabilities() ? ", or compared the weighted"
                    + " samples of a rubric of two levels with its higher level rather than its midpoint" : "") + ")");
        }
        return sampling;
    }

    private static void read(JsonParser p, String member, Members read, Path file, Metric metric) throws IOException, Malformed {
        switch (member) {
            case "weighted_score" -> read.weightedScore = numberOrNull(p);
            case "probabilities" -> read.probabilities = numbers(p);
            case "schema" -> read.schema = text(p);
            case "key" -> read.key = text(p);
            case "batch_id" -> read.batchId = text(p);
            case "metric" -> eachMember(p, inner -> {
                if (inner.equals("version")) {
                    read.metricVersion = text(p);
                } else {
                    p.skipChildren();
                }
            });
            case "judge" -> eachMember(p, inner -> {
                switch (inner) {
                    case "model" -> read.model = text(p);
                    case "parameters" -> read.parameters = scalars(p);
                    default -> p.skipChildren();
                }
            });
            case "score" -> read.score = intOrNull(p);
            case "justification" -> read.justification = text(p);
            case "sampling" -> {
                read.sampled = true;
                eachMember(p, inner -> {
                    switch (inner) {
                        case "asked" -> read.asked = intOrNull(p);
                        case "drawn" -> read.drawn = text(p);
                        case "stopped_early" -> {
                            read.stoppedEarly = p.currentToken().isBoolean() ? p.getBooleanValue() : null;
                            p.skipChildren();
                        }
                        default -> p.skipChildren();
                    }
                });
            }
            case "samples" -> read.samples = samples(p, read, file, metric);
            case "usage" -> eachMember(p, inner -> {
                switch (inner) {
                    case "prompt_tokens" -> read.promptTokens = integer(p, "usage.prompt_tokens");
                    case "completion_tokens" -> read.completionTokens = integer(p, "usage.completion_tokens");
                    case "cached_prompt_tokens" -> read.cachedPromptTokens = integer(p, "usage.cached_prompt_tokens");
                    case "unreported_replies" -> read.unreportedReplies = (int) Math.min(Math.max(integer(p, "usage.unreported_replies"), 0),
                            Integer.MAX_VALUE);
                    default -> p.skipChildren();
                }
            });
            case "latency_ms" -> read.latencyMillis = integer(p, "latency_ms");
            default -> p.skipChildren();
        }
    }

    /** The samples of the array the parser is on, each an object with an integer score and a justification; {@code null} for no array. */
    private static List<Sampling.Sample> samples(JsonParser p, Members read, Path file, Metric metric) throws IOException, Malformed {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        List<Sampling.Sample> samples = new ArrayList<>();
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            index++;
            Members sample = new Members();
            eachMember(p, member -> {
                switch (member) {
                    case "score" -> sample.score = intOrNull(p);
                    case "justification" -> sample.justification = text(p);
                    case "weighted_score" -> sample.weightedScore = numberOrNull(p);
                    case "probabilities" -> sample.probabilities = numbers(p);
                    default -> p.skipChildren();
                }
            });
            if (sample.score == null || sample.justification == null) {
                read.badSample = read.badSample != null ? read.badSample : "sample " + index
                        + " has no integer score or no justification";
            } else {
                samples.add(new Sampling.Sample(sample.score, sample.justification, distribution(sample, file, metric, "sample " + index)));
            }
        }
        return samples;
    }

    /** The value if it is a JSON number, else {@code null} (the value skipped). */
    private static Double numberOrNull(JsonParser p) throws IOException {
        Double value = p.currentToken().isNumeric() ? Double.valueOf(p.getDoubleValue()) : null;
        p.skipChildren();
        return value;
    }

    /** An object of numbers, each member's value or {@code null} when it is no number; {@code null} for no object. */
    private static Map<String, Double> numbers(JsonParser p) throws IOException, Malformed {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return null;
        }
        Map<String, Double> values = new LinkedHashMap<>();
        eachMember(p, name -> values.put(name, numberOrNull(p)));
        return values;
    }

    /** Hands each member of the object the parser is on to {@code member}; skips the value when it is no object. */
    private static void eachMember(JsonParser p, Member member) throws IOException, Malformed {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            member.read(name);
        }
    }

    /** The value if it is a JSON integer that fits an int, else {@code null} (the value skipped). */
    private static Integer intOrNull(JsonParser p) throws IOException {
        boolean integer = p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT;
        Integer value = integer ? Integer.valueOf(p.getIntValue()) : null;
        p.skipChildren();
        return value;
    }

    private static String text(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        p.skipChildren();
        return null;
    }

    private static long integer(JsonParser p, String member) throws IOException, Malformed {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return p.getLongValue();
        }
        String found = token == JsonToken.START_OBJECT ? "an object" : token == JsonToken.START_ARRAY ? "an array"
                : token == JsonToken.VALUE_STRING ? '"' + p.getText() + '"' : p.getText();
        throw new Malformed(member, found);
    }

    /** An object of scalars (the sampling parameters): numbers as Integer, Long or Double, text, booleans; anything else is skipped. */
    private static Map<String, Object> scalars(JsonParser p) throws IOException, Malformed {
        Map<String, Object> values = new LinkedHashMap<>();
        eachMember(p, name -> {
            JsonToken token = p.currentToken();
            if (token.isNumeric()) {
                values.put(name, p.getNumberValue());
            } else if (token == JsonToken.VALUE_STRING) {
                values.put(name, p.getText());
            } else if (token.isBoolean()) {
                values.put(name, p.getBooleanValue());
            } else {
                p.skipChildren();
            }
        });
        return values;
    }

    /** Says that a document is not JSON, where and why, without Jackson's account of the source (the message names the file). */
    private static String notJson(IOException e) {
        if (!(e instanceof JsonProcessingException problem)) {
            return "it is not valid JSON (" + e.getMessage() + ")";
        }
        String why = problem.getOriginalMessage().replaceAll(" \\([^()]*\\[Source: [^\\]]*\\]\\)", "");
        JsonLocation where = problem.getLocation();
        return "it is not valid JSON (" + why + (where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr()) + ")";
    }
}
