package io.sensorcast.connectors.source;

import io.sensorcast.connectors.format.ParsedRecord;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.kafka.OffsetsSpec;
import io.sensorcast.connectors.serde.ModelUpdateMessageDeserializer;
import io.sensorcast.connectors.serde.ReadingParser;
import io.sensorcast.connectors.serde.SensorReadingDeserializer;
import java.time.Clock;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;

/** Builds the Kafka sources of sensor readings and model updates from {@link KafkaOptions}. */
public final class ReadingSources {

    private ReadingSources() {}

    /** An unbounded source of the readings topic; bad records arrive as dead letters. */
    public static KafkaSource<ParsedRecord> readings(Configuration config) {
        return builder(config).build();
    }

    /** A source that stops at the offsets that are latest when the job starts (tests, backfill). */
    public static KafkaSource<ParsedRecord> boundedReadings(Configuration config) {
        return builder(config).setBounded(OffsetsInitializer.latest()).build();
    }

    /**
     * The model-updates topic as JSON strings (a tombstone as the empty string), always from its
     * earliest offset (a restored job resumes from its checkpoint instead), read_committed. {@code
     * bounded} stops at the offsets latest at start.
     */
    public static KafkaSource<String> modelUpdates(Configuration config, boolean bounded) {
        KafkaOptions.validate(config);
        KafkaSourceBuilder<String> b =
                KafkaSource.<String>builder()
                        .setBootstrapServers(config.get(KafkaOptions.BOOTSTRAP_SERVERS))
                        .setTopics(config.get(KafkaOptions.MODEL_UPDATES_TOPIC))
                        .setGroupId(config.get(KafkaOptions.GROUP_ID) + "-model-updates")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new ModelUpdateMessageDeserializer())
                        .setProperties(KafkaOptions.clientProperties(config))
                        .setProperty("isolation.level", "read_committed");
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /**
     * A bounded source of the readings between two record timestamps (epoch ms; null = the earliest
     * retained offset / the latest offset at start), for retraining and backfills.
     */
    public static KafkaSource<ParsedRecord> boundedReadings(
            Configuration config, Long fromMillis, Long toMillis) {
        return builder(config)
                .setStartingOffsets(
                        fromMillis == null
                                ? OffsetsInitializer.earliest()
                                : OffsetsInitializer.timestamp(fromMillis))
                .setBounded(
                        toMillis == null
                                ? OffsetsInitializer.latest()
                                : OffsetsInitializer.timestamp(toMillis))
                .build();
    }

    private static KafkaSourceBuilder<ParsedRecord> builder(Configuration config) {
        KafkaOptions.validate(config);
        ReadingParser parser =
                new ReadingParser(
                        config.get(KafkaOptions.MAX_RECORD_BYTES),
                        config.get(KafkaOptions.MAX_FEATURES),
                        config.get(KafkaOptions.MAX_SENSOR_ID_LENGTH),
                        config.get(KafkaOptions.MAX_FUTURE),
                        config.get(KafkaOptions.MAX_ABS_VALUE),
                        Clock.systemUTC());
        return KafkaSource.<ParsedRecord>builder()
                .setBootstrapServers(config.get(KafkaOptions.BOOTSTRAP_SERVERS))
                .setTopics(config.get(KafkaOptions.READINGS_TOPIC))
                .setGroupId(config.get(KafkaOptions.GROUP_ID))
                .setStartingOffsets(
                        OffsetsSpec.parse(
                                KafkaOptions.STARTING_OFFSETS.key(),
                                config.get(KafkaOptions.STARTING_OFFSETS)))
                .setDeserializer(new SensorReadingDeserializer(parser))
                .setProperties(KafkaOptions.clientProperties(config))
                // Readings written by transactional producers count only once committed.
                .setProperty("isolation.level", "read_committed");
    }
}
