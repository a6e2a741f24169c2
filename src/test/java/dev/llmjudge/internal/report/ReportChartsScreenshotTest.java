package dev.llmjudge.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmjudge.testsupport.ChromiumPage;
import dev.llmjudge.testsupport.HeadlessChromium;
import dev.llmjudge.testsupport.ReportScreenshot;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The charts render: screenshots of the report page taken by headless Chromium (Chrome DevTools'
 * {@code Page.captureScreenshot}) show the histogram's bars and the trend lines in the page's
 * accent colour, where a blank area of the same size shows none. Skipped without Chromium,
 * failed under {@code CI=true}.
 */
class ReportChartsScreenshotTest {
    /** The light scheme's accent colour, which the bars and lines are filled and stroked with (report.css). */
    private static final int ACCENT = 0x0969da;

    @RegisterExtension
    static final ChromiumPage page = ReportFixtures.inChromium(ReportFixtures.reviewRun());

    private static HeadlessChromium browser;

    @BeforeEach
    void openPage() throws IOException, InterruptedException {
        browser = page.browser();
        browser.resize(1280, 900);
        browser.navigate(page.url());
    }

    @Test
    void the_histogram_shows_its_bars() throws Exception {
        BufferedImage histogram = png(browser.screenshotOf("svg.histogram[data-metric=\"answer_similarity\"]"));

        // Three bars of 14 x 40 pixels or less, out of an 82 x 52 chart: at least a tenth of it is bar.
        assertThat(histogram.getWidth()).isEqualTo(82);
        assertThat(share(histogram, ACCENT)).isGreaterThan(0.10);
        // The tallest bar (scores of 4 and 5 count one each, as 2 does) reaches the top; the empty levels 1 and 3 show none.
        assertThat(columnShare(histogram, 7, ACCENT)).isZero();
        assertThat(columnShare(histogram, 17 + 7, ACCENT)).isGreaterThan(0.5);
        assertThat(columnShare(histogram, 2 * 17 + 7, ACCENT)).isZero();
    }

    @Test
    void the_trend_lines_show_a_line_and_the_last_run() throws Exception {
        BufferedImage mean = png(browser.screenshotOf(
                "#metrics tr:has(svg.histogram[data-metric=\"answer_correctness\"]) svg.sparkline[data-kind=\"mean\"]"));

        assertThat(mean.getWidth()).isEqualTo(96);
        assertThat(share(mean, ACCENT)).isGreaterThan(0.02);
    }

    @Test
    void a_blank_area_of_the_same_page_shows_nothing_of_the_charts() throws Exception {
        browser.evaluate("(() => { const d = document.createElement('div'); d.id = 'blank'; d.style.width = '82px'; d.style.height = '52px';"
                + " document.body.prepend(d); })()");

        BufferedImage blank = png(browser.screenshotOf("#blank"));

        assertThat(share(blank, ACCENT)).isZero();
    }

    @Test
    void the_screenshot_command_takes_the_whole_page_at_the_width_asked(@TempDir Path out) throws Exception {
        Path png = out.resolve("docs/report.png");

        ReportScreenshot.main(new String[] {Path.of(URI.create(page.url())).toString(), png.toString(), "900"});

        BufferedImage page = ImageIO.read(png.toFile());
        assertThat(page.getWidth()).isEqualTo(900);
        assertThat(page.getHeight()).isGreaterThan(900);
        assertThat(share(page, ACCENT)).isGreaterThan(0);
        assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
    }

    private static BufferedImage png(byte[] bytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image).as("a PNG").isNotNull();
        return image;
    }

    /** The share of the image's pixels within a small distance of {@code rgb}. */
    private static double share(BufferedImage image, int rgb) {
        int near = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                near += isNear(image.getRGB(x, y), rgb) ? 1 : 0;
            }
        }
        return (double) near / (image.getWidth() * image.getHeight());
    }

    /** The share of one column's pixels within a small distance of {@code rgb}. */
    private static double columnShare(BufferedImage image, int x, int rgb) {
        int near = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            near += isNear(image.getRGB(x, y), rgb) ? 1 : 0;
        }
        return (double) near / image.getHeight();
    }

    private static boolean isNear(int argb, int rgb) {
        int dr = ((argb >> 16) & 0xff) - ((rgb >> 16) & 0xff);
        int dg = ((argb >> 8) & 0xff) - ((rgb >> 8) & 0xff);
        int db = (argb & 0xff) - (rgb & 0xff);
        return dr * dr + dg * dg + db * db < 40 * 40;
    }
}
