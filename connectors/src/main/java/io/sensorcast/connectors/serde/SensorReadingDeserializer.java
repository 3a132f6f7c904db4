package io.sensorcast.connectors.serde;

import io.sensorcast.connectors.format.ParsedRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The Kafka source's deserializer for readings: every record becomes a {@link ParsedRecord}, valid
 * or dead-lettered, so a poison pill never fails (and restarts) the job. Counts {@code
 * readingsParsed} and {@code deadLetters} in the source's metric group {@code sensorcast}.
 */
public final class SensorReadingDeserializer
        implements KafkaRecordDeserializationSchema<ParsedRecord> {

    private static final long serialVersionUID = 1L;

    private final ReadingParser parser;
    private transient Counter parsed;
    private transient Counter deadLetters;

    public SensorReadingDeserializer(ReadingParser parser) {
        this.parser = parser;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        parsed = context.getMetricGroup().addGroup("sensorcast").counter("readingsParsed");
        deadLetters = context.getMetricGroup().addGroup("sensorcast").counter("deadLetters");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
        ParsedRecord result = parser.parse(record);
        if (parsed != null) {
            (result.isValid() ? parsed : deadLetters).inc();
        }
        out.collect(result);
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
