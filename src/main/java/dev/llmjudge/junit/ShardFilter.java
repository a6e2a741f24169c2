package dev.llmjudge.junit;

import dev.llmjudge.config.ConfigSources;
import dev.llmjudge.config.LlmJudgeConfig;
import dev.llmjudge.config.Shard;
import dev.llmjudge.internal.RunWide;
import java.util.Optional;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryListener;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Runs one shard of the suite, {@code llmjudge.shard=K/N}: keeps the tests whose outermost test
 * class is in shard K ({@link Shard#holds}, a stable hash of the class's fully-qualified name), so
 * a class runs whole, its {@code @Nested} classes with it, in exactly one of the N shards. Tests
 * that are in no class (some engines' own) go by the unique id of their node below the engine.
 * Without the key every test is kept.
 *
 * <p>Registered through {@code META-INF/services} both as the Launcher's {@link PostDiscoveryFilter}
 * and as a {@link LauncherDiscoveryListener}, which reads the key from the discovery request's
 * configuration parameters ({@code -D} system properties, {@code junit-platform.properties},
 * Surefire's {@code configurationParameters}), then {@code LLMJUDGE_SHARD}. A malformed value
 * fails the discovery with the key, the value and what is expected.
 *
 * <pre>
 * mvn test -Dllmjudge.shard=2/3
 * </pre>
 */
public class ShardFilter implements PostDiscoveryFilter, LauncherDiscoveryListener {
    private static final String KEY = LlmJudgeConfig.SHARD;

    /** The shard of the discovery in progress on each thread; without a discovery listener, the system's, read once. */
    static final class Discoveries {
        final ThreadLocal<Optional<Shard>> current = new ThreadLocal<>();
        private volatile Optional<Shard> system;

        Optional<Shard> system() {
            Optional<Shard> s = system;
            if (s == null) {
                s = LlmJudgeConfig.shardOf(ConfigSources.system());
                system = s;
            }
            return s;
        }
    }

    /** The instance {@code META-INF/services} creates, once as a filter and once as a discovery listener. */
    public ShardFilter() {
    }

    private static Discoveries discoveries() {
        return RunWide.get(Discoveries.class, Discoveries::new);
    }

    @Override
    public void launcherDiscoveryStarted(LauncherDiscoveryRequest request) {
        discoveries().current.set(LlmJudgeConfig.shardOf(ConfigSources.junit(request.getConfigurationParameters()::get, System.getenv())));
    }

    @Override
    public void launcherDiscoveryFinished(LauncherDiscoveryRequest request) {
        discoveries().current.remove();
    }

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        Optional<Shard> configured = discoveries().current.get();
        Optional<Shard> shard = configured != null ? configured : discoveries().system();
        if (shard.isEmpty()) {
            return FilterResult.included("no " + KEY + ": every test runs");
        }
        if (descriptor.isRoot()) {
            return FilterResult.included("an engine runs in every shard");
        }
        String unit = unitOf(descriptor);
        int of = Shard.of(unit, shard.get().count());
        return of == shard.get().index() ? FilterResult.included(unit + " is in shard " + shard.get())
                : FilterResult.excluded(unit + " is in shard " + of + "/" + shard.get().count() + ", not in " + KEY + "=" + shard.get());
    }

    /** What is sharded whole: the outermost test class around the descriptor, else its node below the engine. */
    static String unitOf(TestDescriptor descriptor) {
        String outermostClass = null;
        TestDescriptor belowEngine = descriptor;
        for (Optional<TestDescriptor> d = Optional.of(descriptor); d.isPresent() && !d.get().isRoot(); d = d.get().getParent()) {
            belowEngine = d.get();
            Optional<String> name = d.get().getSource().flatMap(ShardFilter::className);
            if (name.isPresent()) {
                outermostClass = name.get();
            }
        }
        return outermostClass != null ? outermostClass : belowEngine.getUniqueId().toString();
    }

    private static Optional<String> className(TestSource source) {
        if (source instanceof ClassSource c) {
            return Optional.of(c.getClassName());
        }
        return source instanceof MethodSource m ? Optional.of(m.getClassName()) : Optional.empty();
    }
}
