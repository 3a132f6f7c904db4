package io.sensorcast.evaluation.demo;

import io.sensorcast.connectors.format.RetrainReport;
import io.sensorcast.connectors.format.ScoreRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's report: one self-contained HTML file (inline SVG and CSS, no scripts, nothing
 * fetched), per sensor actual vs forecast, the anomaly score, flagged readings, labelled anomaly
 * windows and where a new model version took over, and a summary table.
 */
public final class DemoReport {

    /** A labelled window, epoch ms (already shifted like the replayed readings). */
    record Span(long start, long end) {}

    /** What the run measured, besides the per-sensor scores. */
    record Summary(
            long readings,
            long forecasts,
            long anomalies,
            long deadLetters,
            long late,
            double seconds,
            long latencyP50,
            long latencyP99,
            List<RetrainReport> retrains) {}

    private static final int W = 1100;
    private static final int TOP = 220;
    private static final int BOTTOM = 70;
    private static final int PAD = 40;
    private static final int MAX_POINTS = 1600;

    private DemoReport() {}

    public static Path write(
            Path dir,
            Map<String, List<ScoreRecord>> scores,
            Map<String, List<Span>> windows,
            Summary s)
            throws IOException {
        Files.createDirectories(dir);
        StringBuilder summary = new StringBuilder();
        summary(summary, scores, s);
        StringBuilder charts = new StringBuilder();
        for (Map.Entry<String, List<ScoreRecord>> e : scores.entrySet()) {
            chart(charts, e.getKey(), e.getValue(), windows.getOrDefault(e.getKey(), List.of()));
        }
        StringBuilder retrains = new StringBuilder();
        retrains(retrains, s.retrains());
        String html =
                template()
                        .replace("{{generated}}", Instant.now().toString())
                        .replace("{{summary}}", summary)
                        .replace("{{charts}}", charts)
                        .replace("{{retrains}}", retrains);
        Path file = dir.resolve("index.html");
        Files.writeString(file, html, StandardCharsets.UTF_8);
        return file;
    }

