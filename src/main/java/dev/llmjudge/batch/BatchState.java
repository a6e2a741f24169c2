package dev.llmjudge.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.llmjudge.internal.AtomicFiles;
import dev.llmjudge.internal.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the batch command has done so far, kept in {@value #FILE} of the batch directory and
 * rewritten atomically after every step, so that a killed command resumes where it was: the run
 * directory the collected requests were moved to, and each part (one provider batch) with its
 * input file, uploaded file id, batch id, last status and whether its results were recorded.
 *
 * @param run the run directory, relative to the batch directory
 * @param parts the parts, in the order they are submitted
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BatchState(String run, List<Part> parts) {
    /** The state file in the batch directory while a batch is under way. */
    static final String FILE = "batch-state.json";

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /**
     * One provider batch.
     *
     * @param input the batch input file, relative to the run directory
     * @param requests how many requests it holds
     * @param fileId the id of the uploaded input file, once uploaded
     * @param batchId the provider's batch id, once created
     * @param status the batch's last status seen
     * @param recorded whether its output was read and recorded (the part is done)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Part(String input, int requests, @JsonProperty("file_id") String fileId, @JsonProperty("batch_id") String batchId, String status,
            boolean recorded) {
        Part withFileId(String id) {
            return new Part(input, requests, id, batchId, status, recorded);
        }

        Part withBatch(String id, String newStatus) {
            return new Part(input, requests, fileId, id, newStatus, recorded);
        }

        Part recordedAs(String finalStatus) {
            return new Part(input, requests, fileId, batchId, finalStatus, true);
        }
    }

    BatchState {
        parts = List.copyOf(parts);
    }

    /** This state with part {@code index} replaced. */
    BatchState with(int index, Part part) {
        List<Part> changed = new ArrayList<>(parts);
        changed.set(index, part);
        return new BatchState(run, changed);
    }

    /** Whether every part is recorded. */
    boolean done() {
        return parts.stream().allMatch(Part::recorded);
    }

    /** The state kept in {@code batchDir}, if a batch is under way; a file that is no batch state is {@link Unreadable}. */
    static Optional<BatchState> read(Path batchDir) throws IOException {
        Path file = batchDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), BatchState.class));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new Unreadable("the batch state " + file.toAbsolutePath() + " cannot be read: " + Secrets.redact(e.getOriginalMessage())
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + ". It names the batches"
                    + " under way: mend it, or move it aside, which stops following them (their results stay with the provider)");
        }
    }

    /** A state file that is not one (edited by hand, or written by something else): what is wrong, and what to do. */
    static final class Unreadable extends IOException {
        Unreadable(String message) {
            super(message);
        }
    }

    /** Writes the state atomically into {@code file}. */
    void write(Path file) throws IOException {
        AtomicFiles.write(file, (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
