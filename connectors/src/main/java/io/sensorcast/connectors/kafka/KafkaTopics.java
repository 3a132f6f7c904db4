package io.sensorcast.connectors.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topics sensorcast uses, their layout, and their creation or verification: {@code sensorcast
 * topics} creates or checks them all, and the jobs refuse to start when one they write is missing
 * on a broker that would not create it.
 */
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
            if (!admin.listTopics().names().get(60, TimeUnit.SECONDS).contains(topic)) {
                try {
                    admin.createTopics(
                                    List.of(
                                            new NewTopic(topic, partitions, (short) -1)
                                                    .configs(configs)))
                            .all()
                            .get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin, topic);
        }
    }

    /**
     * Returns once the leader of every partition of {@code topic} answers for it: a list-offsets
     * request, which only a partition's leader serves. Metadata names a leader before the broker is
     * ready to lead; a producer that sends to a topic created a moment ago can meet that gap, and
     * an idempotent producer then retries its first batch for ever (out of order sequence numbers),
     * until the delivery timeout fails the send.
     */
    private static void awaitLeaders(Admin admin, String topic) throws Exception {
        retrying(
                RetriableException.class,
                () -> {
                    TopicDescription d =
                            admin.describeTopics(List.of(topic))
                                    .allTopicNames()
                                    .get(60, TimeUnit.SECONDS)
                                    .get(topic);
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    d.partitions()
                            .forEach(
                                    p ->
                                            latest.put(
                                                    new TopicPartition(topic, p.partition()),
                                                    OffsetSpec.latest()));
                    return admin.listOffsets(latest).all().get(60, TimeUnit.SECONDS);
                });
    }

    /**
     * The model-updates topic: one partition (updates of all groups in publication order),
     * compacted by group, so a job starting from the beginning reads each group's latest update and
     * the topic never outgrows the number of groups.
     */
    public static void ensureModelUpdates(Configuration config) throws Exception {
        ensure(
                KafkaOptions.connection(config),
                config.get(KafkaOptions.MODEL_UPDATES_TOPIC),
                1,
                Map.of("cleanup.policy", "compact"));
    }

    /**
     * A topic as sensorcast wants it.
     *
     * @param option the option naming it
     * @param partitions its partitions
     * @param configs topic configs (cleanup policy, retention)
     */
    public record Spec(ConfigOption<String> option, int partitions, Map<String, String> configs) {}

    /** What a topic turned out to be: created now, there already, or missing. */
    public record Status(String topic, String state, int partitions, String cleanupPolicy) {}

    /**
     * Every topic of sensorcast: the readings and each output with {@code partitions} partitions
     * and {@code retention}; model-updates with one partition, compacted (each group's latest
     * update, in publication order).
     */
    public static List<Spec> layout(int partitions, Duration retention) {
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException(
                    "partitions must be in [1, 10000], got " + partitions);
        }
        Map<String, String> kept =
                Map.of(
                        "retention.ms",
                        Long.toString(retention.isZero() ? -1 : retention.toMillis()));
        List<Spec> specs = new ArrayList<>();
        for (ConfigOption<String> o :
                List.of(
                        KafkaOptions.READINGS_TOPIC,
                        KafkaOptions.FORECASTS_TOPIC,
                        KafkaOptions.SCORES_TOPIC,
                        KafkaOptions.ANOMALIES_TOPIC,
                        KafkaOptions.LATE_TOPIC,
                        KafkaOptions.DEAD_LETTER_TOPIC,
                        KafkaOptions.RETRAIN_REPORTS_TOPIC)) {
            specs.add(new Spec(o, partitions, kept));
        }
        specs.add(
                new Spec(KafkaOptions.MODEL_UPDATES_TOPIC, 1, Map.of("cleanup.policy", "compact")));
        return specs;
    }

    /**
     * Creates (with {@code create}) the topics of {@code specs} that are missing, with {@code
     * replication} (-1: the broker's default), and reports each one's state.
     */
    public static List<Status> createOrVerify(
            Configuration config, List<Spec> specs, short replication, boolean create)
            throws Exception {
        try (Admin admin = Admin.create(client(config))) {
            Set<String> names = new HashSet<>();
            for (Spec s : specs) {
                names.add(config.get(s.option()));
            }
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Spec s : specs) {
                String name = config.get(s.option());
                if (!existing.contains(name)) {
                    missing.add(
                            new NewTopic(name, s.partitions(), replication).configs(s.configs()));
                }
            }
            if (create && !missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            Set<String> created = new HashSet<>();
            missing.forEach(t -> created.add(t.name()));
            Set<String> present = new HashSet<>(names);
            if (!create) {
                present.removeAll(created);
            }
            return statuses(admin, config, specs, present, created);
        }
    }

    /** Each topic of {@code specs}: missing unless {@code present}, its partitions and cleanup. */
    private static List<Status> statuses(
            Admin admin,
            Configuration config,
            List<Spec> specs,
            Set<String> present,
            Set<String> created)
            throws Exception {
        Map<String, TopicDescription> described =
                untilKnown(
                        () ->
                                admin.describeTopics(present)
                                        .allTopicNames()
                                        .get(60, TimeUnit.SECONDS));
        List<ConfigResource> resources = new ArrayList<>();
        present.forEach(t -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t)));
        Map<ConfigResource, org.apache.kafka.clients.admin.Config> configs =
                untilKnown(() -> admin.describeConfigs(resources).all().get(60, TimeUnit.SECONDS));
        List<Status> out = new ArrayList<>();
        for (Spec s : specs) {
            String name = config.get(s.option());
            if (!present.contains(name)) {
                out.add(new Status(name, "missing", 0, ""));
                continue;
            }
            var policy =
                    configs.get(new ConfigResource(ConfigResource.Type.TOPIC, name))
                            .get("cleanup.policy");
            out.add(
                    new Status(
                            name,
                            created.contains(name) ? "created" : "exists",
                            described.get(name).partitions().size(),
                            policy == null ? "" : policy.value()));
        }
        return out;
    }

    /**
     * Asks {@code request} again, for up to 60 s, while topics just created are unknown: the
     * controller acknowledges a creation before every broker's metadata has it, and a broker that
     * does not have it yet answers "does not host this topic-partition".
     */
    private static <T> T untilKnown(Callable<T> request) throws Exception {
        return retrying(UnknownTopicOrPartitionException.class, request);
    }

    /** Asks {@code request} again, for up to 60 s, while it fails with a {@code retried} cause. */
    private static <T> T retrying(Class<? extends Exception> retried, Callable<T> request)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return request.call();
            } catch (ExecutionException e) {
                if (!retried.isInstance(e.getCause()) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Fails naming the first of {@code topics} that does not exist, unless the broker creates
     * topics on first use ({@code auto.create.topics.enable}): a job writing to a missing topic
     * would otherwise hang in its first checkpoint until the producer gives up.
     */
    public static void requireExisting(Configuration config, List<ConfigOption<String>> topics)
            throws Exception {
        try (Admin admin = Admin.create(client(config))) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<String> missing = new ArrayList<>();
            for (ConfigOption<String> t : topics) {
                if (!existing.contains(config.get(t))) {
                    missing.add(config.get(t) + " (" + t.key() + ")");
                }
            }
            if (missing.isEmpty() || autoCreates(admin)) {
                return;
            }
            throw new IllegalStateException(
                    "Kafka topic(s) missing on "
                            + config.get(KafkaOptions.BOOTSTRAP_SERVERS)
                            + ": "
                            + String.join(", ", missing)
                            + "; create them with 'sensorcast topics create' (or your own"
                            + " tooling), or point the option at an existing topic");
        }
    }

    private static boolean autoCreates(Admin admin) throws Exception {
        var nodes = admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        if (nodes.isEmpty()) {
            return false;
        }
        ConfigResource broker =
                new ConfigResource(
                        ConfigResource.Type.BROKER, Integer.toString(nodes.iterator().next().id()));
        var entry =
                admin.describeConfigs(List.of(broker))
                        .all()
                        .get(60, TimeUnit.SECONDS)
                        .get(broker)
                        .get("auto.create.topics.enable");
        return entry != null && Boolean.parseBoolean(entry.value());
    }

    private static Properties client(Configuration config) {
        Properties client = KafkaOptions.connection(config);
        client.putIfAbsent("default.api.timeout.ms", "60000");
        return client;
    }
}
