package io.sensorcast.connectors.serde;

import io.sensorcast.connectors.format.DeadLetterReason;
import io.sensorcast.connectors.format.ParsedRecord;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
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
    private transient MetricGroup metrics;
    private transient Map<DeadLetterReason, Counter> byReason;

    public SensorReadingDeserializer(ReadingParser parser) {
        this.parser = parser;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        metrics = context.getMetricGroup().addGroup("sensorcast");
        parsed = metrics.counter("readingsParsed");
        deadLetters = metrics.counter("deadLetters");
        byReason = new EnumMap<>(DeadLetterReason.class);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ParsedRecord> out) {
        ParsedRecord result = parser.parse(record);
        if (parsed != null) {
            if (result.isValid()) {
                parsed.inc();
            } else {
                deadLetters.inc();
                byReason.computeIfAbsent(
                                result.deadLetter.reason,
                                r -> metrics.addGroup("reason", r.name()).counter("deadLetters"))
                        .inc();
            }
        }
        out.collect(result);
    }

    @Override
    public TypeInformation<ParsedRecord> getProducedType() {
        return TypeInformation.of(ParsedRecord.class);
    }
}
