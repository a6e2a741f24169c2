package dev.llmjudge.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The run's report, {@code llmjudge.report.*}: each component is the key of its name.
 *
 * <pre>{@code
 * ReportConfig report = LlmJudgeConfig.fromEnvironment().report();
 * report.dir();        // target/llm-judge unless configured
 * report.baseline();   // an earlier run's report.json, if configured
 * report.baselineRequired(); // true: a baseline that does not exist fails the baseline gates
 * report.history();    // the directory of one summary per run, if configured
 * }</pre>
 */
public record ReportConfig(Path dir, Optional<Path> baseline, boolean baselineRequired, Optional<String> runId, Optional<Path> history) {
}
