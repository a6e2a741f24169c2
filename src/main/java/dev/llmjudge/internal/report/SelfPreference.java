package dev.llmjudge.internal.report;

import dev.llmjudge.internal.Secrets;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The report's warning that the judge may favour its own answers: verdicts given by the model the
 * system under test answers with ({@code llmjudge.sut.model}). Two names are the same model when
 * they are equal after the last {@code /}, in any case, and without a dated snapshot's suffix:
 * {@code openai/GPT-4.1-2025-04-14} is {@code gpt-4.1}; {@code gpt-4.1-mini} is not.
 */
public final class SelfPreference {
    /** The kind of the warning, {@value}. */
    public static final String KIND = "SELF_PREFERENCE";
    private static final Pattern DATED_SNAPSHOT = Pattern.compile("-\\d{4}-\\d{2}-\\d{2}$");

    private SelfPreference() {
    }

    /** The warning for these rows, when a scored one was judged by {@code sutModel}; empty without a model under test. */
    public static Optional<RunReport.Warning> warning(Collection<ReportRow> rows, Optional<String> sutModel) {
        if (sutModel.isEmpty() || sutModel.get().isBlank()) {
            return Optional.empty();
        }
        String sut = sutModel.get().strip();
        List<ReportRow> scored = rows.stream().filter(ReportRow::scored).toList();
        List<ReportRow> own = scored.stream().filter(r -> r.judgeModel() != null && sameModel(sut, r.judgeModel())).toList();
        if (own.isEmpty()) {
            return Optional.empty();
        }
        String judges = String.join(", ", own.stream().map(ReportRow::judgeModel).distinct().sorted().toList());
        return Optional.of(new RunReport.Warning(KIND, Secrets.redact(String.format(Locale.ROOT,
                "%,d of %s %s judged by %s, the model under test (llmjudge.sut.model=%s): a judge tends to score answers of its own"
                        + " model higher (self-preference). Judge with another model (llmjudge.judge.model, or the metric's model) to"
                        + " trust these scores.", own.size(), RunReports.plural(scored.size(), "verdict"), own.size() == 1 ? "was" : "were", judges, sut))));
    }

    /** Whether two model names name the same model (see the class comment). */
    public static boolean sameModel(String a, String b) {
        return canonical(a).equals(canonical(b));
    }

    private static String canonical(String model) {
        String name = model.strip().toLowerCase(Locale.ROOT);
        name = name.substring(name.lastIndexOf('/') + 1);
        return DATED_SNAPSHOT.matcher(name).replaceFirst("");
    }
}
