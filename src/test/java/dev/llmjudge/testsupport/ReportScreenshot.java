package dev.llmjudge.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Takes a PNG screenshot of a report page in Debian's headless Chromium (see {@link HeadlessChromium}),
 * e.g. the example's report for {@code docs/report.md}:
 *
 * <pre>
 * mvn -B -o -q test-compile org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" dev.llmjudge.testsupport.ReportScreenshot \
 *     example-tests/target/llm-judge/report.html docs/report.png 1280
 * </pre>
 *
 * <p>Usage: {@code ReportScreenshot <report.html> <out.png> [width in CSS pixels, default 1280] [CSS selector of the
 * part to take, default the whole page]}. The page is laid out at that width and taken whole (or the
 * selected element), however long it is.
 */
public final class ReportScreenshot {
    private ReportScreenshot() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 2 || args.length > 4) {
            System.err.println("usage: ReportScreenshot <report.html> <out.png> [width, default 1280] [CSS selector, default the whole page]");
            System.exit(2);
        }
        Path report = Path.of(args[0]).toAbsolutePath();
        Path png = Path.of(args[1]).toAbsolutePath();
        int width = args.length > 2 ? Integer.parseInt(args[2]) : 1280;
        if (!Files.isRegularFile(report)) {
            System.err.println(report + " is not a file: give the report.html to take, e.g. example-tests/target/llm-judge/report.html");
            System.exit(2);
        }
        if (!HeadlessChromium.isInstalled()) {
            System.err.println(HeadlessChromium.NOT_INSTALLED);
            System.exit(2);
        }
        Path work = Files.createTempDirectory("report-screenshot-");
        try (HeadlessChromium browser = HeadlessChromium.start(work, Duration.ofSeconds(60))) {
            browser.resize(width, 900);
            browser.navigate(report.toUri().toString());
            byte[] image = args.length > 3 ? browser.screenshotOf(args[3])
                    : browser.screenshot(0, 0, width, browser.evaluate("document.documentElement.scrollHeight").asDouble());
            Files.createDirectories(png.getParent());
            Files.write(png, image);
            System.out.println("wrote " + png + " (" + image.length + " bytes)");
        }
    }
}
