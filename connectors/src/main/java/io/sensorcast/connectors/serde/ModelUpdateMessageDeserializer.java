package io.sensorcast.connectors.serde;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The model-updates source's deserializer: every record's value as a UTF-8 string, a tombstone
 * (null value — what a compacted topic's producer sends to delete a key) as the empty string. It
 * never throws: Flink's {@code SimpleStringSchema} threw a NullPointerException on a tombstone, the
 * source failed, re-read the record after the restore and failed again, for ever. Whether a message
 * is a valid update is decided where it is used, which rejects and counts the bad ones.
 */
public final class ModelUpdateMessageDeserializer
        implements KafkaRecordDeserializationSchema<String> {

    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
        byte[] value = record.value();
        out.collect(value == null ? "" : new String(value, StandardCharsets.UTF_8));
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
