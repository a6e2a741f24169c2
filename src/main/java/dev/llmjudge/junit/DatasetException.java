package dev.llmjudge.junit;

import dev.llmjudge.internal.Secrets;

/**
 * A dataset row cannot be read. The message starts with the place, as compilers write it:
 * {@code datasets/support.jsonl:7:15: "question" must be a string, not a number}.
 */
public class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String problem;

    /** {@code problem} may quote the row (a parser's message quotes the token it stopped at): a known API key in it is masked. */
    public DatasetException(String source, int line, int column, String problem) {
        super(source + ":" + line + ":" + column + ": " + Secrets.redact(problem));
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = Secrets.redact(problem);
    }

    /** The dataset as named in {@link JudgeDataset#value()}. */
    public String source() {
        return source;
    }

    /** The line (1-based). */
    public int line() {
        return line;
    }

    /** The column (1-based, in characters). */
    public int column() {
        return column;
    }

    /** The message without the place. */
    String problem() {
        return problem;
    }
}
