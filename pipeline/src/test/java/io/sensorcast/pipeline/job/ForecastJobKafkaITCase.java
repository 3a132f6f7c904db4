package io.sensorcast.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.replay.Pacing;
import io.sensorcast.connectors.replay.Replayer;
import io.sensorcast.connectors.serde.JsonFormats;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.connectors.testutils.Topics;
import io.sensorcast.model.dataset.TimeSplit;
import io.sensorcast.pipeline.data.CsvReadings;
import io.sensorcast.pipeline.store.ModelStoreOptions;
import io.sensorcast.pipeline.testutils.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka to Kafka: a NAB series replayed into a real KRaft broker, the job on a MiniCluster with
 * checkpoints and transactional sinks, outputs read back with read_committed.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ForecastJobKafkaITCase {

    private static final String FILE = "ec2_request_latency_system_failure";
    private static final int WINDOW = 24;

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(2);

    @TempDir Path models;

    @Test
    void forecastsAReplayedSeriesExactlyOnceAndDeadLettersBadRecords() throws Exception {
        Path csv = TestModels.nab("realKnownCause", FILE);
        TestModels.trainOneStep(
                csv, WINDOW, new TimeSplit(1500, 2000, 2500), 1, models.resolve(FILE).resolve("1"));
        List<SensorReading> readings = CsvReadings.read(csv, FILE);

        try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
            Properties client = new Properties();
            client.setProperty("bootstrap.servers", kafka.bootstrapServers());
            Replayer replayer = new Replayer(client);
            replayer.ensureTopic("sensorcast.readings", 2);
            replayer.replay(readings, "sensorcast.readings", new Pacing.Max(), (a, b, c) -> {});
            try (KafkaProducer<byte[], byte[]> p =
                    new KafkaProducer<>(
                            client, new ByteArraySerializer(), new ByteArraySerializer())) {
                p.send(
                        new ProducerRecord<>(
                                "sensorcast.readings", bytes(FILE), bytes("{not json")));
                p.send(
                        new ProducerRecord<>(
                                "sensorcast.readings",
                                bytes(FILE),
                                bytes(
                                        "{\"sensor\":\""
                                                + FILE
                                                + "\",\"ts\":\"2014-03-07T03:41:00Z\",\"value\":\"NaN\"}")));
            }

            Configuration config = new Configuration();
            config.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            config.set(KafkaOptions.STARTING_OFFSETS, "earliest");
            config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, "forecast-it");
            config.set(ForecastOptions.HISTORY, WINDOW);
            config.set(ForecastOptions.MIN_WINDOW, WINDOW); // complete windows only
            config.set(ModelStoreOptions.ROOT, models.toString());
            config.set(ForecastOptions.OUT_OF_ORDERNESS, Duration.ofMinutes(10));

            // no restarts: a failure must fail the test, not loop until the timeout
            Configuration flink = new Configuration();
            flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(flink);
            env.setParallelism(2);
            env.enableCheckpointing(500);
            ForecastJob.fromKafka(env, config, true);
            env.execute("forecast-job-kafka-it");

            // the file repeats one timestamp; the repeat is ignored
            long distinct = readings.stream().mapToLong(r -> r.timestamp).distinct().count();
            int expected = (int) distinct - WINDOW + 1;
            List<ConsumerRecord<byte[], byte[]>> forecasts =
                    Topics.readCommitted(
                            kafka.bootstrapServers(),
                            "sensorcast.forecasts",
                            expected,
                            Duration.ofSeconds(30));
            Set<String> origins = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : forecasts) {
                ForecastRecord f = JsonFormats.mapper().readValue(r.value(), ForecastRecord.class);
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(FILE);
                assertThat(r.timestamp()).isEqualTo(Instant.parse(f.originTs()).toEpochMilli());
                origins.add(f.originTs());
            }
            assertThat(forecasts).hasSize(expected); // none missing ...
            assertThat(origins).hasSize(expected); // ... none twice
            List<ConsumerRecord<byte[], byte[]>> scores =
                    Topics.readCommitted(
                            kafka.bootstrapServers(),
                            "sensorcast.scores",
                            expected - 1,
                            Duration.ofSeconds(30));
            assertThat(scores).hasSize(expected - 1);
            // the flagged scores, once more on the anomalies topic, through the same sink
            List<String> flagged =
                    scores.stream()
                            .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                            .filter(v -> v.contains("\"is_anomaly\":true"))
                            .toList();
            assertThat(flagged).isNotEmpty();
            assertThat(
                            Topics.readCommitted(
                                            kafka.bootstrapServers(),
                                            "sensorcast.anomalies",
                                            flagged.size() + 1,
                                            Duration.ofSeconds(3))
                                    .stream()
                                    .map(r -> new String(r.value(), StandardCharsets.UTF_8)))
                    .containsExactlyInAnyOrderElementsOf(flagged);
            List<ConsumerRecord<byte[], byte[]>> dead =
                    Topics.readCommitted(
                            kafka.bootstrapServers(),
                            "sensorcast.dead-letter",
                            2,
                            Duration.ofSeconds(30));
            assertThat(dead)
                    .extracting(r -> reason(r.value()))
                    .containsExactlyInAnyOrder("MALFORMED_JSON", "NON_FINITE_VALUE");
        }
    }

    private static String reason(byte[] json) {
        try {
            JsonNode node = JsonFormats.mapper().readTree(json);
            return node.get("reason").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
