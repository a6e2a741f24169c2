package dev.llmjudge.internal.cache;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.llmjudge.internal.AtomicFiles;
import dev.llmjudge.internal.Secrets;
import dev.llmjudge.internal.Sha256;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.metric.EvaluationSteps;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileLockInterruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The evaluation steps the judge wrote for a criterion ({@code Metrics.withSteps}), one small
 * pretty-printed file each at {@code <cache dir>/_steps/<metric>-<hash of the criterion>.json},
 * written atomically, to commit beside the verdicts. A file holds the criterion, the steps and the
 * judge model that wrote them (a known API key in the criterion or the steps masked); another
 * criterion text has another file.
 */
public final class StepsFiles {
    /** The directory under the cache directory; no metric can be named so, as metric names start with a letter or digit. */
    public static final String DIRECTORY = "_steps";
    /** The format tag written into every steps file. */
    public static final String SCHEMA = "llm-judge-steps/1";

    /** Jackson's data binding, loaded only when a metric has steps: a replay of other verdicts never loads it. */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder().build();
        static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n")));
    }

    /** A steps file as stored. */
    @JsonPropertyOrder({"schema", "metric", "criterion", "judge_model", "steps"})
    record StepsFile(String schema, String metric, String criterion, @JsonProperty("judge_model") String judgeModel, List<String> steps) {
    }

    private final Path cacheDir;

    public StepsFiles(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** Where the steps of {@code metric} for {@code criterion} are (or would be) stored. */
    public Path fileFor(String metric, String criterion) {
        return cacheDir.resolve(DIRECTORY).resolve(metric + "-" + Sha256.hex(criterion).substring(0, 16) + ".json");
    }

    /** The recorded steps, if there is a file for this criterion; a file that holds none is an error naming it. */
    public Optional<EvaluationSteps> read(String metric, String criterion) {
        Path file = fileFor(metric, criterion);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new JudgeException(JudgeException.Reason.CACHE_IO, "cannot read the evaluation steps file " + file + " (" + e
                    + "): check the permissions of " + cacheDir.toAbsolutePath() + " (llmjudge.cache.dir)", e);
        }
        StepsFile stored;
        try {
            stored = Json.MAPPER.readValue(bytes, StepsFile.class);
        } catch (IOException e) {
            throw corrupt(file, "it is not a steps file (" + e.getMessage() + ")");
        }
        if (!SCHEMA.equals(stored.schema()) || stored.steps() == null || stored.steps().isEmpty()) {
            throw corrupt(file, "it has no schema " + SCHEMA + " or no steps");
        }
        // Stored as written: a known API key in the criterion masked.
        if (!Secrets.redact(criterion).equals(stored.criterion())) {
            throw corrupt(file, "it holds the steps for another criterion, \"" + stored.criterion() + "\"");
        }
        try {
            return Optional.of(new EvaluationSteps(criterion, stored.steps()));
        } catch (IllegalArgumentException e) {
            throw corrupt(file, e.getMessage());
        }
    }

    /** A claim on a criterion's steps file: while it is held, no other thread or process of this cache writes the steps. */
    public static final class Claim implements AutoCloseable {
        private final VerdictClaim claim;

        private Claim(VerdictClaim claim) {
            this.claim = claim;
        }

        /** Whether another holder wrote the steps file while this claimant waited: read it, do not ask for steps again. */
        public boolean writtenWhileWaiting() {
            return claim.verdictWrittenWhileWaiting();
        }

        @Override
        public void close() {
            claim.close();
        }
    }

    /**
     * Claims the steps of {@code metric} for {@code criterion} for writing, waiting while another runtime or process holds the
     * claim ({@link VerdictClaim}), so that two of them sharing the cache never pay for the same steps twice.
     */
    public Claim claim(String metric, String criterion) {
        Path file = fileFor(metric, criterion);
        try {
            return new Claim(VerdictClaim.take(file));
        } catch (InterruptedException | ClosedByInterruptException | FileLockInterruptionException e) {
            Thread.currentThread().interrupt();
            throw new JudgeException(JudgeException.Reason.NETWORK, "interrupted while waiting for another thread or process to write "
                    + file, e);
        } catch (IOException e) {
            throw new JudgeException(JudgeException.Reason.CACHE_IO, "cannot claim the evaluation steps file " + file + " (" + e
                    + "): check that " + cacheDir.toAbsolutePath() + " (llmjudge.cache.dir) is a writable directory", e);
        }
    }

    /** Stores the steps the judge {@code judgeModel} wrote, atomically, and returns the file. */
    public Path write(String metric, EvaluationSteps steps, String judgeModel) {
        Path file = fileFor(metric, steps.criterion());
        StepsFile stored = new StepsFile(SCHEMA, metric, Secrets.redact(steps.criterion()), judgeModel,
                steps.steps().stream().map(Secrets::redact).toList());
        try {
            AtomicFiles.write(file, (Json.PRETTY.writeValueAsString(stored) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new JudgeException(JudgeException.Reason.CACHE_IO, "cannot write the evaluation steps file " + file + " (" + e
                    + "): check that " + cacheDir.toAbsolutePath() + " (llmjudge.cache.dir) is a writable directory", e);
        }
        return file;
    }

    private static JudgeException corrupt(Path file, String why) {
        return new JudgeException(JudgeException.Reason.CORRUPT_CACHE, "the evaluation steps file " + file + " cannot be used: " + why
                + ". Restore it from version control, or delete it to have the judge write the steps again");
    }
}
