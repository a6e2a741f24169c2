package dev.llmjudge.internal.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.llmjudge.internal.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The run history ({@code llmjudge.report.history=DIR}): one small JSON summary per run, {@code
 * <run id>.json} in that directory, written atomically (a later test JVM of the same run replaces
 * it), and the last runs read back for the report's trend lines.
 *
 * <pre>{@code
 * RunHistory.append(dir, RunHistory.summary(report, "surefire-20250131101502120", "3f2a9c0"));
 * List<RunHistory.RunSummary> runs = RunHistory.lastRuns(dir, RunHistory.RUNS_SHOWN, problem -> log(problem));
 * }</pre>
 */
public final class RunHistory {
    /** The value of a summary's {@code schema} field. */
    public static final String SCHEMA = "llm-judge-history/1";
    /** How many runs the report's trend lines show, this one included. */
    public static final int RUNS_SHOWN = 20;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private RunHistory() {
    }

    /** One run: when, which commit ({@code null} when unknown), and per metric its figures. */
    public record RunSummary(String schema, String runId, String generatedAt, String commit, Map<String, Point> metrics) {
        public RunSummary {
            metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        }
    }

    /**
     * A metric's figures in one run: checks (scored or errored), mean ({@code null} without a score), pass rate
     * ({@code null} without a check), the rubric's range, so that means of runs line up, and how many checks were scored and
     * how many skipped, not judged ({@code null} both in a summary written before they were recorded).
     */
    public record Point(int count, Double mean, Double passRate, Integer minScore, Integer maxScore, Integer scored, Integer skipped) {
        /** A point of a summary written before scored and skipped checks were recorded. */
        public Point(int count, Double mean, Double passRate, Integer minScore, Integer maxScore) {
            this(count, mean, passRate, minScore, maxScore, null, null);
        }

        /** Every check of the metric in the run, skipped ones included; {@code null} when the summary does not say. */
        public Integer checks() {
            return scored == null ? null : count + (skipped == null ? 0 : skipped);
        }

        /** Whether fewer than half of the run's checks of the metric were scored, so that its mean stands on few of them. */
        public boolean fewScored() {
            return scored != null && 2 * scored < checks();
        }
    }

    /** The summary of a report. */
    public static RunSummary summary(RunReport report, String runId, String commit) {
        Map<String, Point> metrics = new TreeMap<>();
        report.metrics().forEach((name, s) -> {
            List<ReportRow> scored = report.rows().stream().filter(r -> r.metric().equals(name) && r.scored()).toList();
            Integer min = scored.stream().map(ReportRow::minScore).filter(v -> v != null).min(Integer::compare).orElse(null);
            Integer max = scored.stream().map(ReportRow::maxScore).filter(v -> v != null).max(Integer::compare).orElse(null);
            metrics.put(name, new Point(s.count(), figure(s.mean()), figure(s.passRate()), min, max, s.scored(), s.skipped()));
        });
        return new RunSummary(SCHEMA, runId, report.generatedAt(), commit, metrics);
    }

    private static Double figure(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** Writes {@code <dir>/<run id>.json} atomically, replacing the run's earlier summary. */
    public static void append(Path dir, RunSummary summary) throws IOException {
        byte[] json;
        try {
            json = (JSON.writeValueAsString(summary) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot serialise the run summary", e);
        }
        AtomicFiles.write(dir.resolve(summary.runId() + ".json"), json);
    }

    /**
     * The last {@code n} runs of the history, oldest first, by when they were written; a file that
     * is not a summary is left out and told to {@code problems}. A missing directory has no runs.
     */
    public static List<RunSummary> lastRuns(Path dir, int n, Consumer<String> problems) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<RunSummary> runs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.json")) {
            for (Path file : files) {
                try {
                    RunSummary run = JSON.readValue(file.toFile(), RunSummary.class);
                    if (SCHEMA.equals(run.schema()) && run.generatedAt() != null) {
                        runs.add(run);
                    } else {
                        problems.accept(file + " is not a run summary (no \"schema\": \"" + SCHEMA + "\") and is left out of the history");
                    }
                } catch (IOException e) {
                    problems.accept(file + " cannot be read as a run summary and is left out of the history: " + e.getMessage());
                }
            }
        }
        runs.sort(Comparator.comparing(RunSummary::generatedAt).thenComparing(RunSummary::runId));
        return List.copyOf(runs.subList(Math.max(0, runs.size() - n), runs.size()));
    }
}
