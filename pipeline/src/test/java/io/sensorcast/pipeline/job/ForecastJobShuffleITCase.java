package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.operators.ReadingOrder;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import io.sensorcast.pipeline.testutils.BoundedJob;
import io.sensorcast.pipeline.testutils.CollectingSink;
import io.sensorcast.pipeline.testutils.TestModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * 20 sensors sharing one model group, interleaved, then shuffled within the allowed
 * out-of-orderness: the forecasts are those of the in-order run.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ForecastJobShuffleITCase {

    private static final int WINDOW = 24;
    private static final int SENSORS = 20;
    private static final int ROWS = 800;
    private static final Duration OUT_OF_ORDERNESS = Duration.ofMinutes(10);
    private static final String[][] FILES = {
        {"realKnownCause", "ec2_request_latency_system_failure"},
        {"artificialWithAnomaly", "art_daily_jumpsup"},
        {"artificialNoAnomaly", "art_daily_small_noise"},
        {"artificialNoAnomaly", "art_noisy"},
    };

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(2);

    @TempDir Path models;

    /** The model both tests serve, one training step on the first series. */
    @BeforeEach
    void trainTheFleetsModel() throws Exception {
        TestModels.trainOneStep(
                TestModels.nab(FILES[0][0], FILES[0][1]),
                WINDOW,
                new TimeSplit(1500, 2000, 2500),
                1,
                models.resolve("fleet/1"));
    }

    @Test
    void shuffledWithinTheAllowedLatenessGivesTheInOrderForecasts() throws Exception {
        List<SensorReading> inOrder = fleet();
        List<SensorReading> shuffled = shuffleWithin(inOrder, OUT_OF_ORDERNESS, new Random(7));
        assertThat(shuffled).isNotEqualTo(inOrder);

        Map<String, ForecastRecord> expected = run(inOrder, ReadingOrder.EVENT_TIME);
        Map<String, ForecastRecord> actual = run(shuffled, ReadingOrder.EVENT_TIME);

        // one per distinct reading from the one completing the first window (repeats are ignored)
        long complete =
                inOrder.stream()
                        .collect(
                                java.util.stream.Collectors.groupingBy(
                                        r -> r.sensor,
                                        java.util.stream.Collectors.mapping(
                                                r -> r.timestamp,
                                                java.util.stream.Collectors.toSet())))
                        .values()
                        .stream()
                        .mapToLong(t -> t.size() - WINDOW + 1)
                        .sum();
        assertThat(expected).hasSize((int) complete);
        assertThat(complete).isGreaterThan(SENSORS * (ROWS - WINDOW + 1L) - 100);
        assertSameForecasts(expected, actual);
    }

    /**
     * Readings that come in time order give the same forecasts forecast on arrival as in event-time
     * order: arrival order only leaves out the wait.
     */
    @Test
    void inOrderReadingsGiveTheSameForecastsInEitherReadingOrder() throws Exception {
        List<SensorReading> inOrder = fleet();
        Map<String, ForecastRecord> eventTime = run(inOrder, ReadingOrder.EVENT_TIME);
        assertThat(eventTime).isNotEmpty();
        assertSameForecasts(eventTime, run(inOrder, ReadingOrder.ARRIVAL));
    }

    private static void assertSameForecasts(
            Map<String, ForecastRecord> expected, Map<String, ForecastRecord> actual) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach(
                (key, e) -> {
                    ForecastRecord a = actual.get(key);
                    assertThat(a.steps().get(0).targetTs()).isEqualTo(e.steps().get(0).targetTs());
                    // other batch compositions may round differently
                    assertThat(a.steps().get(0).predicted().get("value"))
                            .as(key)
                            .isCloseTo(
                                    e.steps().get(0).predicted().get("value"),
                                    within(
                                            1e-4
                                                    * (1
                                                            + Math.abs(
                                                                    e.steps()
                                                                            .get(0)
                                                                            .predicted()
                                                                            .get("value")))));
                });
    }

    /** Sensor i replays file i % 4, scaled, 7 s apart from its neighbour; in event-time order. */
    private static List<SensorReading> fleet() throws Exception {
        List<List<SensorReading>> series = new ArrayList<>();
        for (int i = 0; i < SENSORS; i++) {
            String[] f = FILES[i % FILES.length];
            double scale = 1 + 0.05 * (i / FILES.length);
            List<SensorReading> rows = new ArrayList<>();
            for (SensorReading r :
                    CsvReadings.read(TestModels.nab(f[0], f[1]), "fleet-" + i).subList(0, ROWS)) {
                rows.add(SensorReading.of(r.sensor, r.timestamp + 7_000L * i, r.values[0] * scale));
            }
            series.add(rows);
        }
        return CsvReadings.merge(series);
    }

    /**
     * Each reading moves to a random arrival key in [ts, ts + bound): a reading then arrives only
     * after readings more than {@code bound} older, so none is behind the watermark. Repeats of a
     * sensor's timestamp (the file's daylight-saving hour) keep their order, since the first to
     * arrive is the one kept.
     */
    private static List<SensorReading> shuffleWithin(
            List<SensorReading> readings, Duration bound, Random random) {
        record Keyed(long key, SensorReading r) {}
        Map<String, Long> jitter = new java.util.HashMap<>();
        return readings.stream()
                .map(
                        r ->
                                new Keyed(
                                        r.timestamp
                                                + jitter.computeIfAbsent(
                                                        r.sensor + "@" + r.timestamp,
                                                        k -> random.nextLong(bound.toMillis())),
                                        r))
                .sorted(Comparator.comparingLong(Keyed::key))
                .map(Keyed::r)
                .toList();
    }

    private Map<String, ForecastRecord> run(List<SensorReading> readings, ReadingOrder order)
            throws Exception {
        Configuration config = new Configuration();
        config.set(ForecastOptions.HISTORY, WINDOW);
        config.set(ForecastOptions.MIN_WINDOW, WINDOW); // complete windows only
        config.set(ModelStoreOptions.ROOT, models.toString());
        config.set(ForecastOptions.GROUPS, "fleet-.*=fleet");
        config.set(ForecastOptions.READING_ORDER, order);
        config.set(ForecastOptions.OUT_OF_ORDERNESS, OUT_OF_ORDERNESS);
        config.set(ForecastOptions.BATCH_SIZE, 64);

        BoundedJob job = BoundedJob.of(readings, config, 2);
        CollectingSink<ForecastRecord> forecasts =
                job.collect(job.outputs().forecasts(), "forecasts");
        CollectingSink<SensorReading> late = job.collect(job.outputs().late(), "late");
        job.run("forecast-shuffle-it");

        assertThat(late.results()).isEmpty();
        Map<String, ForecastRecord> byKey = new TreeMap<>();
        for (ForecastRecord f : forecasts.results()) {
            assertThat(byKey.put(f.sensor() + "@" + f.originTs(), f)).isNull();
        }
        return byKey;
    }
}
