package dev.llmjudge.junit;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Fails the invocation of a {@link JudgeDataset} row that cannot be read with its
 * {@link DatasetException}, without calling the test method. The provider records each bad row's
 * placeholder argument in the test template's store; invocations look theirs up there by
 * identity, so a row read well is never taken for a placeholder.
 */
final class BadRowInterceptor implements InvocationInterceptor {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BadRowInterceptor.class);

    /** One test template's bad rows: placeholder to its exception. */
    private static final class BadRows {
        final Map<DatasetRow, DatasetException> errors = Collections.synchronizedMap(new IdentityHashMap<>());
    }

    /** Records that the invocation given {@code placeholder} in {@code template} is to fail with {@code error}. */
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
