package io.sensorcast.connectors.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sensorcast.connectors.format.DeadLetterReason;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.sink.JsonRecordSerializer;
import io.sensorcast.connectors.sink.KafkaSinks;
import io.sensorcast.connectors.source.ReadingSources;
import io.sensorcast.connectors.testutils.TestClusters;
import io.sensorcast.connectors.testutils.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A topic mixing valid readings with every kind of bad record, read by a Flink job on a MiniCluster
 * through the real source, router and exactly-once sinks: valid readings come out parsed, every bad
 * record lands in the dead-letter topic with its reason, and nothing is lost.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DeadLetterRoutingITCase {

    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.flink(2);

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    /** key, value, expected reason: one of each kind the parser refuses. */
    private static final List<String[]> BAD =
            List.of(
                    new String[] {"m1", null, "EMPTY_PAYLOAD"},
                    new String[] {
                        "m1",
                        "{\"sensor\":\"m1\",\"ts\":1,\"value\":1,\"pad\":\""
                                + "x".repeat(5000)
                                + "\"}",
                        "PAYLOAD_TOO_LARGE"
                    },
                    new String[] {"m1", "{\"sensor\":\"m1\",\"ts\":", "MALFORMED_JSON"},
                    new String[] {
                        "m1", "{\"ts\":\"2013-12-02T21:15:00Z\",\"value\":1}", "MISSING_FIELD"
                    },
                    new String[] {
                        "m1",
                        "{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\",\"value\":\"warm\"}",
                        "WRONG_TYPE"
                    },
                    new String[] {
                        "m1",
                        "{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\",\"value\":NaN}",
                        "NON_FINITE_VALUE"
                    },
                    new String[] {
                        "m1",
                        "{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\",\"value\":1e300}",
                        "VALUE_OUT_OF_RANGE"
                    },
                    new String[] {
                        "m1",
                        "{\"sensor\":\"m1\",\"ts\":\"soon\",\"value\":1}",
                        "UNPARSEABLE_TIMESTAMP"
                    },
                    new String[] {
                        "m1", "{\"sensor\":\"m1\",\"ts\":-5,\"value\":1}", "TIMESTAMP_BEFORE_EPOCH"
                    },
                    new String[] {
                        "m1",
                        "{\"sensor\":\"m1\",\"ts\":\"2999-01-01T00:00:00Z\",\"value\":1}",
                        "TIMESTAMP_IN_FUTURE"
                    },
                    new String[] {
                        "m1",
                        "{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\",\"values\":{\"t@1d\":1}}",
                        "BAD_FEATURE_NAME"
                    },
                    new String[] {
                        "",
                        "{\"sensor\":\"m1\",\"ts\":\"2013-12-02T21:15:00Z\",\"value\":1}",
                        "BAD_SENSOR_ID"
                    });

    @Test
    void routesEveryBadRecordToTheDeadLetterTopicAndLosesNothing() throws Exception {
        String readings = "mixed-readings";
        String valid = "mixed-valid";
        String dead = "mixed-dead-letter";
        kafka.createTopics(2, readings, valid, dead);

        // 3 sensors × 100 valid readings, with the bad records spread among them
        List<SensorReading> sent = new ArrayList<>();
        int total = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        clientProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
            long t0 = Instant.parse("2013-12-02T21:15:00Z").toEpochMilli();
            int bad = 0;
            for (int i = 0; i < 100; i++) {
                for (String sensor : List.of("m1", "m2", "m3")) {
                    SensorReading r = SensorReading.of(sensor, t0 + i * 300_000L, 70 + i * 0.25);
                    sent.add(r);
                    producer.send(
                            new ProducerRecord<>(readings, bytes(sensor), JsonFormats.reading(r)));
                    total++;
                }
                if (i % 9 == 4 && bad < BAD.size()) {
                    String[] b = BAD.get(bad++);
                    producer.send(new ProducerRecord<>(readings, bytes(b[0]), bytes(b[1])));
                    total++;
                }
            }
            while (bad < BAD.size()) {
                String[] b = BAD.get(bad++);
                producer.send(new ProducerRecord<>(readings, bytes(b[0]), bytes(b[1])));
                total++;
            }
        }

        Configuration config = config(readings, dead, "dlq-it");
        config.set(KafkaOptions.MAX_RECORD_BYTES, 4096);
        route(config, valid);

        List<ConsumerRecord<byte[], byte[]>> validOut =
                Topics.readCommitted(
                        kafka.bootstrapServers(), valid, sent.size(), Duration.ofSeconds(30));
        List<ConsumerRecord<byte[], byte[]>> deadOut =
                Topics.readCommitted(
                        kafka.bootstrapServers(), dead, BAD.size(), Duration.ofSeconds(30));
        assertThat(validOut.size() + deadOut.size()).isEqualTo(total);

        ReadingParser parser =
                new ReadingParser(4096, Duration.ofDays(1), 1e12, java.time.Clock.systemUTC());
        Map<String, List<SensorReading>> received = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : validOut) {
            SensorReading reading = parser.parse(r).reading;
            assertThat(r.timestamp()).isEqualTo(reading.timestamp);
            received.computeIfAbsent(reading.sensor, k -> new ArrayList<>()).add(reading);
        }
        for (String sensor : List.of("m1", "m2", "m3")) {
            assertThat(received.get(sensor))
                    .containsExactlyElementsOf(
                            sent.stream().filter(r -> r.sensor.equals(sensor)).toList());
        }

        Map<String, String> reasonByValue = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : deadOut) {
            JsonNode node = JsonFormats.mapper().readTree(r.value());
            assertThat(node.get("topic").asText()).isEqualTo(readings);
            assertThat(node.get("message").asText()).isNotBlank();
            String raw =
                    node.get("value_base64").isNull()
                            ? null
                            : new String(
                                    Base64.getDecoder().decode(node.get("value_base64").asText()),
                                    StandardCharsets.UTF_8);
            reasonByValue.put(raw, node.get("reason").asText());
        }
        for (String[] b : BAD) {
            assertThat(reasonByValue).containsEntry(b[1], b[2]);
        }
        assertThat(reasonByValue.values())
                .containsExactlyInAnyOrderElementsOf(BAD.stream().map(b -> b[2]).toList());
        assertThat(DeadLetterReason.values().length - 1)
                .isEqualTo(BAD.size()); // all but UNEXPECTED
    }

    /**
     * A refused record of any size is dead-lettered: a 900 KB value and a 300 KB key used to make a
     * dead letter over the producer's 1 MiB limit, and the dead-letter sink failed the job. Now the
     * raw bytes are cut to {@link JsonFormats#MAX_DEAD_LETTER_BYTES} with the original size and
     * SHA-256, and the job runs to the end.
     */
    @Test
    void deadLettersRecordsTooLargeToCarryWhole() throws Exception {
        String readings = "huge-readings";
        String valid = "huge-valid";
        String dead = "huge-dead-letter";
        kafka.createTopics(2, readings, valid, dead);
        byte[] hugeValue = bytes("{\"sensor\":\"m1\",\"pad\":\"" + "x".repeat(900_000) + "\"}");
        byte[] hugeKey = bytes("k".repeat(300_000));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        clientProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(readings, bytes("m1"), hugeValue)).get();
            producer.send(
                            new ProducerRecord<>(
                                    readings,
                                    hugeKey,
                                    JsonFormats.reading(SensorReading.of("m1", 1_000L, 1))))
                    .get();
            producer.send(
                            new ProducerRecord<>(
                                    readings,
                                    bytes("m1"),
                                    JsonFormats.reading(SensorReading.of("m1", 2_000L, 2))))
                    .get();
        }
        route(config(readings, dead, "dlq-huge-it"), valid);

        assertThat(Topics.readCommitted(kafka.bootstrapServers(), valid, 1, Duration.ofSeconds(30)))
                .hasSize(1);
        List<ConsumerRecord<byte[], byte[]>> deadOut =
                Topics.readCommitted(kafka.bootstrapServers(), dead, 2, Duration.ofSeconds(30));
        assertThat(deadOut).hasSize(2);
        Map<String, JsonNode> byReason = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : deadOut) {
            assertThat(r.serializedValueSize() + Math.max(0, r.serializedKeySize()))
                    .isLessThan(1 << 20);
            JsonNode node = JsonFormats.mapper().readTree(r.value());
            byReason.put(node.get("reason").asText(), node);
        }
        JsonNode tooLarge = byReason.get("PAYLOAD_TOO_LARGE");
        assertThat(tooLarge.get("truncated").asBoolean()).isTrue();
        assertThat(tooLarge.get("value_size").asInt()).isEqualTo(hugeValue.length);
        assertThat(tooLarge.get("value_sha256").asText())
                .isEqualTo(
                        java.util.HexFormat.of()
                                .formatHex(
                                        java.security.MessageDigest.getInstance("SHA-256")
                                                .digest(hugeValue)));
        assertThat(Base64.getDecoder().decode(tooLarge.get("value_base64").asText()))
                .hasSize(JsonFormats.MAX_DEAD_LETTER_BYTES);
        JsonNode badKey = byReason.get("BAD_SENSOR_ID");
        assertThat(badKey.get("key_size").asInt()).isEqualTo(hugeKey.length);
        assertThat(badKey.get("value_base64").isNull()).isFalse();
    }

    private static Configuration config(String readings, String dead, String transactions) {
        Configuration config = new Configuration();
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        config.set(KafkaOptions.READINGS_TOPIC, readings);
        config.set(KafkaOptions.DEAD_LETTER_TOPIC, dead);
        config.set(KafkaOptions.STARTING_OFFSETS, "earliest");
        config.set(KafkaOptions.DELIVERY_GUARANTEE, DeliveryGuarantee.EXACTLY_ONCE);
        config.set(KafkaOptions.TRANSACTIONAL_ID_PREFIX, transactions);
        return config;
    }

    /** Parses the readings topic to {@code valid} and the dead-letter topic, to its end. */
    private static void route(Configuration config, String valid) throws Exception {
        // no restarts: a failure must fail the test, not loop until the timeout
        Configuration flink = new Configuration();
        flink.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(2);
        env.enableCheckpointing(500);
        SingleOutputStreamOperator<SensorReading> parsed =
                env.fromSource(
                                ReadingSources.boundedReadings(config),
                                WatermarkStrategy.noWatermarks(),
                                "readings")
                        .process(new DeadLetterRouter())
                        .name("route-dead-letters");
        parsed.sinkTo(
                KafkaSinks.create(
                        config,
                        "valid",
                        new JsonRecordSerializer<>(
                                valid, r -> r.sensor, JsonFormats::reading, r -> r.timestamp)));
        parsed.getSideOutput(DeadLetterRouter.DEAD_LETTERS).sinkTo(KafkaSinks.deadLetters(config));
        env.execute("dead-letter-routing");
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static Properties clientProps() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        return p;
    }
}