    /** The page around the figures: report.html beside this class, its markup and style. */
    private static String template() throws IOException {
        try (InputStream in = DemoReport.class.getResourceAsStream("report.html")) {
            if (in == null) {
                throw new IllegalStateException("report.html is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void summary(StringBuilder h, Map<String, List<ScoreRecord>> scores, Summary s) {
        h.append("<h2>Summary</h2><table><tr><th>readings</th><th>forecasts</th>")
                .append("<th>anomalies</th><th>dead letters</th><th>late</th>")
                .append("<th>forecasts/s</th><th>reading→forecast p50</th><th>p99</th></tr>");
        h.append(
                String.format(
                        Locale.ROOT,
                        "<tr><td>%d</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td>"
                                + "<td>%.0f</td><td>%d ms</td><td>%d ms</td></tr></table>",
                        s.readings(),
                        s.forecasts(),
                        s.anomalies(),
                        s.deadLetters(),
                        s.late(),
                        s.forecasts() / Math.max(1e-9, s.seconds()),
                        s.latencyP50(),
                        s.latencyP99()));
        h.append("<h2>Forecast error by model version</h2><table><tr><th>sensor</th>")
                .append("<th>model version</th><th>scored readings</th><th>MAE</th>")
                .append("<th>flagged</th></tr>");
        for (Map.Entry<String, List<ScoreRecord>> e : scores.entrySet()) {
            Map<Long, double[]> byVersion = new TreeMap<>();
            for (ScoreRecord r : e.getValue()) {
                double[] a = byVersion.computeIfAbsent(r.modelVersion(), v -> new double[3]);
                a[0]++;
                a[1] += Math.abs(r.residual());
                a[2] += r.isAnomaly() ? 1 : 0;
            }
            byVersion.forEach(
                    (v, a) ->
                            h.append(
                                    String.format(
                                            Locale.ROOT,
                                            "<tr><td>%s</td><td>v%d</td><td>%.0f</td>"
                                                    + "<td>%.4g</td><td>%.0f</td></tr>",
                                            esc(e.getKey()),
                                            v,
                                            a[0],
                                            a[1] / a[0],
                                            a[2])));
        }
        h.append("</table>");
    }

    /** The time and value axes of one sensor's chart. */
    private record Frame(long t0, long t1, double lo, double hi, int plotW, int height) {
        double x(long t) {
            return DemoReport.x(t, t0, t1, plotW);
        }

        double y(double v) {
            return DemoReport.y(v, lo, hi > lo ? hi - lo : 1);
        }
    }

    private static void chart(
            StringBuilder h, String sensor, List<ScoreRecord> rows, List<Span> windows) {
        h.append("<h2>").append(esc(sensor)).append("</h2>");
        if (rows.isEmpty()) {
            h.append("<p>No scored forecasts yet.</p>");
            return;
        }
        long[] t = new long[rows.size()];
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (int i = 0; i < rows.size(); i++) {
            ScoreRecord r = rows.get(i);
            t[i] = Instant.parse(r.targetTs()).toEpochMilli();
            lo = Math.min(lo, Math.min(r.actual(), r.predicted()));
            hi = Math.max(hi, Math.max(r.actual(), r.predicted()));
        }
        long t0 = t[0];
        Frame f =
                new Frame(
                        t0,
                        Math.max(t0 + 1, t[t.length - 1]),
                        lo,
                        hi,
                        W - 2 * PAD,
                        TOP + BOTTOM + 3 * PAD / 2);
        h.append(
                String.format(
                        Locale.ROOT,
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                                + " viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">",
                        W,
                        f.height(),
                        W,
                        f.height(),
                        esc(sensor)));
        h.append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
        labelledWindows(h, windows, f);
        band(h, rows, t, f);
        lines(h, rows, t, f);
        versionsAndAnomalies(h, rows, t, f);
        axes(h, f);
        h.append("</svg>");
    }

    /** The labelled windows as shaded bands. */
    private static void labelledWindows(StringBuilder h, List<Span> windows, Frame f) {
        for (Span w : windows) {
            if (w.end() < f.t0() || w.start() > f.t1()) {
                continue;
            }
            double x0 = f.x(Math.max(w.start(), f.t0()));
            double x1 = f.x(Math.min(w.end(), f.t1()));
            h.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\""
                                    + " fill=\"#f3d1d1\"/>",
                            x0,
                            PAD / 2,
                            Math.max(1, x1 - x0),
                            TOP + BOTTOM + PAD / 2));
        }
    }

    /**
     * The widest prediction interval each forecast gave, as a shaded band (one polygon per run of
     * forecasts with a band), clipped to the value axis: a band widened by a spike must not squash
     * the readings.
     */
    private static void band(StringBuilder h, List<ScoreRecord> rows, long[] t, Frame f) {
        int stride = Math.max(1, rows.size() / MAX_POINTS);
        List<double[]> run = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += stride) {
            ScoreRecord r = rows.get(i);
            if (r.intervals().isEmpty()) {
                polygon(h, run);
                continue;
            }
            ScoreRecord.Band b = r.intervals().get(r.intervals().size() - 1);
            run.add(new double[] {f.x(t[i]), clip(f.y(b.upper())), clip(f.y(b.lower()))});
        }
        polygon(h, run);
    }

    /** The band of {@code run} (x, upper y, lower y), if it has two points; empties it. */
    private static void polygon(StringBuilder h, List<double[]> run) {
        if (run.size() > 1) {
            StringBuilder points = new StringBuilder();
            for (double[] p : run) {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", p[0], p[1]));
            }
            for (int k = run.size() - 1; k >= 0; k--) {
                double[] p = run.get(k);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", p[0], p[2]));
            }
            h.append("<polygon class=\"band\" fill=\"#e08a1e\" fill-opacity=\"0.18\"")
                    .append(" stroke=\"none\" points=\"")
                    .append(points.toString().trim())
                    .append("\"/>");
        }
        run.clear();
    }

    private static double clip(double y) {
        return Math.max(PAD / 2.0, Math.min(PAD / 2.0 + TOP, y));
    }

