package dev.llmjudge.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One headless Chromium for a test class and a page written once for it, in a directory of its
 * own: both made before the class's first test, the browser closed and the directory removed
 * after its last. Without Chromium each test is skipped, or failed under {@code CI=true}
 * ({@link HeadlessChromium#assumeInstalled()}).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ChromiumPage page = new ChromiumPage(dir -> {
 *     Path file = dir.resolve("report.html");
 *     HtmlReportWriter.write(report, file);
 *     return file;
 * });
 *
 * @Test
 * void renders() throws Exception {
 *     page.browser().navigate(page.url());
 * }
 * }</pre>
 */
public final class ChromiumPage implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    /** Writes the page into {@code dir} and returns its file. */
    @FunctionalInterface
    public interface PageWriter {
        Path write(Path dir) throws IOException;
    }

    private final PageWriter writer;
    private Path dir;
    private HeadlessChromium browser;
    private String url;

    public ChromiumPage(PageWriter writer) {
        this.writer = writer;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
        if (!HeadlessChromium.isInstalled()) {
            return; // each test then skips, or fails under CI=true, in beforeEach
        }
        dir = Files.createTempDirectory("chromium-page-");
        url = writer.write(dir).toUri().toString();
        browser = HeadlessChromium.start(dir, Duration.ofSeconds(30));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        HeadlessChromium.assumeInstalled();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (browser != null) {
            browser.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    public HeadlessChromium browser() {
        return browser;
    }

    /** The page's {@code file:} URL. */
    public String url() {
        return url;
    }

    /** The directory the page and the browser's profile are in. */
    public Path dir() {
        return dir;
    }
}
