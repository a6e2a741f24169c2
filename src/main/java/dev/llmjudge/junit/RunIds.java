package dev.llmjudge.junit;

import dev.llmjudge.config.Shard;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The id the test JVMs of one build share, so that their verdicts end in one report: the
 * configured {@code llmjudge.report.run-id}; else, in a Surefire fork, the timestamp in the name of
 * the booter jar every fork of one execution gets, or else the Maven process that started it;
 * else this JVM alone. Parts of another id (an earlier build) are never merged.
 */
final class RunIds {
    private static final Pattern BOOTER = Pattern.compile("surefirebooter-?(\\d+)_\\d+\\.jar");

    private RunIds() {
    }

    /** The run id of a shard: the run's, then the shard, e.g. {@code run-4711-shard-2-of-3}. */
    static String current(Optional<String> configured, Optional<Shard> shard) {
        return current(configured) + shard.map(s -> "-shard-" + s.index() + "-of-" + s.count()).orElse("");
    }

    /** The run id of the run a shard's run id ({@link #current(Optional, Optional)}) is part of; any other run id as it is. */
    static String withoutShard(String runId) {
        return runId.replaceFirst("-shard-\\d+-of-\\d+$", "");
    }

    /** The configured run ({@code llmjudge.report.run-id}) a report's run id is part of, e.g. {@code run-4711}; empty for an id a run made up. */
    static Optional<String> configuredRun(String runId) {
        String run = withoutShard(runId);
        return run.startsWith("run-") ? Optional.of(run) : Optional.empty();
    }

    /**
     * The id under which the JVMs of one build note what {@code refresh} mode judged again: the build's own (the Surefire
     * execution's, shared by its forks), after the configured run id when one is set. A configured id alone could stay the
     * same from build to build (one written in the pom), and a later build would then take the notes of an earlier one and
     * judge nothing again.
     */
    static String refreshRun(Optional<String> configured) {
        String build = current(Optional.empty());
        return configured.isPresent() ? current(configured) + "-" + build : build;
    }

    static String current(Optional<String> configured) {
        if (configured.isPresent()) {
            return "run-" + sanitize(configured.get());
        }
        String booter = System.getProperty("surefire.real.class.path");
        if (booter != null) {
            Matcher m = BOOTER.matcher(booter);
            if (m.find()) {
                return "surefire-" + m.group(1);
            }
        }
        if (booter != null || System.getProperty("surefire.test.class.path") != null) {
            Optional<ProcessHandle> maven = javaAncestor();
            if (maven.isPresent()) {
                return "maven-" + maven.get().pid() + "-" + startMillis(maven.get());
            }
        }
        ProcessHandle self = ProcessHandle.current();
        return "jvm-" + self.pid() + "-" + startMillis(self);
    }

    static String sanitize(String id) {
        String s = id.strip().replaceAll("[^A-Za-z0-9._-]", "_");
        return s.length() > 100 ? s.substring(0, 100) : s;
    }

    private static Optional<ProcessHandle> javaAncestor() {
        Optional<ProcessHandle> p = ProcessHandle.current().parent();
        for (int depth = 0; p.isPresent() && depth < 5; depth++, p = p.get().parent()) {
            String command = p.get().info().command().orElse("");
            if (command.endsWith("/java") || command.endsWith("\\java.exe") || command.endsWith("/java.exe")) {
                return p;
            }
        }
        return Optional.empty();
    }

    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }
}