    /** Readings, forecasts and scores as lines (at most {@code MAX_POINTS} points each). */
    private static void lines(StringBuilder h, List<ScoreRecord> rows, long[] t, Frame f) {
        int stride = Math.max(1, rows.size() / MAX_POINTS);
        StringBuilder actual = new StringBuilder();
        StringBuilder forecast = new StringBuilder();
        StringBuilder score = new StringBuilder();
        for (int i = 0; i < rows.size(); i += stride) {
            ScoreRecord r = rows.get(i);
            double xi = f.x(t[i]);
            actual.append(String.format(Locale.ROOT, "%.1f,%.1f ", xi, f.y(r.actual())));
            forecast.append(String.format(Locale.ROOT, "%.1f,%.1f ", xi, f.y(r.predicted())));
            score.append(
                    String.format(
                            Locale.ROOT,
                            "%.1f,%.1f ",
                            xi,
                            PAD / 2.0 + TOP + PAD + BOTTOM * (1 - r.score())));
        }
        h.append(polyline(actual, "#4a6fa5", 1.2));
        h.append(polyline(forecast, "#e08a1e", 1.0));
        h.append(polyline(score, "#7b1fa2", 1.0));
    }

    /** A dashed line where another model version takes over; a dot on each anomaly. */
    private static void versionsAndAnomalies(
            StringBuilder h, List<ScoreRecord> rows, long[] t, Frame f) {
        long version = rows.get(0).modelVersion();
        for (int i = 0; i < rows.size(); i++) {
            ScoreRecord r = rows.get(i);
            double xi = f.x(t[i]);
            if (r.modelVersion() != version) {
                version = r.modelVersion();
                h.append(
                        String.format(
                                Locale.ROOT,
                                "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\""
                                        + " stroke=\"#555\" stroke-dasharray=\"4 3\"/>"
                                        + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">v%d</text>",
                                xi,
                                xi,
                                PAD / 2,
                                PAD / 2 + TOP,
                                xi + 3,
                                PAD / 2 + 12,
                                version));
            }
            if (r.isAnomaly()) {
                h.append(
                        String.format(
                                Locale.ROOT,
                                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#c62828\"/>",
                                xi,
                                f.y(r.actual())));
            }
        }
    }

    /** The value range and the time span at the chart's edges. */
    private static void axes(StringBuilder h, Frame f) {
        h.append(
                String.format(
                        Locale.ROOT,
                        "<text x=\"%d\" y=\"%d\" font-size=\"11\">%.4g</text>"
                                + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%.4g</text>"
                                + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>"
                                + "<text x=\"%d\" y=\"%d\" font-size=\"11\""
                                + " text-anchor=\"end\">%s</text>"
                                + "<text x=\"%d\" y=\"%d\" font-size=\"11\">score 0–1</text>",
                        2,
                        PAD / 2 + 10,
                        f.hi(),
                        2,
                        PAD / 2 + TOP,
                        f.lo(),
                        PAD,
                        f.height() - 4,
                        Instant.ofEpochMilli(f.t0()),
                        W - PAD,
                        f.height() - 4,
                        Instant.ofEpochMilli(f.t1()),
                        2,
                        PAD / 2 + TOP + PAD + 10));
    }

    private static String polyline(StringBuilder points, String color, double width) {
        return "<polyline fill=\"none\" stroke=\""
                + color
                + "\" stroke-width=\""
                + width
                + "\" points=\""
                + points.toString().trim()
                + "\"/>";
    }

    private static double x(long t, long t0, long t1, int plotW) {
        return PAD + (double) (t - t0) / (t1 - t0) * plotW;
    }

    private static double y(double v, double lo, double range) {
        return PAD / 2.0 + TOP * (1 - (v - lo) / range);
    }

    private static void retrains(StringBuilder h, List<RetrainReport> reports) {
        h.append("<h2>Retraining decisions</h2><table><tr><th>group</th><th>decision</th>")
                .append("<th>version</th><th>readings</th><th>reason</th></tr>");
        for (RetrainReport r : new ArrayList<>(reports)) {
            h.append("<tr><td>")
                    .append(esc(r.group()))
                    .append("</td><td>")
                    .append(r.decision())
                    .append("</td><td>")
                    .append(r.version() > 0 ? "v" + r.version() : "")
                    .append("</td><td>")
                    .append(r.readings())
                    .append("</td><td style=\"text-align:left\">")
                    .append(esc(r.reason()))
                    .append("</td></tr>");
        }
        h.append("</table>");
    }

    private static String esc(String s) {
        return s == null
                ? ""
                : s.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("\"", "&quot;");
    }
}
