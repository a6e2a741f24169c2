package dev.llmjudge.internal.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.owasp.encoder.Encode;

/**
 * The report's pictures as inline SVG, drawn from the report alone: no script, no style
 * attribute (the page's Content-Security-Policy forbids both but its own), no link, every text
 * escaped. Colours come from the page's stylesheet through the elements' classes.
 *
 * <pre>{@code
 * String svg = ReportCharts.histogram("answer_similarity", ReportCharts.distribution(rows, "answer_similarity"));
 * }</pre>
 */
public final class ReportCharts {
    /** A rubric with more levels than this is drawn in {@link #BINS} bins of equal width, the last taking the remainder. */
    static final int MAX_LEVELS = 11;
    static final int BINS = 10;
    private static final int BAR_WIDTH = 14;
    private static final int BAR_GAP = 3;
    private static final int BAR_HEIGHT = 40;
    private static final int LABEL_HEIGHT = 12;
    private static final int SPARK_WIDTH = 96;
    private static final int SPARK_HEIGHT = 24;

    private ReportCharts() {
    }

    /** The scores of one metric counted in bins from its rubric's lowest to its highest score: {@code from}, {@code to} inclusive. */
    public record Bin(int from, int to, int count) {
        String label() {
            return from == to ? String.valueOf(from) : from + "\u2013" + to;
        }
    }

