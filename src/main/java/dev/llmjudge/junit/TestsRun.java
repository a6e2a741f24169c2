package dev.llmjudge.junit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.llmjudge.internal.AtomicFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The tests one test JVM of the run started (by unique id, dynamic tests and invocations left
 * out) and those that did not pass (failed, aborted or skipped), kept beside its report part
 * when unused verdicts are to be deleted: a run that deletes them must have run every test the
 * suite holds and seen each pass, across all its JVMs.
 */
record TestsRun(Set<String> started, Set<String> notPassed) {
    static final TestsRun NONE = new TestsRun(Set.of(), Set.of());
    /** The directory under a run's parts where each JVM keeps its tests. */
    static final String DIRECTORY = "tests";
    /** How many tests a refusal names before it counts the rest. */
    static final int NAMED = 3;

    TestsRun {
        started = Set.copyOf(started);
        notPassed = Set.copyOf(notPassed);
    }

    /** A unique id's segments that a launcher's discovery never shows: they appear while tests run. */
    static boolean isDynamic(String uniqueId) {
        int last = uniqueId.lastIndexOf("/[");
        String segment = last < 0 ? uniqueId : uniqueId.substring(last + 2);
        return segment.startsWith("test-template-invocation:") || segment.startsWith("dynamic-test:")
                || segment.startsWith("dynamic-container:");
    }

    /**
     * Built when a file is written or read, not when the class is first used: the report listener asks
     * {@link #isDynamic} of every test from the first one on, data binding takes a good part of a second
     * to load in a cold JVM, and only a run that deletes unused verdicts writes or reads these files.
     */
    private static ObjectMapper json() {
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    }

    static void write(TestsRun tests, Path file) throws IOException {
        AtomicFiles.write(file, json().writeValueAsBytes(new TestsRun(new TreeSet<>(tests.started()), new TreeSet<>(tests.notPassed()))));
    }

    /**
     * Why the run did not run every test of the suite and see each pass, judged from the tests
     * every JVM of the run kept under {@code runParts}; empty when it did. {@code wholeSuite}
     * discovers every test of the suite (see {@link WholeSuite}).
     */
    static Optional<String> whatDidNotRun(Path runParts, Supplier<Set<String>> wholeSuite) {
        Set<String> started = new TreeSet<>();
        Set<String> notPassed = new TreeSet<>();
        Path dir = runParts.resolve(DIRECTORY);
        ObjectMapper json = json();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "[!.]*.json")) {
            for (Path file : files) {
                TestsRun part = json.readValue(file.toFile(), TestsRun.class);
                started.addAll(part.started());
                notPassed.addAll(part.notPassed());
            }
        } catch (IOException | RuntimeException e) {
            return Optional.of("the tests the run ran cannot be told (" + e.getMessage() + ")");
        }
        Set<String> suite;
        try {
            suite = wholeSuite.get();
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("the suite's tests could not be discovered (" + e + ")");
        }
        if (suite.isEmpty()) {
            return Optional.of("no test was discovered on the test class path, so the run cannot be told to have run them all");
        }
        List<String> missing = suite.stream().filter(id -> !started.contains(id)).sorted().toList();
        if (!missing.isEmpty()) {
            return Optional.of(missing.size() + " of " + suite.size() + " tests of the test class path did not run (" + named(missing)
                    + "): a test filter, a tag filter or a shard runs part of the suite, and its verdicts would look unused");
        }
        if (!notPassed.isEmpty()) {
            return Optional.of(notPassed.size() + (notPassed.size() == 1 ? " test" : " tests") + " did not pass (" + named(List.copyOf(notPassed))
                    + "): a test that fails, aborts or is skipped may not have reached all its checks");
        }
        return Optional.empty();
    }

    private static String named(List<String> ids) {
        String some = String.join(", ", ids.subList(0, Math.min(NAMED, ids.size())));
        return ids.size() > NAMED ? some + " and " + (ids.size() - NAMED) + " more" : some;
    }
}
