package dev.llmjudge.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Placeholder until the HTML report writer lands: a bare page pointing to report.json. */
public final class HtmlReportWriter {
    private HtmlReportWriter() {
    }

    public static void write(RunReport report, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, "<!doctype html><meta charset=utf-8><title>llm-judge</title><p>" + report.rows().size()
                + " rows: see report.json</p>\n", StandardCharsets.UTF_8);
    }
}
