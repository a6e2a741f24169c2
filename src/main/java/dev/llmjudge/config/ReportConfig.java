package dev.llmjudge.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The run's report, {@code llmjudge.report.*}.
 *
 * <pre>{@code
 * ReportConfig report = LlmJudgeConfig.fromEnvironment().report();
 * report.dir();        // target/llm-judge unless configured
 * report.baseline();   // an earlier run's report.json, if configured
 * }</pre>
 *
 * @param dir where {@code report.html}, {@code report.json} and {@code summary.md} go
 * @param baseline an earlier run's {@code report.json} to compare scores with, if configured
 * @param runId the run id shared by the test JVMs of one build, if configured (else derived from Surefire)
 */
public record ReportConfig(Path dir, Optional<Path> baseline, Optional<String> runId) {
}
