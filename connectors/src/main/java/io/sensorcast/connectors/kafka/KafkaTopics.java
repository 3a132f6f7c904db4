package io.sensorcast.connectors.kafka;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics the jobs need when they are missing. */
public final class KafkaTopics {

    private KafkaTopics() {}

    /**
     * Creates {@code topic} unless it exists (a concurrent creator is fine), with the broker's
     * default replication.
     */
    public static void ensure(
            Properties client, String topic, int partitions, Map<String, String> configs)
            throws Exception {
        try (Admin admin = Admin.create(client)) {
            if (admin.listTopics().names().get(60, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            admin.createTopics(
                            List.of(new NewTopic(topic, partitions, (short) -1).configs(configs)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /**
     * The model-updates topic: one partition (updates of all groups in publication order),
     * compacted by group, so a job starting from the beginning reads each group's latest update and
     * the topic never outgrows the number of groups.
     */
    public static void ensureModelUpdates(Configuration config) throws Exception {
        Properties client = KafkaOptions.clientProperties(config);
        client.setProperty("bootstrap.servers", config.get(KafkaOptions.BOOTSTRAP_SERVERS));
        ensure(
                client,
                config.get(KafkaOptions.MODEL_UPDATES_TOPIC),
                1,
                Map.of("cleanup.policy", "compact"));
    }
}
