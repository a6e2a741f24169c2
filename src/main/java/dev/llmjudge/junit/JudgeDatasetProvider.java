package dev.llmjudge.junit;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.AnnotationConsumer;
import org.junit.jupiter.params.support.ParameterDeclarations;

/** The arguments of {@link JudgeDataset}: one named {@link DatasetRow} per row. */
final class JudgeDatasetProvider implements ArgumentsProvider, AnnotationConsumer<JudgeDataset> {
    private JudgeDataset dataset;

    @Override
    public void accept(JudgeDataset annotation) {
        this.dataset = annotation;
    }

    @Override
    public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters, ExtensionContext context) {
        ClassLoader loader = context.getTestClass().map(Class::getClassLoader).orElse(Thread.currentThread().getContextClassLoader());
        return DatasetReader.read(dataset, loader).stream().map(row -> Arguments.of(Named.of(row.displayName(), row)));
    }
}
