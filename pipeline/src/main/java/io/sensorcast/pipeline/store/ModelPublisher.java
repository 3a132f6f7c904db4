package io.sensorcast.pipeline.store;

import io.sensorcast.connectors.format.ModelUpdate;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.kafka.KafkaTopics;
import io.sensorcast.model.manifest.InvalidModelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a model: the next version in the {@link ModelStore}, then a {@link ModelUpdate} on the
 * model-updates topic (key = group) that running forecast jobs follow. The store write comes first,
 * so an update never points at a version that is not there.
 */
public final class ModelPublisher {

    private final ModelStore store;
    private final Configuration kafka;
    private final String publisher;

    /**
     * @param config {@link ModelStoreOptions} and {@link KafkaOptions}
     * @param publisher recorded in each update, e.g. {@code publish-model}
     */
    public ModelPublisher(Configuration config, String publisher) {
        KafkaOptions.validate(config);
        this.store = ModelStoreOptions.store(config);
        this.kafka = config;
        this.publisher = publisher;
    }

    public ModelStore store() {
        return store;
    }

    /** Stores the artifact in {@code dir} as {@code group}'s next version and announces it. */
    public ModelUpdate publish(String group, Path dir) throws Exception, InvalidModelException {
        ModelStore.Version v = store.publish(group, dir);
        ModelUpdate update =
                new ModelUpdate(
                        group, v.version(), v.location(), Instant.now().toString(), publisher);
        announce(update);
        return update;
    }

    /**
     * Stores the artifact as {@code group}'s version {@code expectedHighest + 1} and announces it;
     * publishes nothing when another publisher took that number first.
     *
     * @throws ModelStore.SupersededException when the group moved past {@code expectedHighest}
     */
    public ModelUpdate publishAfter(String group, Path dir, long expectedHighest)
            throws Exception, InvalidModelException, ModelStore.SupersededException {
        ModelStore.Version v = store.publishAfter(group, dir, expectedHighest);
        ModelUpdate update =
                new ModelUpdate(
                        group, v.version(), v.location(), Instant.now().toString(), publisher);
        announce(update);
        return update;
    }

    /** Sends {@code update} to the model-updates topic (created when missing). */
    public void announce(ModelUpdate update) throws Exception {
        KafkaTopics.ensureModelUpdates(kafka);
        Properties props = KafkaOptions.connection(kafka);
        props.setProperty("acks", "all");
        props.setProperty("enable.idempotence", "true");
        props.putIfAbsent("max.block.ms", "30000");
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(
                            new ProducerRecord<>(
                                    kafka.get(KafkaOptions.MODEL_UPDATES_TOPIC),
                                    update.group().getBytes(StandardCharsets.UTF_8),
                                    update.toJson()))
                    .get(60, TimeUnit.SECONDS);
        }
    }
}
