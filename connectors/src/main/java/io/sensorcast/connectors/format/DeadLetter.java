package io.sensorcast.connectors.format;

import java.util.Arrays;
import java.util.Objects;

/**
 * A record that could not be used, kept whole: the raw key and value bytes, where it came from, and
 * why it was refused. Written to the dead-letter topic by {@code KafkaSinks.deadLetters}.
 */
public final class DeadLetter {

    public byte[] key;
    public byte[] value;
    public String topic;
    public int partition;
    public long offset;

    /** The source record's Kafka timestamp (epoch ms), or -1. */
    public long recordTimestamp;

    public DeadLetterReason reason;
    public String message;

    public DeadLetter() {}

    public DeadLetter(
            byte[] key,
            byte[] value,
            String topic,
            int partition,
            long offset,
            long recordTimestamp,
            DeadLetterReason reason,
            String message) {
        this.key = key;
        this.value = value;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.recordTimestamp = recordTimestamp;
        this.reason = reason;
        this.message = message;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter d
                && partition == d.partition
                && offset == d.offset
                && recordTimestamp == d.recordTimestamp
                && Arrays.equals(key, d.key)
                && Arrays.equals(value, d.value)
                && Objects.equals(topic, d.topic)
                && reason == d.reason
                && Objects.equals(message, d.message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, reason);
    }

    @Override
    public String toString() {
        return reason + " at " + topic + "-" + partition + "@" + offset + ": " + message;
    }
}
