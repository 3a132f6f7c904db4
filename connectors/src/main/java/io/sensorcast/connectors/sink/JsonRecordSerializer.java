package io.sensorcast.connectors.sink;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.Function;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Serializes elements to a fixed topic with a key, a JSON value and an <b>explicit</b> record
 * timestamp taken from the element, never later than the wall clock. Records emitted by event-time
 * windows carry {@code Long.MAX_VALUE} as their Flink timestamp, which Kafka 4 rejects; and a
 * broker refuses records stamped more than {@code log.message.timestamp.after.max.ms} (1 h by
 * default) ahead of its clock — one reading from a sensor whose clock runs ahead would fail the
 * sink, the job would restore and fail again, for ever. The payload keeps the event time.
 */
public final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    /** A serializable function of an element. */
    @FunctionalInterface
    public interface Field<T, R> extends Function {
        R apply(T element);
    }

    private final String topic;
    private final Field<T, String> key;
    private final Field<T, byte[]> value;
    private final Field<T, Long> timestamp;

    /**
     * @param key the record key (e.g. the sensor id), UTF-8
     * @param value the JSON bytes
     * @param timestamp the element's event time, epoch milliseconds
     */
    public JsonRecordSerializer(
            String topic, Field<T, String> key, Field<T, byte[]> value, Field<T, Long> timestamp) {
        this.topic = topic;
        this.key = key;
        this.value = value;
        this.timestamp = timestamp;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long flinkTimestamp) {
        String k = key.apply(element);
        return new ProducerRecord<>(
                topic,
                null,
                recordTimestamp(timestamp.apply(element)),
                k == null ? null : k.getBytes(StandardCharsets.UTF_8),
                value.apply(element));
    }

    /**
     * A timestamp Kafka accepts: the element's own, or now when it has none that is valid or when
     * it lies in the future.
     */
    static long recordTimestamp(Long eventTime) {
        long now = System.currentTimeMillis();
        if (eventTime == null || eventTime < 0 || eventTime > now) {
            return now;
        }
        return eventTime;
    }
}
