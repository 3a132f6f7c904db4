package io.sensorcast.evaluation.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LiveBenchTest {

    @Test
    void quantilesAreTheSmallestLatencyWithThatShareAtOrBelowIt() {
        LiveBench.Histogram h = new LiveBench.Histogram();
        for (int ms = 1; ms <= 1000; ms++) {
            h.record(ms);
        }
        h.record(1_000_000); // beyond the last bucket: counted in it
        assertThat(h.count()).isEqualTo(1001);
        assertThat(h.quantile(0.5)).isEqualTo(501);
        assertThat(h.quantile(0.99)).isEqualTo(991);
        assertThat(h.quantile(1.0)).isEqualTo(600_000);
        assertThat(new LiveBench.Histogram().quantile(0.5)).isNaN();
    }

    /**
     * A short live run on the embedded stack: every reading sent in the span comes back as a
     * forecast to both consumers, spikes come back as anomalies, and the figures are named as the
     * JSON promises.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyLiveReadingIsForecastAndTheSpikesAlert() throws Exception {
        LiveBench.Settings settings =
                new LiveBench.Settings(
                        20,
                        20,
                        200,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(4),
                        500,
                        2,
                        2,
                        1,
                        Map.of());
        StringWriter text = new StringWriter();
        Map<String, Object> r = new LiveBench(settings, new PrintWriter(text)).run();

        double sent = (double) r.get("readings_per_s") * 4;
        assertThat(sent).isPositive();
        assertThat(((Number) r.get("forecasts_count")).doubleValue()).isEqualTo(sent);
        assertThat(((Number) r.get("forecasts_uncommitted_count")).doubleValue()).isEqualTo(sent);
        assertThat(((Number) r.get("anomalies_count")).longValue()).isPositive();
        assertThat(r)
                .containsKeys(
                        "sensors",
                        "readings_per_s",
                        "anomalies_p50_ms",
                        "anomalies_p99_ms",
                        "forecasts_p99_ms",
                        "cpu_us_per_forecast");
        assertThat(text.toString()).contains("sensorcast.anomalies read_committed");
    }
}
