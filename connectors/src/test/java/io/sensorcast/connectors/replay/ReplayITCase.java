package io.sensorcast.connectors.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.ParsedRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.serde.ReadingParser;
import io.sensorcast.connectors.testutils.Topics;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replays real NAB series into a real (embedded, KRaft) broker and reads them back. */
class ReplayITCase {

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    static Path nab(String category, String file) {
        return Paths.get(
                System.getProperty("sensorcast.data.dir", "../data"),
                "nab",
                "data",
                category,
                file);
    }

    @Test
    void replaysANabFileAndReadsBackTheSameReadingsInOrder() throws Exception {
        Path file = nab("realKnownCause", "machine_temperature_system_failure.csv");
        List<SensorReading> readings = CsvReadings.read(file, CsvReadings.sensorFromFilename(file));
        assertThat(readings).hasSize(22695);

        Replayer replayer = new Replayer(clientProps());
        replayer.ensureTopic("replay-one", 3);
        Replayer.Result result =
                replayer.replay(readings, "replay-one", new Pacing.Max(), (s, t, e) -> {});
        assertThat(result.records()).isEqualTo(22695);

        List<SensorReading> back = consumeAll("replay-one", readings.size());
        assertThat(back).containsExactlyElementsOf(readings);
    }

    @Test
    void interleavesSeveralFilesBySensorInEventTimeOrder() throws Exception {
        Path a = nab("realKnownCause", "ec2_request_latency_system_failure.csv");
        Path b = nab("realKnownCause", "rogue_agent_key_hold.csv");
        List<SensorReading> merged =
                CsvReadings.merge(
                        List.of(
                                CsvReadings.read(a, CsvReadings.sensorFromFilename(a)),
                                CsvReadings.read(b, CsvReadings.sensorFromFilename(b))));
        for (int i = 1; i < merged.size(); i++) {
            assertThat(merged.get(i).timestamp).isGreaterThanOrEqualTo(merged.get(i - 1).timestamp);
        }
        Replayer replayer = new Replayer(clientProps());
        replayer.ensureTopic("replay-two", 4);
        replayer.replay(merged, "replay-two", new Pacing.Rate(200_000), (s, t, e) -> {});

        List<SensorReading> back = consumeAll("replay-two", merged.size());
        assertThat(back).hasSameSizeAs(merged);
        Map<String, List<SensorReading>> sent = bySensor(merged);
        Map<String, List<SensorReading>> received = bySensor(back);
        assertThat(received.keySet()).containsExactlyInAnyOrderElementsOf(sent.keySet());
        for (String sensor : sent.keySet()) {
            assertThat(received.get(sensor)).containsExactlyElementsOf(sent.get(sensor));
        }
    }

    private static Map<String, List<SensorReading>> bySensor(List<SensorReading> readings) {
        Map<String, List<SensorReading>> out = new HashMap<>();
        for (SensorReading r : readings) {
            out.computeIfAbsent(r.sensor, k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private static Properties clientProps() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", kafka.bootstrapServers());
        return p;
    }

    /**
     * Every record of {@code topic}, per partition in offset order, parsed with the real parser.
     */
    private static List<SensorReading> consumeAll(String topic, int expected) {
        ReadingParser parser =
                new ReadingParser(1 << 16, Duration.ofDays(1), 1e12, Clock.systemUTC());
        List<SensorReading> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
                Topics.readCommitted(
                        kafka.bootstrapServers(), topic, expected, Duration.ofSeconds(60))) {
            ParsedRecord parsed = parser.parse(r);
            assertThat(parsed.isValid()).as(String.valueOf(parsed.deadLetter)).isTrue();
            assertThat(r.timestamp()).isEqualTo(parsed.reading.timestamp);
            out.add(parsed.reading);
        }
        return out;
    }
}
