package dev.llmjudge.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Where configured values come from, below the settings in code: the parameters, then the
 * environment variable derived from the key ({@link LlmJudgeConfig#resolve}). {@code parameterNames}
 * are those checked for unknown {@code llmjudge.*} keys: JUnit does not list its parameters.
 *
 * <pre>{@code
 * // what the JUnit extension reads: JUnit configuration parameters, then LLMJUDGE_* variables
 * LlmJudgeConfig config = LlmJudgeConfig.resolve(ConfigSources.junit(context::getConfigurationParameter, System.getenv()));
 * // a test of configuration
 * LlmJudgeConfig replay = LlmJudgeConfig.resolve(ConfigSources.of(Map.of(), Map.of("LLMJUDGE_CACHE_MODE", "replay")));
 * }</pre>
 */
public record ConfigSources(Function<String, Optional<String>> parameters, Set<String> parameterNames, Map<String, String> environment) {
    private static final String JUNIT_PLATFORM_PROPERTIES = "junit-platform.properties";

    public ConfigSources {
        Objects.requireNonNull(parameters, "parameters");
        parameterNames = Set.copyOf(parameterNames);
        environment = Map.copyOf(environment);
    }

    /** No source: every key has its default. */
    public static ConfigSources none() {
        return of(Map.of(), Map.of());
    }

    /** Parameters and environment variables given as maps; every parameter is checked for unknown keys. */
    public static ConfigSources of(Map<String, String> parameters, Map<String, String> environment) {
        Map<String, String> copy = Map.copyOf(parameters);
        return new ConfigSources(key -> Optional.ofNullable(copy.get(key)), copy.keySet(), environment);
    }

    /** System properties, then {@code junit-platform.properties} on the class path, then the process environment: the sources without JUnit. */
    public static ConfigSources system() {
        return of(listedParameters(), System.getenv());
    }

    /**
     * The sources of a command line tool: the {@code -D<key>=<value>} arguments {@code given}, then the system properties and
     * {@code junit-platform.properties} on the class path, then {@code environment}.
     */
    public static ConfigSources commandLine(Map<String, String> given, Map<String, String> environment) {
        Map<String, String> arguments = Map.copyOf(given);
        ConfigSources system = system();
        Set<String> names = new HashSet<>(system.parameterNames());
        names.addAll(arguments.keySet());
        return new ConfigSources(key -> arguments.containsKey(key) ? Optional.of(arguments.get(key)) : system.parameters().apply(key),
                names, environment);
    }

    /** JUnit configuration parameters, then {@code environment}; the system properties and {@code junit-platform.properties} are checked. */
    public static ConfigSources junit(Function<String, Optional<String>> parameters, Map<String, String> environment) {
        return new ConfigSources(parameters, listedParameters().keySet(), environment);
    }

    /**
     * JUnit configuration parameters that a launcher can list ({@code names}, e.g. {@code ConfigurationParameters.keySet()}),
     * then {@code environment}; those names, the system properties and {@code junit-platform.properties} are checked.
     */
    public static ConfigSources junit(Function<String, Optional<String>> parameters, Set<String> names, Map<String, String> environment) {
        Set<String> listed = new HashSet<>(listedParameters().keySet());
        listed.addAll(names);
        return new ConfigSources(parameters, listed, environment);
    }

    /** The {@code llmjudge.*} system properties over the keys of {@code junit-platform.properties} on the class path. */
    private static Map<String, String> listedParameters() {
        Properties file = new Properties();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream(JUNIT_PLATFORM_PROPERTIES)) {
            if (in != null) {
                file.load(in);
            }
        } catch (IOException e) {
            throw new ConfigurationException(null, "cannot read " + JUNIT_PLATFORM_PROPERTIES + ": " + e.getMessage(), e);
        }
        Map<String, String> listed = new TreeMap<>();
        for (Properties source : new Properties[] {file, System.getProperties()}) {
            source.stringPropertyNames().stream().filter(name -> name.startsWith(LlmJudgeConfig.PREFIX))
                    .forEach(name -> listed.put(name, source.getProperty(name)));
        }
        return listed;
    }
}
