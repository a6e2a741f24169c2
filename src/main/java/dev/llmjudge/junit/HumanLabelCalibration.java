package dev.llmjudge.junit;

import dev.llmjudge.calibration.Calibration;
import dev.llmjudge.calibration.JudgedCase;
import dev.llmjudge.calibration.LabelledCase;
import dev.llmjudge.config.MissingKey;
import dev.llmjudge.internal.Texts;
import dev.llmjudge.internal.check.CalibrationOutcome;
import dev.llmjudge.internal.check.CalibrationRecorder;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.runtime.LlmJudgeRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.opentest4j.TestAbortedException;

/**
 * A calibration as {@link JudgeAssert#againstHumanLabels} runs it: read the labelled dataset
 * (every bad row named before anything is judged), judge every row ahead and through the verdict
 * cache, compute the figures and publish them for the report.
 */
final class HumanLabelCalibration {
    /** Rows named in a message about rows the judge gave no verdict on; the others are counted. */
    static final int ROWS_NAMED = 10;
    private static final int ERROR_CHARS = 240;
    /** The most levels a calibrated rubric may have (0 to 10), so that its confusion matrix can be read. */
    static final int MAX_LEVELS = 11;

    /** Who publishes a calibration, and under which id: the figures are published again after each bound. */
    record Publication(String id, CheckRecorder.TestIdentity test, String dataset) {
        void publish(String description, Calibration calibration, List<CalibrationOutcome.Bound> bounds) {
            CalibrationRecorder.publish(CalibrationOutcome.judged(id, test, description, dataset, calibration, bounds));
        }

        void publishUnjudged(Metric metric, CalibrationOutcome.Status status, String message) {
            CalibrationRecorder.publish(CalibrationOutcome.unjudged(id, test, null, dataset, metric, status, message));
        }
    }

    private HumanLabelCalibration() {
    }

