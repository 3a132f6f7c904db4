package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.model.interval.OnlineIntervals;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.operators.ReadingOrder;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import io.sensorcast.pipeline.testutils.BoundedJob;
import io.sensorcast.pipeline.testutils.CollectingSink;
import io.sensorcast.pipeline.testutils.TestModels;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real NAB series through the forecasting dataflow on a MiniCluster with a real BiLSTM: a
 * forecast from every reading on (persistence until the first window is complete), every reading
 * from the third scored, in event-time order, and the labelled failure flagged at the threshold
 * configured for the sensor's model group.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ForecastJobITCase {

    private static final String FILE = "machine_temperature_system_failure";
    private static final int WINDOW = 24;

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(2);

    @TempDir Path models;

    static Path data() {
        return Paths.get(System.getProperty("sensorcast.data.dir", "../data"), "nab");
    }

    @Test
    void forecastsEveryWindowOfANabSeriesAndFlagsItsLabelledFailure() throws Exception {
        Path csv = TestModels.nab("realKnownCause", FILE);
        TestModels.trainOneStep(
                csv, WINDOW, new TimeSplit(3000, 4000, 5000), 2, models.resolve(FILE).resolve("1"));
        List<SensorReading> readings = CsvReadings.read(csv, FILE);

        Configuration config = new Configuration();
        config.set(ForecastOptions.HISTORY, WINDOW);
        config.set(ModelStoreOptions.ROOT, models.toString());
        config.set(ForecastOptions.BATCH_SIZE, 64);
        // The file repeats 12 timestamps, out of order: event-time order undoes that (in arrival
        // order the repeats would be late readings)
        config.set(ForecastOptions.READING_ORDER, ReadingOrder.EVENT_TIME);
        config.set(ForecastOptions.OUT_OF_ORDERNESS, Duration.ofMinutes(10));
        // the sensor's group judged at a threshold of its own, below the default 0.5
        config.set(ForecastOptions.GROUP_THRESHOLDS, FILE + "=0.45");

        // no restarts: a failure must fail the test, not loop until the timeout
        BoundedJob job = BoundedJob.of(readings, config, 2);
        CollectingSink<ForecastRecord> forecasts =
                job.collect(job.outputs().forecasts(), "forecasts");
        CollectingSink<ScoreRecord> scores = job.collect(job.outputs().scores(), "scores");
        CollectingSink<SensorReading> late = job.collect(job.outputs().late(), "late");
        job.run("forecast-job-it");

        assertThat(late.results()).isEmpty();
        // The file repeats 12 timestamps; a repeated timestamp is ignored, the first one kept.
        List<Long> times = readings.stream().map(r -> r.timestamp).distinct().sorted().toList();
        assertThat(readings.size() - times.size()).isEqualTo(12);
        // a forecast from every reading from the second on (min-window 2): the windows shorter
        // than the model's by persistence, the rest by the model
        List<ForecastRecord> f = forecasts.results();
        assertThat(f).hasSize(times.size() - 1);
        for (int i = 0; i < f.size(); i++) {
            assertThat(f.get(i).originTs())
                    .isEqualTo(Instant.ofEpochMilli(times.get(1 + i)).toString());
            assertThat(f.get(i).modelVersion()).isEqualTo(i + 2 < WINDOW ? 0 : 1);
        }
        // bands from the sensor's WARM_UP-th error on, around the forecast, 95% around 80%
        assertThat(f.subList(0, OnlineIntervals.WARM_UP))
                .allSatisfy(r -> assertThat(r.steps().get(0).intervals()).isEmpty());
        assertThat(f.subList(OnlineIntervals.WARM_UP, f.size()))
                .allSatisfy(
                        r -> {
                            ForecastRecord.Step step = r.steps().get(0);
                            double p = step.predicted().get("value");
                            assertThat(step.intervals())
                                    .extracting(ForecastRecord.Interval::level)
                                    .containsExactly(0.8, 0.95);
                            ForecastRecord.Interval i80 = step.intervals().get(0);
                            ForecastRecord.Interval i95 = step.intervals().get(1);
                            assertThat(i95.lower().get("value"))
                                    .isLessThanOrEqualTo(i80.lower().get("value"))
                                    .isLessThanOrEqualTo(p);
                            assertThat(i95.upper().get("value"))
                                    .isGreaterThanOrEqualTo(i80.upper().get("value"))
                                    .isGreaterThanOrEqualTo(p);
                        });
        // every forecast but the last (whose reading never comes) is scored: every reading from
        // the third on, no dead zone while the sensor's first window fills
        List<ScoreRecord> s = scores.results();
        assertThat(s).hasSize(f.size() - 1);
        assertThat(s.get(0).targetTs()).isEqualTo(Instant.ofEpochMilli(times.get(2)).toString());
        assertThat(s).allSatisfy(r -> assertThat(r.threshold()).isEqualTo(0.45));
        assertThat(s).allSatisfy(r -> assertThat(r.isAnomaly()).isEqualTo(r.alertScore() >= 0.45));

        List<long[]> windows = labelledWindows(FILE);
        int flaggedInside = 0;
        int flaggedOutside = 0;
        int outside = 0;
        int[] covered = new int[2];
        java.util.Set<Integer> detected = new java.util.HashSet<>();
        for (ScoreRecord r : s) {
            long t = Instant.parse(r.targetTs()).toEpochMilli();
            boolean inside = windows.stream().anyMatch(w -> t >= w[0] && t <= w[1]);
            if (inside && r.isAnomaly()) {
                flaggedInside++;
                for (int k = 0; k < windows.size(); k++) {
                    if (t >= windows.get(k)[0] && t <= windows.get(k)[1]) {
                        detected.add(k);
                    }
                }
            } else if (!inside) {
                outside++;
                for (int l = 0; l < r.intervals().size(); l++) {
                    ScoreRecord.Band b = r.intervals().get(l);
                    covered[l] += r.actual() >= b.lower() && r.actual() <= b.upper() ? 1 : 0;
                }
                flaggedOutside += r.isAnomaly() ? 1 : 0;
            }
        }
        System.out.printf(
                "%s: %d scores, %d flagged inside %d labelled windows (%d of them with an alarm),"
                        + " %d of %d flagged outside%n",
                FILE,
                s.size(),
                flaggedInside,
                windows.size(),
                detected.size(),
                flaggedOutside,
                outside);
        System.out.printf(
                "outside the labelled windows, 80%% bands held %.1f%%, 95%% bands %.1f%%%n",
                100.0 * covered[0] / outside, 100.0 * covered[1] / outside);
        assertThat(detected.size()).as("labelled windows with an alarm").isGreaterThanOrEqualTo(2);
        // calibrated online on the sensor's own errors, with its anomalies inside: near nominal
        assertThat((double) covered[0] / outside).isBetween(0.74, 0.86);
        assertThat((double) covered[1] / outside).isBetween(0.91, 0.98);
        // Bound: under 1% of readings outside the labelled windows flagged (NAB's windows cover
        // ~10% of the file; a detector flagging more than 1% elsewhere would swamp an operator).
        assertThat((double) flaggedOutside / outside).isLessThan(0.01);
    }

    private static List<long[]> labelledWindows(String file) throws Exception {
        JsonNode all =
                new ObjectMapper()
                        .readTree(data().resolve("labels/combined_windows.json").toFile());
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
        List<long[]> out = new ArrayList<>();
        for (JsonNode w : all.get("realKnownCause/" + file + ".csv")) {
            out.add(
                    new long[] {
                        LocalDateTime.parse(w.get(0).asText(), f)
                                .toInstant(ZoneOffset.UTC)
                                .toEpochMilli(),
                        LocalDateTime.parse(w.get(1).asText(), f)
                                .toInstant(ZoneOffset.UTC)
                                .toEpochMilli()
                    });
        }
        return out;
    }
}
