package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.kafka.KafkaTopics;
import io.sensorcast.connectors.serde.JsonFormats;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.operators.ReadingOrder;
import io.sensorcast.pipeline.testutils.ExactlyOnce;
import io.sensorcast.pipeline.testutils.JobMetrics;
import io.sensorcast.pipeline.testutils.KafkaJobs;
import io.sensorcast.pipeline.testutils.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Messages on the model-updates topic that are not model updates — a tombstone (null value, which
 * crashed the source and looped through restores for ever), JSON {@code null}, a truncated object —
 * are rejected and counted while the job keeps running and forecasting. Restarts are off, so any
 * failure fails the test.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class HostileInputITCase {

    private static final String SENSOR = "ec2_request_latency_system_failure";
    private static final int WINDOW = 24;
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            TestClusters.flink(2, METRICS.addToConfiguration(new Configuration()));

    @TempDir Path work;

    /**
     * A tombstone (null value: the source threw a NullPointerException, restored, re-read it, for
     * ever), JSON {@code null} and a truncated object on the model-updates topic are rejected and
     * counted.
     */
    @Test
    void tombstonesAndNonUpdatesAreRejectedAndCountedWhileTheJobForecasts() throws Exception {
        List<SensorReading> readings =
                CsvReadings.read(TestModels.nab("realKnownCause", SENSOR), SENSOR).subList(0, 600);
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Configuration config =
                    KafkaJobs.config(kafka, work.resolve("store"), WINDOW, "hostile-updates-it");
            config.set(ForecastOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
            KafkaTopics.ensureModelUpdates(config);
            Properties props = new Properties();
            props.setProperty("bootstrap.servers", kafka.bootstrapServers());
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(
                            props, new ByteArraySerializer(), new ByteArraySerializer())) {
                String topic = config.get(KafkaOptions.MODEL_UPDATES_TOPIC);
                byte[] key = SENSOR.getBytes(StandardCharsets.UTF_8);
                producer.send(new ProducerRecord<>(topic, key, null)).get(); // tombstone
                producer.send(new ProducerRecord<>(topic, key, bytes("null"))).get();
                producer.send(new ProducerRecord<>(topic, key, bytes("{\"group\":"))).get();
            }
            KafkaJobs.replay(kafka, readings, 2);

            JobClient job = KafkaJobs.startForecastJob(config, 2, "hostile-model-updates-it");
            try {
                // every subtask sees every update: 3 messages x 2 subtasks rejected
                KafkaJobs.await(
                        "the three messages rejected by both subtasks",
                        Duration.ofSeconds(90),
                        () -> sum(job.getJobID(), "modelsRejected") >= 6);
                List<ForecastRecord> forecasts =
                        KafkaJobs.forecasts(kafka, 500, Duration.ofSeconds(90));
                assertThat(forecasts).hasSizeGreaterThanOrEqualTo(500);
                assertThat(forecasts).allSatisfy(f -> assertThat(f.modelVersion()).isZero());
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
                assertThat(sum(job.getJobID(), "modelsRejected")).isEqualTo(6);
            } finally {
                job.cancel().get();
            }
        }
    }

    /**
     * Readings stamped two hours ahead of the clock (a device whose clock runs ahead; accepted,
     * within {@code max-future}) used to fail the forecast sink — a Kafka 4 broker refuses record
     * timestamps more than 1 h ahead — and to move their partition's watermark two hours ahead. Now
     * the output records' timestamps are clamped to the clock, and in event-time order they wait in
     * their sensor's state for their time (no forecast, nothing late), while in arrival order they
     * are forecast at once; the other sensor of the partition is forecast, nothing is late and the
     * job keeps running. (That a reading sent after them is not made late: {@code
     * ForecastJobEventTimeTest}.)
     */
    @ParameterizedTest
    @EnumSource(ReadingOrder.class)
    void readingsStampedHoursAheadFailNothing(ReadingOrder order) throws Exception {
        long now = System.currentTimeMillis();
        List<SensorReading> past = new java.util.ArrayList<>();
        List<SensorReading> ahead = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            past.add(SensorReading.of("past", now - 4 * 3_600_000L + i * 300_000L, i % 7));
            ahead.add(SensorReading.of("ahead", now + 2 * 3_600_000L + i * 300_000L, i % 5));
        }
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Configuration config =
                    KafkaJobs.config(kafka, work.resolve("store"), WINDOW, "hostile-future-it");
            config.set(ForecastOptions.READING_ORDER, order);
            config.set(ForecastOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
            // one partition, record timestamp = send time, as the devices would send them
            KafkaTopics.ensure(clientProps(kafka), "sensorcast.readings", 1, java.util.Map.of());
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(
                            clientProps(kafka),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                for (SensorReading r : past) {
                    send(producer, r);
                }
                for (SensorReading r : ahead) {
                    send(producer, r);
                }
            }

            JobClient job = KafkaJobs.startForecastJob(config, 1, "hostile-future-it");
            try {
                // the watermark, at most the wall clock − 10 min, has passed every past reading
                int perSensor = 40 - WINDOW + 1;
                boolean arrival = order == ReadingOrder.ARRIVAL;
                List<ForecastRecord> forecasts =
                        KafkaJobs.forecasts(
                                kafka, arrival ? 2 * perSensor : perSensor, Duration.ofSeconds(90));
                assertThat(forecasts).filteredOn(f -> f.sensor().equals("past")).hasSize(perSensor);
                assertThat(forecasts)
                        .filteredOn(f -> f.sensor().equals("ahead"))
                        .hasSize(arrival ? perSensor : 0);
                assertThat(
                                io.sensorcast.connectors.testutils.Topics.readCommitted(
                                        kafka.bootstrapServers(),
                                        "sensorcast.late",
                                        1,
                                        Duration.ofSeconds(3)))
                        .isEmpty();
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            } finally {
                job.cancel().get();
            }
        }
    }

    /**
     * One of each hostile record, sent to a running job between valid readings: an oversized value,
     * an oversized key, thousands of features, a very long sensor id and garbage on the readings
     * topic; model updates pointing outside the store, through {@code ..} into another group, at a
     * version the store does not have ({@code Long.MAX_VALUE}) and at a manifest announcing a
     * network of over a hundred million parameters. The job keeps running, every valid reading is
     * forecast exactly once by the model in service, each bad reading is dead-lettered with its
     * reason and each bad update rejected and counted.
     */
    @Test
    void everyHostileRecordIsRefusedWhileTheValidOnesAreForecastOnce() throws Exception {
        Path csv = TestModels.nab("realKnownCause", SENSOR);
        Path artifact = work.resolve("artifact");
        TestModels.trainOneStep(
                csv, WINDOW, new io.sensorcast.model.dataset.TimeSplit(400, 500, 600), 1, artifact);
        List<SensorReading> valid = CsvReadings.read(csv, SENSOR).subList(0, 300);
        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Path root = work.resolve("store");
            Configuration config = KafkaJobs.config(kafka, root, WINDOW, "hostile-all-it");
            config.set(ForecastOptions.SOURCE_IDLENESS, Duration.ofSeconds(1));
            var publisher = new io.sensorcast.pipeline.store.ModelPublisher(config, "hostile-it");
            publisher.publish(SENSOR, artifact);
            KafkaTopics.ensure(clientProps(kafka), "sensorcast.readings", 1, java.util.Map.of());
            var store = publisher.store();

            JobClient job = KafkaJobs.startForecastJob(config, 1, "hostile-all-it");
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(
                            clientProps(kafka),
                            new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                for (SensorReading r : valid.subList(0, 100)) {
                    send(producer, r);
                }
                // v1 in service: updates for a group a subtask does not serve yet are left alone
                assertThat(KafkaJobs.forecasts(kafka, 50, Duration.ofSeconds(90)))
                        .hasSizeGreaterThanOrEqualTo(50);
                // readings
                String hugeValue =
                        "{\"sensor\":\"big\",\"ts\":\"2014-03-07T03:41:00Z\","
                                + "\"value\":1,\"pad\":\""
                                + "x".repeat(900 * 1024)
                                + "\"}";
                raw(producer, bytes("big"), bytes(hugeValue));
                raw(producer, bytes("k".repeat(300 * 1024)), JsonFormats.reading(valid.get(0)));
                StringBuilder wide =
                        new StringBuilder(
                                "{\"sensor\":\"wide\",\"ts\":\"2014-03-07T03:41:00Z\",\"values\":{");
                for (int f = 0; f < 3000; f++) {
                    wide.append(f == 0 ? "" : ",").append("\"f").append(f).append("\":1");
                }
                raw(producer, bytes("wide"), bytes(wide.append("}}").toString()));
                String longId = "s".repeat(1000);
                raw(
                        producer,
                        bytes(longId),
                        JsonFormats.reading(SensorReading.of(longId, valid.get(0).timestamp, 1)));
                raw(producer, bytes(SENSOR), bytes("not json at all"));
                // model updates
                String topic = config.get(KafkaOptions.MODEL_UPDATES_TOPIC);
                Path elsewhere = work.resolve("elsewhere/1");
                TestModels.copyDirectory(artifact, elsewhere);
                update(producer, topic, 2, elsewhere.toUri().toString());
                update(producer, topic, 3, store.location(SENSOR, 3) + "/../../other/1");
                update(producer, topic, Long.MAX_VALUE, store.location(SENSOR, Long.MAX_VALUE));
                Path huge = work.resolve("huge");
                TestModels.copyDirectory(artifact, huge);
                Path manifest = huge.resolve(io.sensorcast.model.artifact.ModelArtifact.MANIFEST);
                Files.writeString(
                        manifest,
                        Files.readString(manifest)
                                .replaceAll("\"hiddenSize\" : \\d+", "\"hiddenSize\" : 4096"));
                TestModels.rewriteChecksums(huge);
                var hugeVersion = store.publish(SENSOR, huge);
                update(producer, topic, hugeVersion.version(), hugeVersion.location());
                for (SensorReading r : valid.subList(100, valid.size())) {
                    send(producer, r);
                }
                // a day later, another sensor: the watermark passes every valid reading
                send(producer, SensorReading.of("flush", valid.get(299).timestamp + 86_400_000, 0));
            }
            try {
                java.util.Map<String, java.util.Set<String>> expected =
                        ExactlyOnce.expectedTargets(valid, WINDOW);
                int total = expected.get(SENSOR).size();
                List<ForecastRecord> forecasts =
                        KafkaJobs.forecasts(kafka, total, Duration.ofSeconds(120));
                ExactlyOnce.assertEveryForecastOnce(forecasts, expected);
                assertThat(forecasts).allSatisfy(f -> assertThat(f.modelVersion()).isEqualTo(1));
                KafkaJobs.await(
                        "four updates rejected",
                        Duration.ofSeconds(60),
                        () -> sum(job.getJobID(), "modelsRejected") >= 4);
                List<String> reasons = new java.util.ArrayList<>();
                for (var r :
                        io.sensorcast.connectors.testutils.Topics.readCommitted(
                                kafka.bootstrapServers(),
                                config.get(KafkaOptions.DEAD_LETTER_TOPIC),
                                5,
                                Duration.ofSeconds(60))) {
                    reasons.add(JsonFormats.mapper().readTree(r.value()).path("reason").asText());
                }
                assertThat(reasons)
                        .containsExactlyInAnyOrder(
                                "PAYLOAD_TOO_LARGE", // the 900 KB value
                                "BAD_SENSOR_ID", // the 300 KB key, not the reading's sensor
                                "PAYLOAD_TOO_LARGE", // 3,000 features
                                "BAD_SENSOR_ID", // a 1,000-character id
                                "MALFORMED_JSON");
                assertThat(sum(job.getJobID(), "modelsRejected")).isEqualTo(4);
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            } finally {
                job.cancel().get();
            }
        }
    }

    private static void raw(KafkaProducer<byte[], byte[]> producer, byte[] key, byte[] value)
            throws Exception {
        producer.send(new ProducerRecord<>("sensorcast.readings", key, value)).get();
    }

    private static void update(
            KafkaProducer<byte[], byte[]> producer, String topic, long version, String location)
            throws Exception {
        producer.send(
                        new ProducerRecord<>(
                                topic,
                                bytes(SENSOR),
                                new io.sensorcast.connectors.format.ModelUpdate(
                                                SENSOR, version, location, null, "attacker")
                                        .toJson()))
                .get();
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, SensorReading r)
            throws Exception {
        producer.send(
                        new ProducerRecord<>(
                                "sensorcast.readings",
                                bytes(r.sensor),
                                io.sensorcast.connectors.serde.JsonFormats.reading(r)))
                .get();
    }

    private static Properties clientProps(EmbeddedKafkaBroker kafka) {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", kafka.bootstrapServers());
        return props;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long sum(JobID job, String counter) {
        return JobMetrics.sum(METRICS, job, counter);
    }
}
