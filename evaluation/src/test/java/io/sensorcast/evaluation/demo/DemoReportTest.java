package io.sensorcast.evaluation.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.RetrainReport;
import io.sensorcast.connectors.format.ScoreRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoReportTest {

    @TempDir Path dir;

    private static ScoreRecord score(long t, double actual, long version, boolean flagged) {
        return score(t, actual, version, flagged, List.of());
    }

    private static ScoreRecord score(
            long t, double actual, long version, boolean flagged, List<ScoreRecord.Band> bands) {
        return new ScoreRecord(
                "pump<1>",
                Instant.ofEpochMilli(t - 60_000).toString(),
                Instant.ofEpochMilli(t).toString(),
                "value",
                actual + 0.5,
                actual,
                -0.5,
                flagged ? 1.0 : 0.2,
                flagged ? 1.0 : 0.0,
                0.9999,
                flagged,
                "pump<1>",
                version,
                12,
                bands);
    }

    @Test
    void writesOneSelfContainedPageWithAChartPerSensorAndTheSummary() throws Exception {
        List<ScoreRecord> rows = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            double x = Math.sin(i / 50.0);
            // bands from the 10th forecast on, none for a stretch in the middle (a gap)
            List<ScoreRecord.Band> bands =
                    i < 10 || (i >= 2000 && i < 2100)
                            ? List.of()
                            : List.of(
                                    new ScoreRecord.Band(0.8, x + 0.2, x + 0.8),
                                    new ScoreRecord.Band(0.95, x - 0.1, x + 1.1));
            rows.add(score(i * 60_000L, x, i < 3000 ? 1 : 2, i == 4000, bands));
        }
        Path file =
                DemoReport.write(
                        dir,
                        Map.of("pump<1>", rows),
                        Map.of(
                                "pump<1>",
                                List.of(new DemoReport.Span(3_900 * 60_000L, 4_100 * 60_000L))),
                        new DemoReport.Summary(
                                5001,
                                5000,
                                1,
                                2,
                                0,
                                10,
                                140,
                                900,
                                List.of(
                                        new RetrainReport(
                                                "pump<1>",
                                                "PROMOTED",
                                                "candidate <beats> all",
                                                2,
                                                1,
                                                0.1,
                                                0.2,
                                                Map.of(),
                                                1,
                                                3000,
                                                null,
                                                null,
                                                4000,
                                                Instant.EPOCH.toString()))));
        String html = Files.readString(file);
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(html).doesNotContain("{{"); // every part of the template filled in
        // nothing is fetched: no scripts, no external references
        assertThat(html).doesNotContain("<script").doesNotContain("src=").doesNotContain("href=");
        assertThat(html).containsOnlyOnce("<svg");
        assertThat(html).contains("fill=\"#f3d1d1\""); // the labelled window
        assertThat(html).contains(">v2</text>"); // where version 2 took over
        // the widest band shaded, in two runs either side of the stretch without one
        assertThat(html.split("<polygon class=\"band\"", -1)).hasSize(3);
        assertThat(html).containsOnlyOnce("<circle"); // one flagged reading
        // sensor names and reasons are escaped
        assertThat(html).contains("pump&lt;1&gt;").doesNotContain("pump<1>");
        assertThat(html).contains("candidate &lt;beats&gt; all");
        // 5000 points are thinned for the browser
        String polyline =
                html.substring(
                        html.indexOf("<polyline"), html.indexOf("/>", html.indexOf("<polyline")));
        assertThat(polyline.split(" ").length).isLessThan(2000);
        assertThat(html).contains("<td>5000</td>").contains("<td>500</td>"); // forecasts/s
    }
}
