package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.ModelUpdate;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.model.artifact.ModelArtifact;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.store.ModelPublisher;
import io.sensorcast.pipeline.store.ModelStore;
import io.sensorcast.pipeline.testutils.JobMetrics;
import io.sensorcast.pipeline.testutils.KafkaJobs;
import io.sensorcast.pipeline.testutils.TestModels;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running ForecastJob follows the model-updates topic: a version published mid-stream takes over
 * with no forecast missing, and a corrupt one is rejected while the previous one keeps serving.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ForecastJobModelSwapITCase {

    private static final String SENSOR = "ec2_request_latency_system_failure";
    private static final int WINDOW = 24;
    private static final Duration OUT_OF_ORDERNESS = Duration.ofMinutes(10);

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            TestClusters.flink(2, METRICS.addToConfiguration(new Configuration()));

    @TempDir Path work;

    @Test
    void laterForecastsCarryAPublishedVersionAndACorruptOneIsRejected() throws Exception {
        Path csv = TestModels.nab("realKnownCause", SENSOR);
        Path artifact = work.resolve("artifact");
        TestModels.trainOneStep(csv, WINDOW, new TimeSplit(1500, 2000, 2500), 1, artifact);
        List<SensorReading> readings = CsvReadings.read(csv, SENSOR);
        List<SensorReading> first = readings.subList(0, 1500);
        List<SensorReading> second = readings.subList(1500, 2700);
        List<SensorReading> third = readings.subList(2700, readings.size());

        List<ForecastRecord> forecasts;
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Configuration config =
                    KafkaJobs.config(kafka, work.resolve("store"), WINDOW, "swap-it");
            config.set(ForecastOptions.OUT_OF_ORDERNESS, OUT_OF_ORDERNESS);
            // the sensor's records all land in one of the two partitions; the other is idle
            config.set(ForecastOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
            ModelPublisher publisher = new ModelPublisher(config, "swap-it");
            publisher.publish(SENSOR, artifact);
            KafkaJobs.replay(kafka, first, 2);

            JobClient job = KafkaJobs.startForecastJob(config, 2, "model-swap-it");
            try {
                assertThat(KafkaJobs.forecasts(kafka, 1000, Duration.ofSeconds(90)))
                        .hasSizeGreaterThanOrEqualTo(1000);

                publisher.publish(SENSOR, artifact);
                KafkaJobs.await(
                        "version 2 in service",
                        Duration.ofSeconds(60),
                        () -> servedVersions(job.getJobID()).contains(2L));
                KafkaJobs.replay(kafka, second, 2);

                ModelStore.Version v3 = publisher.store().publish(SENSOR, artifact);
                Path v3dir = Path.of(URI.create(v3.location()));
                TestModels.flipAByte(v3dir.resolve(ModelArtifact.PARAMETERS));
                publisher.announce(
                        new ModelUpdate(
                                SENSOR,
                                v3.version(),
                                v3.location(),
                                Instant.now().toString(),
                                "swap-it"));
                KafkaJobs.await(
                        "version 3 rejected",
                        Duration.ofSeconds(60),
                        () -> sum(job.getJobID(), "modelsRejected") >= 1);
                KafkaJobs.replay(kafka, third, 2);

                forecasts = KafkaJobs.forecasts(kafka, expected(readings), Duration.ofSeconds(90));
                assertThat(servedVersions(job.getJobID())).containsOnly(2L);
            } finally {
                job.cancel().get();
            }
        }

        assertThat(forecasts).hasSize(expected(readings));
        assertThat(forecasts).extracting(ForecastRecord::originTs).doesNotHaveDuplicates();
        List<ForecastRecord> byOrigin =
                forecasts.stream()
                        .sorted(Comparator.comparing(f -> Instant.parse(f.originTs())))
                        .toList();
        // versions only move forward: a run of v1, then v2 to the end, no v3
        assertThat(byOrigin)
                .extracting(ForecastRecord::modelVersion)
                .isSorted()
                .containsOnly(1L, 2L);
        assertThat(byOrigin.get(0).modelVersion()).isEqualTo(1);
        Instant thirdStarts = Instant.ofEpochMilli(third.get(0).timestamp);
        assertThat(byOrigin)
                .filteredOn(f -> !Instant.parse(f.originTs()).isBefore(thirdStarts))
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.modelVersion()).isEqualTo(2));
    }

    /**
     * The model store unreachable (its directory moved away) when a new version is announced: the
     * job keeps forecasting with v1, retries the load with backoff, and serves v2 once the store is
     * back — nothing rejected, no restart.
     */
    @Test
    void aVersionAnnouncedWhileTheStoreIsDownServesOnceItIsBack() throws Exception {
        Path csv = TestModels.nab("realKnownCause", SENSOR);
        Path artifact = work.resolve("artifact");
        TestModels.trainOneStep(csv, WINDOW, new TimeSplit(1500, 2000, 2500), 1, artifact);
        List<SensorReading> readings = CsvReadings.read(csv, SENSOR);
        Path store = work.resolve("store");
        Path away = work.resolve("store-away");
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Configuration config = KafkaJobs.config(kafka, store, WINDOW, "store-outage-it");
            config.set(ForecastOptions.OUT_OF_ORDERNESS, OUT_OF_ORDERNESS);
            config.set(ForecastOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
            ModelPublisher publisher = new ModelPublisher(config, "store-outage-it");
            publisher.publish(SENSOR, artifact);
            KafkaJobs.replay(kafka, readings.subList(0, 1500), 2);

            JobClient job = KafkaJobs.startForecastJob(config, 2, "store-outage-it");
            try {
                assertThat(KafkaJobs.forecasts(kafka, 1000, Duration.ofSeconds(90)))
                        .hasSizeGreaterThanOrEqualTo(1000);
                ModelStore.Version v2 = publisher.store().publish(SENSOR, artifact);
                Files.move(store, away);
                publisher.announce(
                        new ModelUpdate(
                                SENSOR,
                                v2.version(),
                                v2.location(),
                                Instant.now().toString(),
                                "store-outage-it"));
                KafkaJobs.await(
                        "two failed loads of version 2",
                        Duration.ofSeconds(60),
                        () -> sum(job.getJobID(), "modelLoadRetries") >= 2);
                KafkaJobs.replay(kafka, readings.subList(1500, 2000), 2);
                assertThat(servedVersions(job.getJobID())).containsOnly(1L);

                Files.move(away, store);
                KafkaJobs.await(
                        "version 2 in service once the store is back",
                        Duration.ofSeconds(60),
                        () -> servedVersions(job.getJobID()).contains(2L));
                assertThat(sum(job.getJobID(), "modelsRejected")).isZero();
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            } finally {
                job.cancel().get();
            }
        }
    }

    /**
     * Forecasts an unbounded job makes of {@code readings} in arrival order (the default): one per
     * reading newer than every one before it, from the one that completes the first window.
     */
    private static int expected(List<SensorReading> readings) {
        long newest = Long.MIN_VALUE;
        int inOrder = 0;
        for (SensorReading r : readings) {
            if (r.timestamp > newest) {
                newest = r.timestamp;
                inOrder++;
            }
        }
        return inOrder - WINDOW + 1;
    }

    private static List<Long> servedVersions(JobID job) {
        return METRICS.findMetrics(job, "version").entrySet().stream()
                .filter(e -> e.getKey().endsWith(".model." + SENSOR + ".version"))
                .map(e -> ((Number) ((Gauge<?>) e.getValue()).getValue()).longValue())
                .toList();
    }

    private static long sum(JobID job, String counter) {
        return JobMetrics.sum(METRICS, job, counter);
    }
}
