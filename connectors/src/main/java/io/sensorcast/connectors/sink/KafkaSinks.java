package io.sensorcast.connectors.sink;

import io.sensorcast.connectors.format.DeadLetter;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.serde.JsonFormats;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;

/**
 * Builds Kafka sinks from {@link KafkaOptions}: exactly-once by default (transactions committed
 * when a checkpoint completes, so checkpointing must be on), at-least-once as an option.
 */
public final class KafkaSinks {

    private KafkaSinks() {}

    /**
     * A sink writing {@code serializer}'s records.
     *
     * @param name distinguishes this sink's transactional ids from the job's other sinks
     */
    public static <T> KafkaSink<T> create(
            Configuration config, String name, JsonRecordSerializer<T> serializer) {
        KafkaOptions.validate(config);
        Properties props = KafkaOptions.clientProperties(config);
        props.putIfAbsent(
                "transaction.timeout.ms",
                Long.toString(config.get(KafkaOptions.TRANSACTION_TIMEOUT).toMillis()));
        DeliveryGuarantee guarantee = config.get(KafkaOptions.DELIVERY_GUARANTEE);
        if (guarantee == DeliveryGuarantee.NONE) {
            throw new IllegalArgumentException(
                    KafkaOptions.DELIVERY_GUARANTEE.key()
                            + " must be EXACTLY_ONCE or AT_LEAST_ONCE, got NONE");
        }
        return KafkaSink.<T>builder()
                .setBootstrapServers(config.get(KafkaOptions.BOOTSTRAP_SERVERS))
                .setKafkaProducerConfig(props)
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
}