    static CalibrationAssert run(Metric metric, LlmJudgeRuntime runtime, String dataset, JudgeDataset.Format format) {
        Publication publication = new Publication(UUID.randomUUID().toString(), CheckRecorder.currentTest(), dataset);
        Rows rows;
        try {
            rows = read(metric, dataset, format);
        } catch (RuntimeException e) {
            publication.publishUnjudged(metric, CalibrationOutcome.Status.ERROR, e.getMessage());
            throw e;
        }
        runtime.prefetch(rows.requests());
        List<JudgedCase> judged = new ArrayList<>(rows.cases().size());
        List<String> failedRows = new ArrayList<>();
        List<JudgeException> failures = new ArrayList<>();
        for (int i = 0; i < rows.cases().size(); i++) {
            LabelledCase row = rows.cases().get(i);
            try {
                judged.add(new JudgedCase(row, runtime.judgeOutsideChecks(rows.requests().get(i), "calibration against human labels")));
            } catch (JudgeException e) {
                failedRows.add(name(row));
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw unjudged(metric, runtime, publication, rows.cases().size(), failedRows, failures);
        }
        Calibration calibration = Calibration.of(metric, judged);
        publication.publish(null, calibration, List.of());
        return new CalibrationAssert(calibration, publication);
    }

    /** The labelled rows and what the judge is asked about each, in the file's order. */
    private record Rows(List<LabelledCase> cases, List<JudgeRequest> requests) {
    }

    /** Every row of the dataset, checked; every bad row is named at once, before anything is judged. */
    private static Rows read(Metric metric, String dataset, JudgeDataset.Format format) {
        int levels = metric.maxScore() - metric.minScore() + 1;
        if (levels > MAX_LEVELS) {
            throw new IllegalArgumentException("a calibration compares the judge with people level by level, and " + metric.name()
                    + " has " + levels + " levels (" + metric.minScore() + " to " + metric.maxScore() + "): calibrate a metric whose"
                    + " rubric has at most " + MAX_LEVELS + " levels, such as answer_similarity (1 to 5)");
        }
        List<DatasetReader.Entry> entries = DatasetReader.read(dataset, format, columns(metric),
                new DatasetReader.Labels(metric.name(), metric.minScore(), metric.maxScore()), loader());
        List<LabelledCase> cases = new ArrayList<>(entries.size());
        List<JudgeRequest> requests = new ArrayList<>(entries.size());
        List<DatasetException> bad = new ArrayList<>();
        for (DatasetReader.Entry entry : entries) {
            if (entry.isBad()) {
                bad.add(entry.error());
                continue;
            }
            DatasetRow row = entry.row();
            try {
                JudgeRequest request = new JudgeRequest(metric, row.evaluationCase());
                LabelledCase labelled = new LabelledCase(row.source(), row.line(), row.id(), row.evaluationCase(), entry.humanScores());
                requests.add(request);
                cases.add(labelled);
            } catch (IllegalArgumentException e) {
                bad.add(new DatasetException(row.source(), row.line(), 1, e.getMessage()));
            }
        }
        if (!bad.isEmpty()) {
            throw badRows(bad, entries.size());
        }
        return new Rows(cases, requests);
    }

    /** The columns the metric reads, which every row must have. */
    private static List<String> columns(Metric metric) {
        return metric.requiredFields().stream().map(Field::jsonName).toList();
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : HumanLabelCalibration.class.getClassLoader();
    }

    /** One exception for every bad row: the first row's, its message followed by the others', one per line in compiler style. */
    private static DatasetException badRows(List<DatasetException> bad, int rows) {
        DatasetException first = bad.get(0);
        if (bad.size() == 1) {
            return first;
        }
        StringBuilder problem = new StringBuilder(first.problem());
        for (DatasetException other : bad.subList(1, bad.size())) {
            problem.append('\n').append(other.getMessage());
        }
        problem.append("\n(").append(bad.size()).append(" of ").append(rows).append(" rows are bad; a calibration needs every row)");
        return new DatasetException(first.source(), first.line(), first.column(), problem.toString());
    }

    /** E.g. {@code datasets/golden.jsonl:3 (id late-return)}. */
    static String name(LabelledCase row) {
        return row.where() + (row.id() == null ? "" : " (id " + row.id() + ")");
    }

    /** The rows the judge gave no verdict on: a skip when each only lacks a key and skipping is asked for, else an error. */
    private static RuntimeException unjudged(Metric metric, LlmJudgeRuntime runtime, Publication publication, int rows,
            List<String> failedRows, List<JudgeException> failures) {
        boolean keyOnly = failures.stream().allMatch(e -> e.reason() == JudgeException.Reason.MISSING_KEY);
        if (keyOnly && runtime.config().judge().missingKey() == MissingKey.SKIP) {
            String reason = "skipped: " + failures.size() + " of " + rows + " rows of " + publication.dataset() + " have no recorded verdict"
                    + " on " + metric.name() + " and " + failures.get(0).getMessage() + " (llmjudge.judge.missing-key=skip)";
            publication.publishUnjudged(metric, CalibrationOutcome.Status.SKIPPED, reason);
            return new TestAbortedException(reason);
        }
        StringBuilder message = new StringBuilder("the judge gave no verdict on ").append(failures.size()).append(" of ").append(rows)
                .append(" rows of ").append(publication.dataset()).append(" on ").append(metric.name())
                .append(", so no calibration was computed (a judge error is never a score):");
        for (int i = 0; i < Math.min(ROWS_NAMED, failures.size()); i++) {
            JudgeException e = failures.get(i);
            message.append("\n  ").append(failedRows.get(i)).append(": ").append(e.reason()).append(": ")
                    .append(Texts.oneLine(e.getMessage(), ERROR_CHARS));
        }
        if (failures.size() > ROWS_NAMED) {
            message.append("\n  ... and ").append(failures.size() - ROWS_NAMED).append(" more rows");
        }
        message.append("\nFix the cause and run again: with the verdict cache on, the rows judged this time are not judged again.");
        JudgeException error = new JudgeException(failures.get(0).reason(), message.toString(), failures.get(0));
        publication.publishUnjudged(metric, CalibrationOutcome.Status.ERROR, error.getMessage());
        return error;
    }
}
