package io.sensorcast.connectors.replay;

import io.sensorcast.connectors.format.SensorReading;
import io.sensorcast.connectors.kafka.KafkaTopics;
import io.sensorcast.connectors.serde.JsonFormats;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes readings to a topic in the order given, keyed by sensor, with each reading's event time
 * as the record timestamp: an idempotent producer with {@code acks=all}, so a retry never
 * duplicates or reorders a sensor's readings.
 */
public final class Replayer {

    /** Told about progress now and then, and once at the end. */
    @FunctionalInterface
    public interface Progress {
        void update(long sent, long total, long lastEventTime);
    }

    /**
     * A {@link Progress} drawn as one bar on {@code console}, redrawn in place: how many records
     * were sent of how many, and the event time reached.
     */
    public static Progress bar(PrintWriter console) {
        return (sent, total, eventTime) -> {
            int width = 30;
            int filled = total == 0 ? width : (int) (width * sent / total);
            console.printf(
                    Locale.ROOT,
                    "\r[%s%s] %3d%% %d/%d  event time %s",
                    "#".repeat(filled),
                    " ".repeat(width - filled),
                    total == 0 ? 100 : 100 * sent / total,
                    sent,
                    total,
                    Instant.ofEpochMilli(eventTime));
            console.flush();
        };
    }

    /** What a replay did. */
    public record Result(long records, double seconds) {
        public double recordsPerSecond() {
            return seconds > 0 ? records / seconds : records;
        }
    }

    private final Properties producerConfig;

    /**
     * @param clientProperties bootstrap servers and any other Kafka client settings
     */
    public Replayer(Properties clientProperties) {
        this.producerConfig = new Properties();
        producerConfig.putAll(clientProperties);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        producerConfig.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        producerConfig.put(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerConfig.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    }

    /**
     * Creates {@code topic} when it does not exist, with unlimited retention: replayed records
     * carry historical timestamps that time-based retention would delete at once.
     */
    public void ensureTopic(String topic, int partitions) throws Exception {
        KafkaTopics.ensure(producerConfig, topic, partitions, Map.of("retention.ms", "-1"));
    }

    /** Sends every reading, paced, and waits until all are acknowledged. */
    public Result replay(
            List<SensorReading> readings, String topic, Pacing pacing, Progress progress)
            throws InterruptedException {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        long lastReport = start;
        long first = readings.isEmpty() ? 0 : readings.get(0).timestamp;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            for (int i = 0; i < readings.size(); i++) {
                SensorReading r = readings.get(i);
                long wait = start + pacing.dueNanos(i, r.timestamp, first) - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (failure.get() != null) {
                    break;
                }
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                null,
                                r.timestamp,
                                r.sensor.getBytes(StandardCharsets.UTF_8),
                                JsonFormats.reading(r)),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                long now = System.nanoTime();
                if (now - lastReport > 250_000_000L) {
                    progress.update(i + 1, readings.size(), r.timestamp);
                    lastReport = now;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "replay to " + topic + " failed: " + failure.get(), failure.get());
        }
        progress.update(
                readings.size(),
                readings.size(),
                readings.isEmpty() ? 0 : readings.get(readings.size() - 1).timestamp);
        return new Result(readings.size(), (System.nanoTime() - start) / 1e9);
    }
}
