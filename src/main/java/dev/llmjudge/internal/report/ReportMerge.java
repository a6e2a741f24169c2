package dev.llmjudge.internal.report;

import dev.llmjudge.config.Shard;
import dev.llmjudge.internal.check.CallOutsideCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Combines the reports of one run's shards into the rows of one report. It refuses, naming every
 * problem and the files it is in: reports that differ in the verdict cache's key format, in the
 * judge settings they were configured with or in the commit they tested, a case in more than one
 * report, reports of different splits, and, when the number of shards is known (given, or recorded
 * by the reports), a shard given twice or missing. The aggregates are not merged:
 * {@link RunReports#build} computes them again from the merged rows.
 */
public final class ReportMerge {
    /** At most this many cases in more than one report are listed. */
    static final int DUPLICATE_LIMIT = 5;

    private ReportMerge() {
    }

    /** The merge was refused; the message holds every problem, one a line. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> problems;

        Refused(List<String> problems) {
            super(String.join("\n", problems));
            this.problems = List.copyOf(problems);
        }

        /** What is wrong, each naming the files it is in and how to fix it. */
        public List<String> problems() {
            return problems;
        }
    }

    /**
     * The merged rows, in the order of the reports given, the merged report's header (run id {@code runId}), the reports'
     * billed calls outside checks, and the commit they tested ({@code null} when none records it).
     */
    public record Merged(List<ReportRow> rows, RunHeader header, List<CallOutsideCheck> callsOutsideChecks, String commit) {
        public Merged {
            rows = List.copyOf(rows);
            callsOutsideChecks = List.copyOf(callsOutsideChecks);
        }
    }

    /** One judge setting the shards must share, how the problem names it, and its value. */
    private record Setting(String name, Function<RunHeader.JudgeSettings, Object> value) {
    }

    private static final List<Setting> JUDGE_SETTINGS = List.of(
            new Setting("judge model (llmjudge.judge.model)", RunHeader.JudgeSettings::model),
            new Setting("judge endpoint's host (llmjudge.judge.base-url, else OPENAI_BASE_URL)", RunHeader.JudgeSettings::baseUrlHost),
            new Setting("temperature (llmjudge.judge.temperature)", RunHeader.JudgeSettings::temperature),
            new Setting("seed (llmjudge.judge.seed)", RunHeader.JudgeSettings::seed),
            new Setting("max tokens (llmjudge.judge.max-tokens)", RunHeader.JudgeSettings::maxTokens),
            new Setting("samples per verdict (llmjudge.judge.samples)", RunHeader.JudgeSettings::samples),
            new Setting("scoring (llmjudge.judge.score-by)", RunHeader.JudgeSettings::scoreBy),
            new Setting("handling of unstable checks (llmjudge.judge.on-unstable)", RunHeader.JudgeSettings::onUnstable));

    /**
     * Merges {@code reports}; {@code shards} is the number of shards the run was split into, when the caller knows it;
     * {@code configuredRun} gives the configured run a report's run id is part of ({@code llmjudge.report.run-id}), empty
     * for an id the run made up. Throws {@link Refused} with every problem found.
     */
    public static Merged merge(List<JsonReport.ReportFile> reports, OptionalInt shards, String runId,
            Function<String, Optional<String>> configuredRun) throws Refused {
        if (reports.isEmpty()) {
            throw new Refused(List.of("no report to merge: give the report.json of every shard"));
        }
        List<String> problems = new ArrayList<>();
        runProblem(reports, configuredRun).ifPresent(problems::add);
        // A commit is not known outside git and CI: the reports that record one are compared.
        List<JsonReport.ReportFile> withCommit = reports.stream().filter(r -> r.report().run().commit() != null).toList();
        differing("the commit they tested", withCommit, r -> r.report().run().commit(), "merge the reports of one run of one commit (a"
                + " report left over from another run or commit is not this run's)").ifPresent(problems::add);
        settingProblems(reports, problems);
        shardProblems(reports, shards, problems);
        duplicateProblem(reports).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw new Refused(problems);
        }
        RunHeader first = reports.get(0).header();
        List<RunHeader.MergedReport> from = reports.stream()
                .map(r -> new RunHeader.MergedReport(r.file().toString(), r.header().runId(), r.header().shard())).toList();
        return new Merged(reports.stream().flatMap(r -> r.report().rows().stream()).toList(),
                new RunHeader(runId, null, first.keyFormat(), first.judge(), from),
                reports.stream().flatMap(r -> r.report().callsOutsideChecks().stream()).toList(),
                withCommit.isEmpty() ? null : withCommit.get(0).report().run().commit());
    }

    /**
     * Reports of different runs: when any report records a configured run id, every report must record the same one (a
     * shard left over from an earlier run, or one run without the id). Ids the runs made up are not compared.
     */
    private static Optional<String> runProblem(List<JsonReport.ReportFile> reports, Function<String, Optional<String>> configuredRun) {
        Function<JsonReport.ReportFile, Optional<String>> run = r -> r.header().runId() == null ? Optional.empty()
                : configuredRun.apply(r.header().runId());
        if (reports.stream().map(run).allMatch(Optional::isEmpty)) {
            return Optional.empty();
        }
        return differing("the run they are part of (llmjudge.report.run-id)", reports,
                r -> run.apply(r).orElse("no run id set"), "merge the shards of one run, each run with the same"
                        + " llmjudge.report.run-id (the CI run's id)");
    }

    private static void settingProblems(List<JsonReport.ReportFile> reports, List<String> problems) {
        List<JsonReport.ReportFile> unrecorded = reports.stream()
                .filter(r -> r.header().keyFormat() == null || r.header().judge() == null).toList();
        if (!unrecorded.isEmpty()) {
            problems.add(files(unrecorded) + (unrecorded.size() == 1 ? " records" : " record") + " no judge settings or key format: "
                    + (unrecorded.size() == 1 ? "it was" : "they were") + " written by an earlier version of llm-judge; run "
                    + (unrecorded.size() == 1 ? "that shard" : "those shards") + " again with this version");
            return;
        }
        differing("the verdict cache's key format", reports, r -> r.header().keyFormat(), "run every shard with the same version of llm-judge")
                .ifPresent(problems::add);
        for (Setting setting : JUDGE_SETTINGS) {
            // A setting that a report written before it was recorded does not hold is compared among those that hold it.
            List<JsonReport.ReportFile> recording = reports.stream().filter(r -> setting.value().apply(r.header().judge()) != null).toList();
            differing("the " + setting.name(), recording, r -> setting.value().apply(r.header().judge()),
                    "run every shard with the same judge settings").ifPresent(problems::add);
        }
    }

    /** {@code the reports differ in <what>: <a> in x.json, y.json; <b> in z.json: <fix>}, when they do. */
    private static Optional<String> differing(String what, List<JsonReport.ReportFile> reports,
            Function<JsonReport.ReportFile, Object> value, String fix) {
        Map<String, List<JsonReport.ReportFile>> byValue = reports.stream().collect(Collectors.groupingBy(r -> String.valueOf(value.apply(r)),
                LinkedHashMap::new, Collectors.toList()));
        if (byValue.size() < 2) {
            return Optional.empty();
        }
        return Optional.of("the reports differ in " + what + ": " + byValue.entrySet().stream()
                .map(e -> e.getKey() + " in " + files(e.getValue())).collect(Collectors.joining("; ")) + ": " + fix);
    }

    /** A report and the shard it records. */
    private record ShardReport(JsonReport.ReportFile report, Shard shard) {
    }

    private static void shardProblems(List<JsonReport.ReportFile> reports, OptionalInt shards, List<String> problems) {
        List<ShardReport> sharded = new ArrayList<>();
        List<JsonReport.ReportFile> whole = new ArrayList<>();
        for (JsonReport.ReportFile r : reports) {
            String shard = r.header().shard();
            if (shard == null) {
                whole.add(r);
                continue;
            }
            try {
                sharded.add(new ShardReport(r, Shard.parse(shard)));
            } catch (IllegalArgumentException e) {
                problems.add(r.file() + " records the shard '" + shard + "', which is not K/N: write it again with llm-judge");
            }
        }
        if (!whole.isEmpty() && (!sharded.isEmpty() || shards.isPresent())) {
            problems.add(files(whole) + (whole.size() == 1 ? " is not the report of a shard" : " are not reports of shards")
                    + " (no llmjudge.shard)" + (sharded.isEmpty() ? ", but --shards " + shards.getAsInt() + " was given" : ", but "
                    + files(sharded.stream().map(ShardReport::report).toList()) + (sharded.size() == 1 ? " is" : " are")) + ": run each shard with"
                    + " -Dllmjudge.shard=K/N and merge the reports of one run");
        }
        TreeSet<Integer> counts = sharded.stream().map(s -> s.shard().count()).collect(Collectors.toCollection(TreeSet::new));
        if (shards.isEmpty() && counts.size() > 1) {
            problems.add("the reports are shards of different splits: " + sharded.stream()
                    .map(s -> s.shard() + " in " + s.report().file()).collect(Collectors.joining("; "))
                    + ": merge the shards of one run, all run with the same N");
            return;
        }
        if (sharded.isEmpty()) {
            return;
        }
        int count = shards.orElse(counts.first());
        Map<Integer, List<JsonReport.ReportFile>> byIndex = new TreeMap<>();
        for (ShardReport s : sharded) {
            if (s.shard().count() != count) {
                problems.add(s.report().file() + " is shard " + s.shard() + ", not a shard of " + count + " (--shards " + count + "): merge"
                        + " the shards of one run, all run with llmjudge.shard=K/" + count);
            } else {
                byIndex.computeIfAbsent(s.shard().index(), k -> new ArrayList<>()).add(s.report());
            }
        }
        byIndex.forEach((index, files) -> {
            if (files.size() > 1) {
                problems.add("shard " + index + "/" + count + " is given " + (files.size() == 2 ? "twice" : files.size() + " times") + ": "
                        + files(files) + ": give each shard's report once");
            }
        });
        List<String> missing = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            if (!byIndex.containsKey(k)) {
                missing.add(k + "/" + count);
            }
        }
        if (!missing.isEmpty()) {
            problems.add((missing.size() == 1 ? "shard " + missing.get(0) + " is missing" : "shards " + String.join(", ", missing) + " are missing")
                    + (byIndex.isEmpty() ? "" : " (given: " + byIndex.entrySet().stream().map(e -> e.getKey() + "/" + count + " in "
                    + files(e.getValue())).collect(Collectors.joining("; ")) + ")")
                    + ": give the report.json of every shard; a shard that judged nothing writes one too");
        }
    }

    /** The cases that are in more than one report, if any: a class ran in two shards, or a report is given twice. */
    private static Optional<String> duplicateProblem(List<JsonReport.ReportFile> reports) {
        Map<String, JsonReport.ReportFile> firstIn = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        for (JsonReport.ReportFile r : reports) {
            Map<String, ReportRow> own = new LinkedHashMap<>();
            r.report().rows().forEach(row -> own.putIfAbsent(CaseIds.of(row), row));
            own.forEach((id, row) -> {
                JsonReport.ReportFile earlier = firstIn.putIfAbsent(id, r);
                if (earlier != null) {
                    duplicates.add((row.testName() == null ? "a check outside any test" : row.testName()) + " (" + row.metric() + ", case " + id
                            + ") is in " + earlier.file() + " and " + r.file());
                }
            });
        }
        if (duplicates.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder problem = new StringBuilder(RunReports.plural(duplicates.size(), "case")).append(duplicates.size() == 1 ? " is" : " are")
                .append(" in more than one report: a test class ran in two shards, or a report is given twice");
        duplicates.stream().limit(DUPLICATE_LIMIT).forEach(d -> problem.append("\n  ").append(d));
        if (duplicates.size() > DUPLICATE_LIMIT) {
            problem.append("\n  … and ").append(duplicates.size() - DUPLICATE_LIMIT).append(" more");
        }
        return Optional.of(problem.toString());
    }

    /**
     * What the merged {@code summary.md} says after the run's summary: the reports it was merged from and, when a gate
     * failed, each failure.
     */
    public static String summaryEnd(RunHeader header, List<String> gateFailures) {
        StringBuilder md = new StringBuilder("\nMerged from ").append(RunReports.plural(header.mergedFrom().size(), "report")).append(": ")
                .append(header.mergedFrom().stream().map(m -> (m.shard() == null ? "" : "shard " + m.shard() + " ") + MarkdownSummary.cell(m.file()))
                        .collect(Collectors.joining(", "))).append(".\n");
        if (!gateFailures.isEmpty()) {
            md.append("\n### Quality gates failed\n\n");
            gateFailures.forEach(f -> md.append("- ").append(MarkdownSummary.cell(f)).append('\n'));
        }
        return md.toString();
    }

    private static String files(List<JsonReport.ReportFile> reports) {
        return reports.stream().map(r -> Objects.toString(r.file())).collect(Collectors.joining(", "));
    }
}
