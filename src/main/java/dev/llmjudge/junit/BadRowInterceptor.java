package dev.llmjudge.junit;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Fails the invocation of a {@link JudgeDataset} row that cannot be read with the row's
 * {@link DatasetException}, without calling the test method; {@code @JudgeDataset} registers it
 * on the method it annotates.
 *
 * <p>{@link JudgeDatasetProvider} gives a bad row a placeholder {@link DatasetRow} as its argument
 * and records the placeholder with its exception in the store of the test template's context
 * ({@link #record}). Every invocation's context is a child of that context, so here the
 * invocation's arguments are looked up there, by identity: a row read well is never mistaken for
 * a placeholder, whatever its fields. The record lives and ends with the template's context; no
 * state is shared between templates or runs.
 */
final class BadRowInterceptor implements InvocationInterceptor {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BadRowInterceptor.class);

    /** The bad rows of one test template: placeholder to its exception. Invocations may read it from several threads. */
    private static final class BadRows {
        final Map<DatasetRow, DatasetException> errors = Collections.synchronizedMap(new IdentityHashMap<>());
    }

    /** Records that the invocation given {@code placeholder} is to fail with {@code error}; {@code template} is the test template's context. */
    static void record(ExtensionContext template, DatasetRow placeholder, DatasetException error) {
        template.getStore(NAMESPACE).getOrComputeIfAbsent(BadRows.class, k -> new BadRows(), BadRows.class).errors.put(placeholder, error);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext extensionContext) throws Throwable {
        DatasetException error = errorOf(invocationContext, extensionContext);
        if (error != null) {
            invocation.skip();
            throw error;
        }
        invocation.proceed();
    }

    private static DatasetException errorOf(ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext) {
        BadRows bad = extensionContext.getParent().map(template -> template.getStore(NAMESPACE).get(BadRows.class, BadRows.class)).orElse(null);
        if (bad == null) {
            return null;
        }
        for (Object argument : invocationContext.getArguments()) {
            DatasetException error = argument instanceof DatasetRow row ? bad.errors.get(row) : null;
            if (error != null) {
                return error;
            }
        }
        return null;
    }
}
