package io.sensorcast.connectors.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.ParsedRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.EmbeddedKafkaBroker;
import io.sensorcast.connectors.serde.ReadingParser;
import io.sensorcast.connectors.testutils.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replays series into a real (embedded, KRaft) broker and reads them back, record for record. */
class ReplayITCase {

    private static final long START = Instant.parse("2014-02-14T14:30:00Z").toEpochMilli();

    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    /**
     * {@code n} readings of {@code sensor}, {@code intervalMs} apart from {@code startMs}, with
     * values of four decimals around 80 (as NAB's machine temperatures).
     */
    static List<SensorReading> series(String sensor, int n, long startMs, long intervalMs) {
        Random random = new Random(sensor.hashCode());
        List<SensorReading> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double value = Math.round((80 + 5 * random.nextGaussian()) * 1e4) / 1e4;
            out.add(SensorReading.of(sensor, startMs + i * intervalMs, value));
        }
        return out;
    }

    @Test
    void replaysASeriesAndReadsBackTheSameReadingsInOrder() throws Exception {
        List<SensorReading> readings = series("machine", 22695, START, 300_000);

        Replayer replayer = new Replayer(clientProps());
        replayer.ensureTopic("replay-one", 3);
        Replayer.Result result =
                replayer.replay(readings, "replay-one", new Pacing.Max(), (s, t, e) -> {});
        assertThat(result.records()).isEqualTo(22695);

        List<SensorReading> back = consumeAll("replay-one", readings.size());
        assertThat(back).containsExactlyElementsOf(readings);
    }

    @Test
    void interleavesSeveralSensorsInEventTimeOrder() throws Exception {
        List<SensorReading> merged = new ArrayList<>(series("ec2", 4032, START, 300_000));
        merged.addAll(series("rogue", 1882, START + 60_000, 420_000));
        merged.sort(Comparator.comparingLong(r -> r.timestamp));
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
