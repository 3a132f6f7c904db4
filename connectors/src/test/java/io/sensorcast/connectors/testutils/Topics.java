package io.sensorcast.connectors.testutils;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads topics back the way our consumers must: {@code read_committed}, from the start. */
public final class Topics {

    private Topics() {}

    /**
     * Every committed record of {@code topic}, polling until {@code expected} have arrived and then
     * two seconds more, so that duplicates would show; gives up after {@code timeout}.
     */
    public static List<ConsumerRecord<byte[], byte[]>> readCommitted(
            String bootstrapServers, String topic, int expected, Duration timeout) {
        Properties p = new Properties();
        p.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic);
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // every call reads from the start: no committed offsets for the next one to resume from
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long settle = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settle)) {
                consumer.poll(Duration.ofMillis(300)).forEach(out::add);
                if (out.size() >= expected && settle == Long.MAX_VALUE) {
                    settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
        }
        return out;
    }
}
