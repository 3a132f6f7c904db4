package io.sensorcast.evaluation.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sensorcast.connectors.format.ScoreRecord;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads a demo report in headless Chromium (Debian's {@code chromium}; {@code .ci/run} installs it)
 * and checks in the screenshot that the charts are drawn: enough pixels of the actual and the
 * forecast line colours. Skipped where no Chromium is installed.
 */
class ReportBrowserTest {

    @TempDir Path dir;

    @Test
    void chromiumDrawsTheReportsCharts() throws Exception {
        String chromium =
                Stream.of("chromium", "chromium-browser")
                        .filter(ReportBrowserTest::onPath)
                        .findFirst()
                        .orElse(null);
        assumeTrue(chromium != null, "no chromium on the PATH");
        List<ScoreRecord> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            double actual = 50 + 20 * Math.sin(i / 40.0);
            rows.add(
                    new ScoreRecord(
                            "pump",
                            Instant.ofEpochMilli((i - 1) * 60_000L).toString(),
                            Instant.ofEpochMilli(i * 60_000L).toString(),
                            "value",
                            actual + 3 * Math.cos(i / 7.0),
                            actual,
                            0,
                            0.5 + 0.45 * Math.sin(i / 3.0),
                            0,
                            0.9999,
                            i % 500 == 0,
                            "pump",
                            i < 1500 ? 1 : 2,
                            10,
                            List.of()));
        }
        Path html =
                DemoReport.write(
                        dir,
                        Map.of("pump", rows),
                        Map.of(),
                        new DemoReport.Summary(3000, 3000, 6, 0, 0, 10, 100, 200, List.of()));
        Path png = dir.resolve("shot.png");
        Process p =
                new ProcessBuilder(
                                chromium,
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-background-networking",
                                "--hide-scrollbars",
                                "--window-size=1200,900",
                                "--screenshot=" + png,
                                html.toUri().toString())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("chromium.log").toFile())
                        .start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(png).as(Files.readString(dir.resolve("chromium.log"))).exists();

        BufferedImage shot = ImageIO.read(png.toFile());
        assertThat(pixelsNear(shot, 0x4a6fa5)).as("actual line").isGreaterThan(500);
        assertThat(pixelsNear(shot, 0xe08a1e)).as("forecast line").isGreaterThan(500);
        assertThat(pixelsNear(shot, 0x7b1fa2)).as("score line").isGreaterThan(150);
    }

    private static int pixelsNear(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int c = img.getRGB(x, y);
                int dr = ((c >> 16) & 0xff) - ((rgb >> 16) & 0xff);
                int dg = ((c >> 8) & 0xff) - ((rgb >> 8) & 0xff);
                int db = (c & 0xff) - (rgb & 0xff);
                if (dr * dr + dg * dg + db * db < 40 * 40) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }
}
