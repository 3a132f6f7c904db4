package io.sensorcast.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.Published;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.serde.JsonFormats;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class PublishedSerializerTest {

    private static final long T = 1_386_018_900_000L; // 2013-12-02T21:15:00Z

    private final Configuration config = topics();

    private static Configuration topics() {
        Configuration c = new Configuration();
        c.set(KafkaOptions.FORECASTS_TOPIC, "f");
        c.set(KafkaOptions.SCORES_TOPIC, "s");
        c.set(KafkaOptions.ANOMALIES_TOPIC, "a");
        c.set(KafkaOptions.LATE_TOPIC, "l");
        return c;
    }

    private final PublishedSerializer serializer =
            new PublishedSerializer(
                    KafkaSinks.forecastRecords(config),
                    KafkaSinks.scoreRecords(config, KafkaOptions.SCORES_TOPIC),
                    KafkaSinks.scoreRecords(config, KafkaOptions.ANOMALIES_TOPIC),
                    KafkaSinks.lateReadings(config));

    private ProducerRecord<byte[], byte[]> serialize(Published p) {
        return serializer.serialize(p, null, Long.MAX_VALUE);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void eachRecordGoesToItsTopicKeyedBySensorStampedWithItsEventTime() {
        ForecastRecord forecast =
                new ForecastRecord(
                        "m1",
                        "2013-12-02T21:15:00Z",
                        List.of(
                                new ForecastRecord.Step(
                                        "2013-12-02T21:20:00Z", Map.of("value", 1.5))),
                        "g",
                        3,
                        2.0);
        ScoreRecord score =
                new ScoreRecord(
                        "m1",
                        "2013-12-02T21:10:00Z",
                        "2013-12-02T21:15:00Z",
                        "value",
                        1,
                        9,
                        8,
                        0.99,
                        0.99,
                        0.5,
                        true,
                        "g",
                        3,
                        4,
                        List.of());
        SensorReading late = SensorReading.of("m2", T - 3_600_000L, 7);

        ProducerRecord<byte[], byte[]> f = serialize(Published.forecast(forecast));
        ProducerRecord<byte[], byte[]> s = serialize(Published.score(score));
        ProducerRecord<byte[], byte[]> a = serialize(Published.anomaly(score));
        ProducerRecord<byte[], byte[]> l = serialize(Published.late(late));

        assertThat(List.of(f, s, a, l))
                .extracting(ProducerRecord::topic)
                .containsExactly("f", "s", "a", "l");
        assertThat(List.of(f, s, a, l))
                .extracting(r -> text(r.key()))
                .containsExactly("m1", "m1", "m1", "m2");
        assertThat(List.of(f, s, a, l))
                .extracting(ProducerRecord::timestamp)
                .containsExactly(T, T, T, T - 3_600_000L);
        assertThat(text(f.value())).isEqualTo(text(JsonFormats.forecast(forecast)));
        assertThat(text(s.value())).isEqualTo(text(JsonFormats.score(score)));
        assertThat(a.value()).isEqualTo(s.value());
        assertThat(text(l.value())).isEqualTo(text(JsonFormats.reading(late)));
    }

    @Test
    void aRecordCarriesTheValueOfItsTopicOnly() {
        SensorReading r = SensorReading.of("m", T, 1);
        assertThatThrownBy(() -> new Published(Published.Topic.SCORES, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SCORES");
        assertThatThrownBy(() -> new Published(Published.Topic.FORECASTS, null, null, r))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Published(Published.Topic.LATE, null, null, r)).isEqualTo(Published.late(r));
    }
}
