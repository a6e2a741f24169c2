package dev.llmjudge.internal.report;

import java.util.List;

/**
 * The recorded verdicts of the run's cache directories: the files checks read or wrote, and
 * those no check read ({@code llmjudge.cache.unused}: {@code report} lists them, {@code delete}
 * removes them, but only in a run that ran every test and saw each pass). {@code note} says why
 * files listed were not deleted, or is {@code null}.
 *
 * <pre>{@code
 * VerdictFiles files = report.verdictFiles();
 * files.unused();    // [src/test/llm-judge/answer_similarity/5c1e....json]
 * files.deleted();   // false with llmjudge.cache.unused=report
 * }</pre>
 */
public record VerdictFiles(List<String> directories, List<String> read, List<String> unused, String policy, boolean deleted, String note) {
    /** The policy that lists unused files, the default. */
    public static final String REPORT = "report";
    /** The policy that deletes unused files, in a run that ran every test. */
    public static final String DELETE = "delete";
    /** No verdict file was read or listed. */
    public static final VerdictFiles NONE = new VerdictFiles(List.of(), List.of(), List.of(), REPORT, false, null);

    public VerdictFiles {
        directories = directories == null ? List.of() : List.copyOf(directories);
        read = read == null ? List.of() : List.copyOf(read);
        unused = unused == null ? List.of() : List.copyOf(unused);
        policy = policy == null ? REPORT : policy;
    }

    /** The files checks read or wrote in these directories, before the unused ones are listed. */
    public static VerdictFiles read(List<String> directories, List<String> read) {
        return new VerdictFiles(directories, read, List.of(), REPORT, false, null);
    }
}
