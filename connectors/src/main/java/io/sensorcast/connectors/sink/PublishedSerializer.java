package io.sensorcast.connectors.sink;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.Published;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Serializes each {@link Published} record with the serializer of its topic: one sink writes all of
 * the forecasting job's outputs.
 */
final class PublishedSerializer implements KafkaRecordSerializationSchema<Published> {

    private static final long serialVersionUID = 1L;

    private final JsonRecordSerializer<ForecastRecord> forecasts;
    private final JsonRecordSerializer<ScoreRecord> scores;
    private final JsonRecordSerializer<ScoreRecord> anomalies;
    private final JsonRecordSerializer<SensorReading> late;

    PublishedSerializer(
            JsonRecordSerializer<ForecastRecord> forecasts,
            JsonRecordSerializer<ScoreRecord> scores,
            JsonRecordSerializer<ScoreRecord> anomalies,
            JsonRecordSerializer<SensorReading> late) {
        this.forecasts = forecasts;
        this.scores = scores;
        this.anomalies = anomalies;
        this.late = late;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Published element, KafkaSinkContext context, Long timestamp) {
        return switch (element.topic()) {
            case FORECASTS -> forecasts.serialize(element.forecast(), context, timestamp);
            case SCORES -> scores.serialize(element.score(), context, timestamp);
            case ANOMALIES -> anomalies.serialize(element.score(), context, timestamp);
            case LATE -> late.serialize(element.reading(), context, timestamp);
        };
    }
}
