package dev.llmjudge.runtime;

import dev.llmjudge.config.CacheMode;
import dev.llmjudge.internal.cache.RefreshedFiles;
import dev.llmjudge.internal.cache.StepsFiles;
import dev.llmjudge.internal.check.CallOutsideCheck;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.judge.EvaluationCase;
import dev.llmjudge.judge.Judge;
import dev.llmjudge.judge.JudgeException;
import dev.llmjudge.judge.JudgeFingerprint;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.judge.Verdict;
import dev.llmjudge.metric.EvaluationSteps;
import dev.llmjudge.metric.Field;
import dev.llmjudge.metric.Metric;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Gives a metric that awaits its evaluation steps ({@code Metrics.withSteps}) the steps recorded
 * for its criterion, or has the judge write them (one request, not cached as a verdict: the steps
 * file is their record), then passes the request on. A metric with its steps, or without any,
 * passes through unchanged. A missing file is written, except in {@code replay} and {@code collect}
 * modes (which judge nothing), where it is an error that names the file to generate; {@code refresh}
 * mode has the steps written again, once per run however many runtimes of the run use them.
 */
final class EvaluationStepsJudge implements Judge {
    /** What the judge is asked to write steps with: the criterion is the case's one field. */
    static final Metric STEPS_WRITER = Metric.builder("evaluation_steps_writer")
            .version("v1")
            .definition("This is not a grading task. The answer field of the case holds a grading criterion, not an answer. "
                    + "Write the evaluation steps a careful grader should follow to score an answer from 1 to 5 on that "
                    + "criterion: three to six short, concrete steps, each one line, in order, numbered 1., 2., 3. and so on. "
                    + "Put the steps in the justification, one per line, and nothing else there. Give score 1 when the steps "
                    + "are written, and score 0 only when the criterion is too unclear to grade, saying why instead.")
            .level(0, "The criterion is too unclear to grade; the justification says why.")
            .level(1, "The evaluation steps are written in the justification, one per line.")
            .requires(Field.ANSWER)
            .build();

    private static final Pattern NUMBERING = Pattern.compile("^\\s*(?:\\d+\\s*[.):]|[-*•])\\s*");

    private final Judge next;
    private final Judge writer;
    private final StepsFiles files;
    private final CacheMode mode;
    private final RefreshedFiles refreshed;
    private final Map<Path, EvaluationSteps> resolved = new ConcurrentHashMap<>();

    /**
     * @param next the judge that grades requests (with the verdict cache)
     * @param writer the judge that writes steps, without the verdict cache
     * @param refreshed what the run has judged again in {@code refresh} mode, shared by its runtimes
     */
    EvaluationStepsJudge(Judge next, Judge writer, Path cacheDir, CacheMode mode, RefreshedFiles refreshed) {
        this.next = next;
        this.writer = writer;
        this.files = new StepsFiles(cacheDir);
        this.mode = mode;
        this.refreshed = refreshed;
    }

    @Override
    public JudgeFingerprint fingerprint(JudgeRequest request) {
        return next.fingerprint(withSteps(request));
    }

    @Override
    public Verdict judge(JudgeRequest request, JudgeFingerprint fingerprint) {
        return next.judge(withSteps(request), fingerprint);
    }

    /** The request with its metric's steps, read or written; the same request when its metric awaits none. */
    JudgeRequest withSteps(JudgeRequest request) {
        Metric metric = request.metric();
        if (!metric.awaitsSteps()) {
            return request;
        }
        String criterion = metric.steps().criterion();
        Path file = files.fileFor(metric.name(), criterion);
        EvaluationSteps steps = resolved.get(file);
        if (steps == null) {
            steps = resolve(metric.name(), criterion, file);
        }
        return new JudgeRequest(metric.withSteps(steps), request.evaluationCase(), request.samples());
    }

    /**
     * One thread at a time reads or writes steps, and the steps are written under a claim on their file, so that two checks
     * of one criterion never pay for them twice, in this runtime or in another sharing the cache (another class's settings,
     * another JVM).
     */
    private synchronized EvaluationSteps resolve(String metric, String criterion, Path file) {
        EvaluationSteps known = resolved.get(file);
        if (known != null) {
            return known;
        }
        boolean refresh = mode == CacheMode.REFRESH && !refreshed.contains(file);
        Optional<EvaluationSteps> recorded = refresh ? Optional.empty() : files.read(metric, criterion);
        EvaluationSteps steps;
        if (recorded.isPresent()) {
            steps = recorded.get();
        } else if (mode == CacheMode.REPLAY || mode == CacheMode.COLLECT) {
            steps = write(metric, criterion, file); // refused: nothing is judged in these modes
        } else {
            try (StepsFiles.Claim claim = files.claim(metric, criterion)) {
                // Written by another holder while this one waited, before it (auto), or by another runtime or JVM of the run since
                // the look above (refresh): take those steps, which the verdicts judged by them are keyed by.
                Optional<EvaluationSteps> meanwhile = !refresh || claim.writtenWhileWaiting() || refreshed.contains(file)
                        ? files.read(metric, criterion) : Optional.empty();
                steps = meanwhile.orElseGet(() -> write(metric, criterion, file));
                if (mode == CacheMode.REFRESH) {
                    refreshed.add(file);
                }
            }
        }
        resolved.put(file, steps);
        return steps;
    }

    private EvaluationSteps write(String metric, String criterion, Path file) {
        if (mode == CacheMode.REPLAY || mode == CacheMode.COLLECT) {
            throw new JudgeException(JudgeException.Reason.NOT_RECORDED, "no evaluation steps are recorded for metric " + metric
                    + " and the criterion \"" + criterion + "\" (llmjudge.cache.mode=" + mode.value() + "): expected " + file
                    + ". Run once with llmjudge.cache.mode=auto and a judge to have the judge write them, review the file and commit it"
                    + (mode == CacheMode.COLLECT ? "; the checks that follow the steps can be collected for a batch once the steps are written" : ""));
        }
        Verdict written = writer.judge(new JudgeRequest(STEPS_WRITER, EvaluationCase.ofAnswer(criterion), 1));
        // Billed, and in no check's row: the report counts it on its own.
        CheckRecorder.publishCall(CallOutsideCheck.of(CallOutsideCheck.EVALUATION_STEPS, metric, written));
        if (written.score() < 1) {
            throw new JudgeException(JudgeException.Reason.INVALID_REPLY, "the judge wrote no evaluation steps for metric " + metric
                    + ": it found the criterion \"" + criterion + "\" too unclear to grade (" + written.justification()
                    + "). Reword the criterion in Metrics.withSteps");
        }
        List<String> lines = Arrays.stream(written.justification().split("\\R"))
                .map(line -> NUMBERING.matcher(line).replaceFirst("").strip())
                .filter(line -> !line.isEmpty())
                .toList();
        if (lines.isEmpty()) {
            throw new JudgeException(JudgeException.Reason.INVALID_REPLY, "the judge's reply held no evaluation steps for metric " + metric
                    + ": run again, or write the steps file " + file + " by hand");
        }
        EvaluationSteps steps = new EvaluationSteps(criterion, lines);
        files.write(metric, steps, written.judgeModel());
        return steps;
    }
}
