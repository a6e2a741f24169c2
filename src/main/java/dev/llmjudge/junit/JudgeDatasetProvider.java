package dev.llmjudge.junit;

import dev.llmjudge.internal.Texts;
import dev.llmjudge.internal.check.CheckRecorder;
import dev.llmjudge.judge.JudgeRequest;
import dev.llmjudge.metric.Metric;
import dev.llmjudge.metric.Metrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.provider.ArgumentsSource;
import org.junit.jupiter.params.support.AnnotationConsumer;
import org.junit.jupiter.params.support.ParameterDeclarations;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The arguments of {@link JudgeDataset}: one named {@link DatasetRow} per row, judged ahead when
 * asked. A bad row gets a placeholder named after its problem, failed by {@link BadRowInterceptor}.
 */
final class JudgeDatasetProvider implements ArgumentsProvider, AnnotationConsumer<JudgeDataset> {
    private JudgeDataset dataset;

    @Override
    public void accept(JudgeDataset annotation) {
        this.dataset = annotation;
    }

    @Override
    public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
        List<Metric> ahead = prefetchMetrics();
        ClassLoader loader = context.getTestClass().map(Class::getClassLoader).orElse(Thread.currentThread().getContextClassLoader());
        List<DatasetReader.Entry> entries = DatasetReader.read(dataset, loader);
        List<Arguments> arguments = new ArrayList<>(entries.size());
        List<DatasetRow> rows = new ArrayList<>(entries.size());
        for (DatasetReader.Entry entry : entries) {
            DatasetRow row = entry.row();
            if (entry.isBad()) {
                BadRowInterceptor.record(context, row, entry.error());
                arguments.add(Arguments.of(Named.of(Texts.oneLine("line " + row.line() + ": " + entry.error().problem(),
                        DatasetRow.DISPLAY_NAME_LIMIT), row)));
            } else {
                rows.add(row);
                arguments.add(Arguments.of(Named.of(row.displayName(), row)));
            }
        }
        CheckRecorder.datasetFile(context.getUniqueId(), dataset.value());
        if (!ahead.isEmpty()) {
            LlmJudgeExtension.runtimeFor(context).prefetch(requests(rows, ahead));
        }
        if (AnnotationSupport.findRepeatableAnnotations(context.getRequiredTestMethod(), ArgumentsSource.class).size() == 1) {
            // The dataset is the method's only source, so invocation N receives entry N.
            CheckRecorder.datasetRows(context.getUniqueId(), rowKeys(entries.stream().map(DatasetReader.Entry::row).toList()));
        }
        return arguments.stream();
    }

    private List<Metric> prefetchMetrics() {
        return Arrays.stream(dataset.prefetch()).map(name -> Metrics.builtIn(name).orElseThrow(() -> new ExtensionConfigurationException(
                "@JudgeDataset(prefetch) names the metric '" + name + "' on " + dataset.value() + "; the metrics that can be judged ahead"
                        + " are the built-in ones: " + String.join(", ", Metrics.builtInNames())))).toList();
    }

    /**
     * What identifies each row's invocation across runs: its id, else its question, else its line (never its answer); repeats
     * numbered {@code q (2)}, {@code q (3)}, skipping a number that another row's own key already is, so no two rows share one.
     */
    static List<String> rowKeys(List<DatasetRow> rows) {
        Set<String> own = new HashSet<>();
        rows.forEach(row -> own.add(ownKey(row)));
        Set<String> used = new HashSet<>();
        List<String> keys = new ArrayList<>(rows.size());
        for (DatasetRow row : rows) {
            String key = ownKey(row);
            for (int n = 2; !used.add(key); n++) {
                String numbered = ownKey(row) + " (" + n + ")";
                key = own.contains(numbered) ? key : numbered;
            }
            keys.add(key);
        }
        return keys;
    }

    private static String ownKey(DatasetRow row) {
        return row.id() != null ? "id=" + row.id() : row.question() != null ? row.question() : "line " + row.line();
    }

    /** Row by row, so the verdicts come back in the order the invocations ask for them. */
    private static List<JudgeRequest> requests(List<DatasetRow> rows, List<Metric> metrics) {
        List<JudgeRequest> requests = new ArrayList<>(rows.size() * metrics.size());
        for (DatasetRow row : rows) {
            for (Metric metric : metrics) {
                try {
                    requests.add(new JudgeRequest(metric, row.evaluationCase()));
                } catch (IllegalArgumentException e) {
                    // The row lacks a field the metric reads: its own check reports that, with the row's name.
                }
            }
        }
        return requests;
    }
}
