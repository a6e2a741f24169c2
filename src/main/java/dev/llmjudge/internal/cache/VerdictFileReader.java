package dev.llmjudge.internal.cache;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.llmjudge.judge.Sampling;
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

/**
 * Reads a verdict file ({@link VerdictFile}) with Jackson's streaming parser, member by member.
 * Replaying a verdict thus needs jackson-core only: Jackson's data binding, which writes verdict
 * files, takes about 0.4 s of a cold JVM to load, more than a suite of replayed checks takes.
 * Members it does not know, and those written for reviewers ({@code scale}, {@code case},
 * {@code judged_at}, a sampling's {@code min} and {@code max}), are skipped. A file without
 * {@code samples}, as every file was before verdicts took several, is a verdict of one sample.
 */
final class VerdictFileReader {
    private static final JsonFactory JSON = new JsonFactory();

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
        long latencyMillis;
        boolean sampled;
        Integer asked;
        String drawn;
        Boolean stoppedEarly;
        List<Sampling.Sample> samples;
        /** Why a sample is not one, e.g. {@code "sample 2 has no integer score"}; {@code null} while all are. */
        String badSample;
    }

    /** The verdict recorded in {@code bytes}, the file {@code file} of {@code key}; throws {@link CorruptVerdictException} if there is none. */
    static Verdict read(byte[] bytes, Path file, Metric metric, String key) {
        Members read = new Members();
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CorruptVerdictException(file, "it is not a " + VerdictStore.SCHEMA + " document");
            }
            eachMember(p, member -> read(p, member, read));
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
        return new Verdict(metric.name(), read.metricVersion == null ? metric.version() : read.metricVersion, score, metric.minScore(),
                metric.maxScore(), read.justification, read.model, read.parameters, key, true, file.toString(),
                Duration.ofMillis(read.latencyMillis), new TokenUsage(read.promptTokens, read.completionTokens), sampling);
    }

    /** The samples a file records: one, the verdict's own, when it has none; else each, as its {@code sampling} says they were drawn. */
    private static Sampling sampling(Members read, Path file, Metric metric) {
        if (!read.sampled && read.samples == null) {
            return Sampling.single(read.score, read.justification);
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
        try {
            return new Sampling(read.asked, drawn, read.stoppedEarly, read.samples);
        } catch (IllegalArgumentException e) {
            throw new CorruptVerdictException(file, "its samples do not add up: " + e.getMessage());
        }
    }

    private static void read(JsonParser p, String member, Members read) throws IOException, Malformed {
        switch (member) {
            case "schema" -> read.schema = text(p);
            case "key" -> read.key = text(p);
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
            case "samples" -> read.samples = samples(p, read);
            case "usage" -> eachMember(p, inner -> {
                switch (inner) {
                    case "prompt_tokens" -> read.promptTokens = integer(p, "usage.prompt_tokens");
                    case "completion_tokens" -> read.completionTokens = integer(p, "usage.completion_tokens");
                    default -> p.skipChildren();
                }
            });
            case "latency_ms" -> read.latencyMillis = integer(p, "latency_ms");
            default -> p.skipChildren();
        }
    }

    /** The samples of the array the parser is on, each an object with an integer score and a justification; {@code null} for no array. */
    private static List<Sampling.Sample> samples(JsonParser p, Members read) throws IOException, Malformed {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return null;
        }
        List<Sampling.Sample> samples = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Members sample = new Members();
            eachMember(p, member -> {
                switch (member) {
                    case "score" -> sample.score = intOrNull(p);
                    case "justification" -> sample.justification = text(p);
                    default -> p.skipChildren();
                }
            });
            if (sample.score == null || sample.justification == null) {
                read.badSample = read.badSample != null ? read.badSample : "sample " + (samples.size() + 1)
                        + " has no integer score or no justification";
            } else {
                samples.add(new Sampling.Sample(sample.score, sample.justification));
            }
        }
        return samples;
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