    /** The distribution of a metric's scores over its rubric (the range the rows give; else the scores' own); empty without a score. */
    public static List<Bin> distribution(List<ReportRow> rows, String metric) {
        List<ReportRow> scored = rows.stream().filter(r -> metric.equals(r.metric()) && r.scored()).toList();
        if (scored.isEmpty()) {
            return List.of();
        }
        int low = scored.stream().mapToInt(r -> r.minScore() == null ? r.score() : Math.min(r.minScore(), r.score())).min().orElseThrow();
        int high = scored.stream().mapToInt(r -> r.maxScore() == null ? r.score() : Math.max(r.maxScore(), r.score())).max().orElseThrow();
        int levels = high - low + 1;
        int width = levels <= MAX_LEVELS ? 1 : levels / BINS;
        int count = levels <= MAX_LEVELS ? levels : BINS;
        List<Bin> bins = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int from = low + i * width;
            // The last bin takes what does not divide evenly, e.g. 90-100 of a 0-100 scale.
            int to = i == count - 1 ? high : from + width - 1;
            bins.add(new Bin(from, to, (int) scored.stream().filter(r -> r.score() >= from && r.score() <= to).count()));
        }
        return bins;
    }

    /** A bar per bin, labelled under it (the first and last only when they are ranges), each with its count as a tooltip. */
    public static String histogram(String metric, List<Bin> bins) {
        int max = bins.stream().mapToInt(Bin::count).max().orElse(0);
        int width = bins.size() * (BAR_WIDTH + BAR_GAP) - BAR_GAP;
        int height = BAR_HEIGHT + LABEL_HEIGHT;
        StringBuilder description = new StringBuilder("Score distribution of " + metric + ":");
        bins.forEach(b -> description.append(' ').append(b.label()).append(": ").append(b.count()).append(';'));
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart histogram\" data-metric=\"").append(Encode.forHtml(metric)).append("\" role=\"img\" aria-label=\"")
                .append(Encode.forHtml(description.toString())).append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height).append("\">");
        svg.append("<line class=\"axis\" x1=\"0\" y1=\"").append(BAR_HEIGHT).append(".5\" x2=\"").append(width).append("\" y2=\"")
                .append(BAR_HEIGHT).append(".5\"/>");
        boolean ranges = bins.stream().anyMatch(b -> b.from() != b.to());
        for (int i = 0; i < bins.size(); i++) {
            Bin b = bins.get(i);
            int x = i * (BAR_WIDTH + BAR_GAP);
            int h = max == 0 ? 0 : Math.max(b.count() == 0 ? 0 : 1, Math.round((float) BAR_HEIGHT * b.count() / max));
            svg.append("<rect class=\"bar\" x=\"").append(x).append("\" y=\"").append(BAR_HEIGHT - h).append("\" width=\"").append(BAR_WIDTH)
                    .append("\" height=\"").append(h).append("\" data-count=\"").append(b.count()).append("\"><title>")
                    .append(Encode.forHtml(b.label() + ": " + b.count() + (b.count() == 1 ? " check" : " checks"))).append("</title></rect>");
            if (!ranges || i == 0 || i == bins.size() - 1) {
                String label = ranges ? String.valueOf(i == 0 ? b.from() : b.to()) : b.label();
                svg.append("<text x=\"").append(x + BAR_WIDTH / 2).append("\" y=\"").append(height - 2).append("\" text-anchor=\"middle\">")
                        .append(Encode.forHtml(label)).append("</text>");
            }
        }
        return svg.append("</svg>").toString();
    }

    /**
     * What is said of one value of a sparkline after the value itself, in the page's text and in the point's tooltip, e.g.
     * {@code over 1 of 10 checks scored}; {@code few} marks the point, with a ring and in words, as one that stands on few checks.
     */
    public record PointNote(String text, boolean few) {
    }

    /**
     * A line through {@code values} (oldest first; {@code null} breaks the line) on a scale from
     * {@code low} to {@code high}, the last value marked with a dot; {@code what} names it for
     * readers of the page's text, e.g. {@code mean answer_similarity over the last 20 runs}.
     */
    public static String sparkline(String kind, String what, List<Double> values, double low, double high, Function<Double, String> format) {
        return sparkline(kind, what, values, low, high, format, "", Collections.nCopies(values.size(), null));
    }

    /**
     * The same, each value with its note ({@code notes}, one per value, {@code null} for none), said after the value in the
     * page's text and in the tooltip of its point, which {@code figure} opens (e.g. {@code mean 4.20 over 1 of 10 checks
     * scored}); the point of a note that is {@code few} is drawn as a ring, and its text says so.
     */
    public static String sparkline(String kind, String what, List<Double> values, double low, double high, Function<Double, String> format,
            String figure, List<PointNote> notes) {
        int n = values.size();
        double span = high > low ? high - low : 1;
        StringBuilder description = new StringBuilder(what + ":");
        for (int i = 0; i < n; i++) {
            Double v = values.get(i);
            PointNote note = v == null ? null : notes.get(i);
            description.append(' ').append(v == null ? "none" : format.apply(v))
                    .append(note == null ? "" : " " + note.text() + (note.few() ? ", fewer than half" : "")).append(';');
        }
        StringBuilder svg = new StringBuilder("<svg class=\"chart sparkline\" data-kind=\"").append(Encode.forHtml(kind))
                .append("\" role=\"img\" aria-label=\"").append(Encode.forHtml(description.toString())).append("\" width=\"").append(SPARK_WIDTH)
                .append("\" height=\"").append(SPARK_HEIGHT).append("\" viewBox=\"0 0 ").append(SPARK_WIDTH).append(' ').append(SPARK_HEIGHT)
                .append("\">");
        svg.append("<line class=\"axis\" x1=\"0\" y1=\"").append(SPARK_HEIGHT - 0.5).append("\" x2=\"").append(SPARK_WIDTH).append("\" y2=\"")
                .append(SPARK_HEIGHT - 0.5).append("\"/>");
        List<String> segment = new ArrayList<>();
        StringBuilder points = new StringBuilder();
        double[] last = null;
        for (int i = 0; i < n; i++) {
            Double v = values.get(i);
            if (v == null) {
                polyline(svg, segment);
                segment.clear();
                continue;
            }
            double x = n == 1 ? SPARK_WIDTH / 2.0 : 3 + (SPARK_WIDTH - 6) * (double) i / (n - 1);
            double y = 3 + (SPARK_HEIGHT - 6) * (1 - Math.max(0, Math.min(1, (v - low) / span)));
            segment.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            last = new double[] {x, y};
            PointNote note = notes.get(i);
            if (note != null) {
                // A ring for a point on few checks; else a point seen only as its tooltip's target.
                String tooltip = figure + " " + format.apply(v) + " " + note.text() + (note.few() ? ": fewer than half the checks were scored" : "");
                points.append(String.format(Locale.ROOT, "<circle class=\"point%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\"><title>", note.few() ? " few" : "",
                        x, y, note.few() ? "3" : "4")).append(Encode.forHtml(tooltip)).append("</title></circle>");
            }
        }
        polyline(svg, segment);
        if (last != null) {
            svg.append(String.format(Locale.ROOT, "<circle class=\"last\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\"/>", last[0], last[1]));
        }
        return svg.append(points).append("</svg>").toString();
    }

    private static void polyline(StringBuilder svg, List<String> points) {
        if (points.size() > 1) {
            svg.append("<polyline class=\"line\" points=\"").append(String.join(" ", points)).append("\"/>");
        }
    }
}
