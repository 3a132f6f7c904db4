package io.sensorcast.evaluation.stack;

import io.sensorcast.connectors.format.ForecastRecord;
import io.sensorcast.connectors.format.RetrainReport;
import io.sensorcast.connectors.format.ScoreRecord;
import io.sensorcast.connectors.kafka.KafkaOptions;
import io.sensorcast.connectors.serde.JsonFormats;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a local job's outputs back as a consumer of them would ({@code read_committed}), typed, on
 * a daemon thread: each record goes to its {@link Listener} method. Topic names come from the jobs'
 * configuration ({@link KafkaOptions}), so outputs a job was told to write elsewhere are read
 * there. Remembers how far it has read each partition ({@link LocalStack#caughtUp}) and when it
 * last read a record.
 */
public final class OutputReader implements AutoCloseable {

    /** The outputs a reader can follow, each with the option naming its topic. */
    public enum Output {
        FORECASTS(KafkaOptions.FORECASTS_TOPIC),
        SCORES(KafkaOptions.SCORES_TOPIC),
        DEAD_LETTERS(KafkaOptions.DEAD_LETTER_TOPIC),
        LATE(KafkaOptions.LATE_TOPIC),
        RETRAIN_REPORTS(KafkaOptions.RETRAIN_REPORTS_TOPIC);

        final ConfigOption<String> topic;

        Output(ConfigOption<String> topic) {
            this.topic = topic;
        }
    }

    /**
     * Told of each output record, on the reader's thread; a record that does not parse is a dead
     * letter.
     */
    public interface Listener {
        default void forecast(ForecastRecord f) {}

        default void score(ScoreRecord s) {}

        default void deadLetter() {}

        default void late() {}

        default void report(RetrainReport r) {}
    }

    private final Map<String, Output> topics = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private final AtomicLong lastRecord = new AtomicLong(System.nanoTime());
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Listener listener;
    private final Thread thread;

    OutputReader(Configuration job, String groupId, EnumSet<Output> outputs, Listener listener) {
        for (Output o : outputs) {
            topics.put(job.get(o.topic), o);
        }
        Properties props = KafkaOptions.connection(job);
        props.setProperty("group.id", groupId);
        props.setProperty("auto.offset.reset", "earliest");
        props.setProperty("isolation.level", "read_committed");
        this.consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.listener = listener;
        this.thread = new Thread(this::run, "read-" + groupId);
        thread.setDaemon(true);
        thread.start();
    }

    /** The topics read. */
    List<String> topics() {
        return List.copyOf(topics.keySet());
    }

    /** The next offset to read of each partition assigned so far. */
    Map<TopicPartition, Long> positions() {
        return Map.copyOf(positions);
    }

    /** {@link System#nanoTime()} when the last record was read (or the reader started). */
    public long lastRecordNanos() {
        return lastRecord.get();
    }

    private void run() {
        try {
            consumer.subscribe(topics.keySet());
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    take(topics.get(r.topic()), r.value());
                    lastRecord.set(System.nanoTime());
                }
                for (TopicPartition tp : consumer.assignment()) {
                    positions.put(tp, consumer.position(tp));
                }
            }
        } catch (WakeupException e) {
            // closed
        } catch (RuntimeException e) {
            // the broker went away at the end
        } finally {
            consumer.close();
        }
    }

    private void take(Output output, byte[] value) {
        try {
            switch (output) {
                case FORECASTS ->
                        listener.forecast(
                                JsonFormats.mapper().readValue(value, ForecastRecord.class));
                case SCORES ->
                        listener.score(JsonFormats.mapper().readValue(value, ScoreRecord.class));
                case DEAD_LETTERS -> listener.deadLetter();
                case LATE -> listener.late();
                case RETRAIN_REPORTS ->
                        listener.report(JsonFormats.mapper().readValue(value, RetrainReport.class));
            }
        } catch (IOException e) {
            listener.deadLetter();
        }
    }

    @Override
    public void close() throws InterruptedException {
        consumer.wakeup();
        thread.join(10_000);
    }
}
