package io.sensorcast.connectors.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.serde.JsonFormats;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class JsonRecordSerializerTest {

    private final JsonRecordSerializer<SensorReading> serializer =
            new JsonRecordSerializer<>(
                    "out", r -> r.sensor, JsonFormats::reading, r -> r.timestamp);

    @Test
    void setsKeyAndTheElementsEventTimeAsRecordTimestamp() {
        ProducerRecord<byte[], byte[]> r =
                serializer.serialize(
                        SensorReading.of("m1", 1386018900000L, 1.0), null, Long.MAX_VALUE);
        assertThat(r.topic()).isEqualTo("out");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("m1");
        // the window-emitted Flink timestamp (Long.MAX_VALUE) is never passed to Kafka
        assertThat(r.timestamp()).isEqualTo(1386018900000L);
    }

    @Test
    void replacesTimestampsKafkaWouldRejectWithNow() {
        long before = System.currentTimeMillis();
        assertThat(JsonRecordSerializer.recordTimestamp(Long.MAX_VALUE))
                .isBetween(before, before + 60_000);
        assertThat(JsonRecordSerializer.recordTimestamp(-1L)).isBetween(before, before + 60_000);
        assertThat(JsonRecordSerializer.recordTimestamp(null)).isBetween(before, before + 60_000);
        assertThat(JsonRecordSerializer.recordTimestamp(5L)).isEqualTo(5L);
        // two hours ahead: a broker with the default 1 h limit would refuse it
        long future = before + 7_200_000L;
        assertThat(JsonRecordSerializer.recordTimestamp(future))
                .isBetween(before, System.currentTimeMillis());
    }
}
