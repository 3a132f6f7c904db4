package io.sensorcast.connectors.sink;

import io.sensorcast.connectors.format.DeadLetter;
import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.IsoInstants;
import io.sensorcast.connectors.format.Published;
import io.sensorcast.connectors.format.RetrainReport;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.serde.JsonFormats;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Builds Kafka sinks from {@link KafkaOptions}: exactly-once by default (transactions committed
 * when a checkpoint completes, so checkpointing must be on), at-least-once as an option.
 */
public final class KafkaSinks {

    private KafkaSinks() {}

    /** Records a producer batches per partition unless told otherwise: 256 KiB. */
    static final String BATCH_BYTES = "262144";

    /**
     * How long an exactly-once producer waits to fill a batch unless told otherwise: 20 ms. Its
     * records are read (read_committed) only once the checkpoint commits them, and the writer
     * flushes the producer before every checkpoint barrier, so the wait delays nothing a reader
     * sees.
     */
    static final String EXACTLY_ONCE_LINGER_MS = "20";

    /**
     * The sinks' producer properties: the {@code sensorcast.kafka.client.*} options, and defaults
     * for what they leave out. Small batches sent often made the broker, on the same cores as the
     * job in {@code sensorcast bench}, its largest cost after the forecasting chain (produce
     * requests of at most 16 KiB after at most 5 ms, Kafka's defaults): batches of up to 256 KiB,
     * and for exactly-once sinks a linger of 20 ms, cut the CPU a forecast costs by about a quarter
     * (docs/performance.md). A longer linger (50 ms) was no faster and its latency's tail longer,
     * probably because the writer's flush before each barrier, which the task waits for, had more
     * to send. At-least-once sinks keep Kafka's linger: their records are read as soon as they are
     * written.
     */
    static Properties producerProperties(Configuration config, DeliveryGuarantee guarantee) {
        Properties props = KafkaOptions.clientProperties(config);
        props.putIfAbsent(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                Long.toString(config.get(KafkaOptions.TRANSACTION_TIMEOUT).toMillis()));
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, EXACTLY_ONCE_LINGER_MS);
        }
        return props;
    }

    /**
     * A sink writing {@code serializer}'s records.
     *
     * @param name distinguishes this sink's transactional ids from the job's other sinks
     */
    public static <T> KafkaSink<T> create(
            Configuration config, String name, KafkaRecordSerializationSchema<T> serializer) {
        return create(config, name, KafkaOptions.deliveryGuarantee(config), serializer);
    }

    private static <T> KafkaSink<T> create(
            Configuration config,
            String name,
            DeliveryGuarantee guarantee,
            KafkaRecordSerializationSchema<T> serializer) {
        KafkaOptions.validate(config);
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.get(KafkaOptions.BOOTSTRAP_SERVERS))
                .setKafkaProducerConfig(producerProperties(config, guarantee))
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(
                        config.get(KafkaOptions.TRANSACTIONAL_ID_PREFIX) + "-" + name)
                .setRecordSerializer(serializer)
                .build();
    }

    /**
     * The dead-letter sink: key = original key (sensor id where there was one; its first 1 KiB),
     * value {@link JsonFormats#deadLetter}, both bounded so that no refused record is too large to
     * be dead-lettered.
     */
    public static KafkaSink<DeadLetter> deadLetters(Configuration config) {
        return create(
                config,
                "dead-letter",
                new JsonRecordSerializer<>(
                        config.get(KafkaOptions.DEAD_LETTER_TOPIC),
                        d -> JsonFormats.deadLetterKey(d),
                        JsonFormats::deadLetter,
                        d -> d.recordTimestamp));
    }

    /** The option that sets {@code topic}'s delivery guarantee. */
    public static ConfigOption<String> deliveryOption(Published.Topic topic) {
        return switch (topic) {
            case FORECASTS -> KafkaOptions.FORECASTS_DELIVERY;
            case SCORES -> KafkaOptions.SCORES_DELIVERY;
            case ANOMALIES -> KafkaOptions.ANOMALIES_DELIVERY;
            case LATE -> KafkaOptions.LATE_DELIVERY;
        };
    }

    /**
     * The forecasting job's outputs grouped by their delivery guarantee ({@link #deliveryOption}),
     * in a fixed order: the group of the forecasts first.
     */
    public static Map<DeliveryGuarantee, Set<Published.Topic>> outputsByGuarantee(
            Configuration config) {
        Map<DeliveryGuarantee, Set<Published.Topic>> groups = new LinkedHashMap<>();
        groups.put(
                KafkaOptions.deliveryGuarantee(config, deliveryOption(Published.Topic.FORECASTS)),
                EnumSet.noneOf(Published.Topic.class));
        for (Published.Topic topic : Published.Topic.values()) {
            groups.computeIfAbsent(
                            KafkaOptions.deliveryGuarantee(config, deliveryOption(topic)),
                            g -> EnumSet.noneOf(Published.Topic.class))
                    .add(topic);
        }
        return groups;
    }

    /**
     * A sink of the forecasting job's outputs with one guarantee, each record to its topic ({@link
     * Published#topic}): an exactly-once one in one transaction per checkpoint. Key = sensor;
     * record time = a forecast's origin, a score's (and an anomaly's) scored reading, a late
     * reading's own.
     *
     * @param name distinguishes its transactional ids from the job's other sinks
     */
    public static KafkaSink<Published> published(
            Configuration config, String name, DeliveryGuarantee guarantee) {
        return create(
                config,
                name,
                guarantee,
                new PublishedSerializer(
                        forecastRecords(config),
                        scoreRecords(config, KafkaOptions.SCORES_TOPIC),
                        scoreRecords(config, KafkaOptions.ANOMALIES_TOPIC),
                        lateReadings(config)));
    }

    // The serializers below use serializable lambdas, not method references: javac's
    // $deserializeLambda$ confuses two serializable references to the same method
    // (JsonFormats::json) that differ only in their instantiated type, and the score sink got the
    // forecast sink's function (ClassCastException).

    static JsonRecordSerializer<ForecastRecord> forecastRecords(Configuration config) {
        return new JsonRecordSerializer<>(
                config.get(KafkaOptions.FORECASTS_TOPIC),
                f -> f.sensor(),
                f -> JsonFormats.forecast(f),
                f -> IsoInstants.parse(f.originTs()));
    }

    static JsonRecordSerializer<ScoreRecord> scoreRecords(
            Configuration config, ConfigOption<String> topic) {
        return new JsonRecordSerializer<>(
                config.get(topic),
                r -> r.sensor(),
                r -> JsonFormats.score(r),
                r -> IsoInstants.parse(r.targetTs()));
    }

    /** The readings as they came. */
    static JsonRecordSerializer<SensorReading> lateReadings(Configuration config) {
        return new JsonRecordSerializer<>(
                config.get(KafkaOptions.LATE_TOPIC),
                r -> r.sensor,
                JsonFormats::reading,
                r -> r.timestamp);
    }

    /**
     * The retraining-reports sink: key = model group, record time = the round's end.
     *
     * @param name distinguishes its transactional ids (one per round: rounds may overlap)
     */
    public static KafkaSink<RetrainReport> retrainReports(Configuration config, String name) {
        return create(
                config,
                name,
                new JsonRecordSerializer<>(
                        config.get(KafkaOptions.RETRAIN_REPORTS_TOPIC),
                        r -> r.group(),
                        r -> JsonFormats.json(r),
                        r -> IsoInstants.parse(r.finishedAt())));
    }
}
